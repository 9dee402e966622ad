import { SUBPROTOCOL } from "../../protocol/frames.ts";
import type { ConnectParams } from "../../protocol/http-params.ts";

/** Where and how to open a room's socket. */
export interface SocketTarget {
  url: string;
  /** The subprotocols to offer: `edgechat.v2`, and the identity token and a key beside it. */
  protocols: string[];
}

/**
 * A room's socket: the URL carries the name and the resume point, and the
 * identity token and a key to redeem travel in `Sec-WebSocket-Protocol`,
 * where no URL log (a proxy's, the server's, the browser's history) can see
 * them.
 */
export function roomSocketTarget(
  baseUrl: string,
  room: string,
  { token, ...params }: ConnectParams,
  key: string | null = null,
): SocketTarget {
  const protocols: string[] = [SUBPROTOCOL.v2];
  if (token !== undefined) protocols.push(`${SUBPROTOCOL.tokenPrefix}${token}`);
  if (key !== null) protocols.push(`${SUBPROTOCOL.keyPrefix}${key}`);
  return { url: roomSocketUrl(baseUrl, room, params), protocols };
}

/**
 * The WebSocket URL of a room: `ws(s)://host/api/rooms/<room>/ws?name=&since=`.
 * `baseUrl` is the app's address (http, https, ws or wss), optionally with a
 * path prefix; the room name is percent-encoded.
 */
export function roomSocketUrl(baseUrl: string, room: string, params: Omit<ConnectParams, "token">): string {
  const url = new URL(baseUrl);
  if (url.protocol === "http:" || url.protocol === "ws:") url.protocol = "ws:";
  else if (url.protocol === "https:" || url.protocol === "wss:") url.protocol = "wss:";
  else throw new TypeError(`edgechat needs an http(s) or ws(s) URL, got ${url.protocol}`);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/rooms/${encodeURIComponent(room)}/ws`;
  url.search = "";
  url.hash = "";
  if (params.name !== undefined) url.searchParams.set("name", params.name);
  if (params.since !== undefined) url.searchParams.set("since", String(params.since));
  return url.href;
}
