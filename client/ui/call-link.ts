/**
 * A call session's link to the room (client/sdk/call-session.ts, CallLink)
 * through the page's RoomConnection: the call frames it sends, the frames
 * of the room it hears, and the ICE servers for its connections, asked for
 * with the person's token as the call loads and kept until minted TURN
 * credentials near their end.
 */
import type { WelcomeFrame } from "../../protocol/frames.ts";
import type { CallLink } from "../sdk/call-session.ts";
import type { RoomConnection } from "../sdk.ts";

/** The call's side of the room connection: its frames, and the ICE servers its token may have. */
export function roomLink(room: string, connection: RoomConnection): CallLink {
  const iceServers = iceServersOf(room, connection);
  // Asked for as the call loads, so that a join does not wait for it.
  void iceServers().catch(() => undefined);
  return {
    send: (frame) => {
      if (frame.type === "call" || frame.type === "media" || frame.type === "signal") connection.sendFrame(frame);
    },
    subscribe(handler) {
      // A welcome reaches the session once the connection is online, so that a join it prompts can be sent.
      let welcome: WelcomeFrame | null = null;
      const stops = [
        connection.on("welcome", (opening) => {
          welcome = { ...opening, history: [] };
        }),
        connection.on("state", (state) => {
          if (state === "online" && welcome !== null) handler(welcome);
          welcome = null;
        }),
        connection.on("call", handler),
        connection.on("frame", handler),
        connection.on("error", (error) => {
          if (error.kind === "refused") handler(error.frame);
        }),
      ];
      return () => {
        for (const stop of stops) stop();
      };
    },
    iceServers,
  };
}

/** How long before they expire minted TURN credentials are asked for again. */
const ICE_RENEW_MS = 5 * 60_000;

/**
 * `GET /api/rooms/:room/ice` with the person's token, kept until shortly
 * before minted credentials expire (for good when nothing was minted); a
 * failure is asked again next time.
 */
function iceServersOf(room: string, connection: RoomConnection): () => Promise<RTCIceServer[]> {
  let kept: { servers: Promise<RTCIceServer[]>; until: number } | null = null;
  return () => {
    if (kept !== null && Date.now() < kept.until) return kept.servers;
    const servers = fetchIceServers(room, connection.token).then(
      ({ iceServers, expiresAt }) => {
        if (kept?.servers === servers) kept.until = expiresAt === undefined ? Infinity : expiresAt - ICE_RENEW_MS;
        return iceServers;
      },
      (error: unknown) => {
        kept = null;
        throw error;
      },
    );
    kept = { servers, until: Infinity };
    return servers;
  };
}

async function fetchIceServers(
  room: string,
  token: string | null,
): Promise<{ iceServers: RTCIceServer[]; expiresAt?: number }> {
  const response = await fetch(`/api/rooms/${encodeURIComponent(room)}/ice`, {
    headers: token === null ? {} : { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`GET /ice answered ${response.status}`);
  const body: unknown = await response.json();
  if (typeof body !== "object" || body === null) return { iceServers: [] };
  const servers: unknown = Reflect.get(body, "iceServers");
  const expiresAt: unknown = Reflect.get(body, "expiresAt");
  return {
    iceServers: Array.isArray(servers) ? servers.filter(isIceServer) : [],
    ...(typeof expiresAt === "number" ? { expiresAt } : {}),
  };
}

function isIceServer(value: unknown): value is RTCIceServer {
  if (typeof value !== "object" || value === null) return false;
  const urls: unknown = Reflect.get(value, "urls");
  return typeof urls === "string" || (Array.isArray(urls) && urls.every((url) => typeof url === "string"));
}
