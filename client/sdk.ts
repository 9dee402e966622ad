/**
 * The edgechat client SDK, shared by the web UI, tests, benchmarks and bots:
 * `connectRoom` opens a room connection that reconnects on its own, delivers
 * every event of the room's log (messages, edits, deletions, reactions) once
 * and in order, keeps a view of the room's messages in their current state,
 * and queues what the user sends and changes until the room acknowledges it.
 * Frame shapes and limits come from protocol/frames.ts, shared with the
 * Worker; the SDK imports nothing from worker/.
 *
 * To read it, start at sdk/room-connection.ts, which wires the parts:
 * reconnecting-socket (backoff, heartbeat), ordered-delivery and catch-up
 * (each event once, in order), room-view and reactions (messages as they are
 * now, with the user's reactions shown before the room stores them),
 * change-requests and outbox (what the user sent and changed, checked, then
 * queued), history-requests and search-requests (on answered-requests), identity (token and
 * name) and session-store with pending-changes (what survives a reload); in a room with owners,
 * room-standing (role, settings, mute) and owner-requests (settings, moderation, keys, audit,
 * members).
 */
export type { BackoffOptions } from "./sdk/backoff.ts";
export { backoffDelay } from "./sdk/backoff.ts";
export type { ChangeRefusal, ChangeResult, EditOptions, SendOptions } from "./sdk/change-requests.ts";
export type { MessageChange, Paused, ReactionChange, Removal, RoomError, RoomEvents } from "./sdk/events.ts";
export type { HeartbeatOptions } from "./sdk/heartbeat.ts";
export type { HistoryPage, HistoryQuery } from "./sdk/history-requests.ts";
export type { WebSocketConstructor, WebSocketLike } from "./sdk/link.ts";
export type { ConnectOptions } from "./sdk/options.ts";
export type { Truncation } from "./sdk/ordered-delivery.ts";
export { type AuditPage, type KeyRequest, type MintedKey, RoomRefusal } from "./sdk/owner-requests.ts";
export {
  type ChangeTarget,
  type PendingMessage,
  type PendingStatus,
  parsePendingMessage,
  type QueuedChange,
} from "./sdk/pending-changes.ts";
export type { ConnectionState } from "./sdk/reconnecting-socket.ts";
export { connectRoom, RoomConnection } from "./sdk/room-connection.ts";
export type { RoleChange } from "./sdk/room-standing.ts";
export type { Cancel, Schedule } from "./sdk/schedule.ts";
export type { SearchAnswer, SearchOptions } from "./sdk/search-requests.ts";
export { memoryStore, parseSavedSession, type SavedSession, type SessionStore } from "./sdk/session-store.ts";
