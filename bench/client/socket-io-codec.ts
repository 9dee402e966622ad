/**
 * The few packets of Engine.IO v4 and socket.io v5 that the load generator
 * exchanges with the socket.io peer over a websocket-only transport: the
 * server's open (`0{...}`), the client's connect to the main namespace (`40`)
 * and its answer (`40{...}`, or `44{...}` when refused), events
 * (`42["event",payload]`) and the heartbeat (the server's ping `2`, the
 * client's pong `3`). Written out here rather than taken from
 * socket.io-client, so that the generator spends on a socket.io frame what
 * it spends on any other target's.
 */

/** The event a client sends a frame in, and the peer sends it back to the room in. */
export const SEND_EVENT = "send";
/** The server's heartbeat. */
export const PING = "2";
/** The client's answer to the server's ping. */
export const PONG = "3";
/** The client's connect to the main namespace, sent once the server's open has arrived. */
export const CONNECT = "40";

export type SocketIoPacket =
  /** Engine.IO's open: the session is up, the namespace not yet joined. */
  | { kind: "open" }
  /** The server's heartbeat, to be answered with `PONG`. */
  | { kind: "ping" }
  /** The main namespace accepted the connect. */
  | { kind: "connected" }
  /** The main namespace refused the connect. */
  | { kind: "refused"; text: string }
  /** An event with its name and its (single) payload. */
  | { kind: "event"; name: string; payload: unknown }
  /** Anything else: not a packet the peer sends to this client. */
  | { kind: "other"; text: string };

export function encodeEvent(name: string, payload: unknown): string {
  return `42${JSON.stringify([name, payload])}`;
}

export function decodePacket(text: string): SocketIoPacket {
  if (text === PING) return { kind: "ping" };
  if (text.startsWith("0{")) return { kind: "open" };
  if (text.startsWith("40{")) return { kind: "connected" };
  if (text.startsWith("44")) return { kind: "refused", text };
  if (text.startsWith("42[")) return decodeEvent(text);
  return { kind: "other", text };
}

function decodeEvent(text: string): SocketIoPacket {
  let value: unknown;
  try {
    value = JSON.parse(text.slice(2));
  } catch {
    return { kind: "other", text };
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string") return { kind: "other", text };
  return { kind: "event", name: value[0], payload: value[1] };
}
