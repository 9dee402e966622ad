/**
 * The edgechat client SDK, shared by the web UI, tests, benchmarks and bots:
 * `connectRoom` opens a room connection that reconnects on its own, delivers
 * every message once and in order, and queues what the user sends until the
 * room acknowledges it. Frame shapes and limits come from protocol/frames.ts,
 * shared with the Worker; the SDK imports nothing from worker/.
 *
 * To read it, start at sdk/room-connection.ts, which wires the parts:
 * reconnecting-socket (backoff, heartbeat), ordered-delivery and catch-up
 * (each message once, in order), outbox (what the user sent), history-requests,
 * identity (token and name) and session-store (what survives a reload).
 */
export type { BackoffOptions } from "./sdk/backoff.ts";
export { backoffDelay } from "./sdk/backoff.ts";
export type { RoomError, RoomEvents } from "./sdk/events.ts";
export type { HeartbeatOptions } from "./sdk/heartbeat.ts";
export type { HistoryPage, HistoryQuery } from "./sdk/history-requests.ts";
export type { WebSocketConstructor, WebSocketLike } from "./sdk/link.ts";
export type { ConnectOptions } from "./sdk/options.ts";
export type { Truncation } from "./sdk/ordered-delivery.ts";
export type { PendingMessage } from "./sdk/outbox.ts";
export type { ConnectionState } from "./sdk/reconnecting-socket.ts";
export { connectRoom, RoomConnection } from "./sdk/room-connection.ts";
export type { Cancel, Schedule } from "./sdk/schedule.ts";
export {
  memoryStore,
  parsePendingMessage,
  parseSavedSession,
  type SavedSession,
  type SessionStore,
} from "./sdk/session-store.ts";
