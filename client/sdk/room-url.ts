import type { ConnectParams } from "../../protocol/http-params.ts";

/**
 * The WebSocket URL of a room: `ws(s)://host/api/rooms/<room>/ws?name=&since=&token=`.
 * `baseUrl` is the app's address (http, https, ws or wss), optionally with a
 * path prefix; the room name is percent-encoded.
 */
export function roomSocketUrl(baseUrl: string, room: string, params: ConnectParams): string {
  const url = new URL(baseUrl);
  if (url.protocol === "http:" || url.protocol === "ws:") url.protocol = "ws:";
  else if (url.protocol === "https:" || url.protocol === "wss:") url.protocol = "wss:";
  else throw new TypeError(`edgechat needs an http(s) or ws(s) URL, got ${url.protocol}`);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/rooms/${encodeURIComponent(room)}/ws`;
  url.search = "";
  url.hash = "";
  if (params.name !== undefined) url.searchParams.set("name", params.name);
  if (params.since !== undefined) url.searchParams.set("since", String(params.since));
  if (params.token !== undefined) url.searchParams.set("token", params.token);
  return url.href;
}
