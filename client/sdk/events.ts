import {
  type AckFrame,
  type CallEventFrame,
  type CLOSE_CODE,
  type DeleteEventFrame,
  type EditEventFrame,
  type ErrorCode,
  type ErrorFrame,
  type Message,
  type ModerationEventFrame,
  type PeerMediaFrame,
  type PeersFrame,
  type ReactionFrame,
  type RelayedSignalFrame,
  SERVER_FRAME,
  type ServerFrameOf,
  type ServerFrameType,
  type SettingsEventFrame,
  type WelcomeFrame,
} from "../../protocol/frames.ts";
import type { Emitter } from "./emitter.ts";
import type { Truncation } from "./ordered-delivery.ts";
import type { PendingMessage, QueuedChange } from "./pending-changes.ts";
import type { ConnectionState } from "./reconnecting-socket.ts";
import type { RoleChange } from "./room-standing.ts";

/** Server frames passed to the caller as they come: presence, renames, typing, occupancy, read positions. */
type RelayedFrameType = Exclude<
  ServerFrameType,
  | "welcome"
  | "message"
  | "edit"
  | "delete"
  | "reaction"
  | "ack"
  | "history"
  | "results"
  | "error"
  | "settings"
  | "moderation"
  | "minted"
  | "keys"
  | "audit"
  | "members"
  | "call"
  | "peers"
  | "media"
  | "signal"
>;
export type RelayedFrame = ServerFrameOf<RelayedFrameType>;
/** The frames a call's participant is sent, apart from the log. */
export type CallLiveFrame = PeersFrame | PeerMediaFrame | RelayedSignalFrame;

/** Something went wrong that is not about a queued message or edit (those show in `outbox`). */
export type RoomError =
  /** The room refused a frame, e.g. `invalid_name` for a rename. */
  | { kind: "refused"; frame: ErrorFrame }
  /** The room refused a queued deletion or reaction for good (e.g. `not_found`: the message is gone); it left the outbox. */
  | { kind: "change_refused"; change: QueuedChange; code: ErrorCode; reason: string }
  /** A frame that is not part of the protocol; it was ignored. */
  | { kind: "bad_frame"; data: string }
  /** The room closed the connection with 1008 (policy violation); the connection is `offline` for good. */
  | { kind: "policy_close"; reason: string };

/**
 * An edit or deletion of a message, delivered once and in `seq` order, with
 * what it changed in the connection's view of the room, so that a view can
 * re-render the message and the replies that quote it.
 */
export interface MessageChange<E extends EditEventFrame | DeleteEventFrame> {
  event: E;
  /** The message as it is now; null when the view does not hold it (it is older than what the connection saw). */
  message: Message | null;
  /** Replies whose preview of the message changed, as they are now. */
  replies: readonly Message[];
}

/** A reaction added or removed, with the message as it is now. */
export interface ReactionChange {
  /**
   * The room's reaction event, delivered once and in `seq` order; null when
   * the user's own reaction is shown before the room has stored it, or taken
   * back because the room refused it.
   */
  event: ReactionFrame | null;
  /** The message as it is now, the user's reactions not stored yet included; null when the view does not hold it. */
  message: Message | null;
}

/**
 * The room ended the connection for good because of what a moderator or
 * the room's settings decided: kicked (4001; the person may come back),
 * banned (4003), or the room is for key holders only (4004; a key lets them
 * in). `reason` is for a person to read: the moderator's, from the event
 * that kicked or banned the user, or else the room's.
 */
export interface Removal {
  code: typeof CLOSE_CODE.kicked | typeof CLOSE_CODE.banned | typeof CLOSE_CODE.keyRequired;
  reason: string;
}

/** A queued message or change the room refused for the rate (slow mode, or the send rate); it goes again after `retryAfter` ms. */
export interface Paused {
  id: string;
  retryAfter: number;
  /** The room's words. */
  reason: string;
}

/** Every event a room connection emits, and its payload. */
export type RoomEvents = { [T in RelayedFrameType]: ServerFrameOf<T> } & {
  state: ConnectionState;
  /** Each link's first frame; its history arrives as `message`, `edit`, `delete` and `reaction` events. */
  welcome: Omit<WelcomeFrame, "history">;
  /** Every new message of the room, exactly once, in `seq` order. */
  message: Message;
  /** A message was edited. */
  edit: MessageChange<EditEventFrame>;
  /** A message was deleted. */
  delete: MessageChange<DeleteEventFrame>;
  /** A reaction was added or removed, by the room or, before the room has it, by the user. */
  reaction: ReactionChange;
  /** The view broke (messages were trimmed, or the room's history was reset): rebuild it. */
  truncated: Truncation;
  /** The room stored one of the user's messages or changes, or (`unchanged`) found it changed nothing. */
  ack: AckFrame;
  /** The unacknowledged messages and changes changed. */
  outbox: readonly PendingMessage[];
  /** The outbox waits: the room refused its next frame for the rate. */
  paused: Paused;
  /** An owned room's settings changed (or, from a welcome's history, had changed); `settings` holds them now. */
  settings: SettingsEventFrame;
  /** A moderation action, delivered in `seq` order like messages; one naming the user is in `mutedUntil` and `role` first. */
  moderation: ModerationEventFrame;
  /** The user's role changed since the room last said. */
  role: RoleChange;
  /** The room closed the connection for good, kicked, banned or for key holders only; the connection is `offline`. */
  removed: Removal;
  /** A call started, someone joined or left it, or it ended: an event of the log, in `seq` order. */
  call: CallEventFrame;
  /** A frame for this connection as a call's participant: who is in the call, a peer's media, a signal. */
  frame: CallLiveFrame;
  error: RoomError;
};

/** Emits a relayed frame as the event of its type. */
export function relay(events: Emitter<RoomEvents>, frame: RelayedFrame): void {
  switch (frame.type) {
    case SERVER_FRAME.join:
      events.emit("join", frame);
      break;
    case SERVER_FRAME.leave:
      events.emit("leave", frame);
      break;
    case SERVER_FRAME.presence:
      events.emit("presence", frame);
      break;
    case SERVER_FRAME.rename:
      events.emit("rename", frame);
      break;
    case SERVER_FRAME.typing:
      events.emit("typing", frame);
      break;
    case SERVER_FRAME.occupancy:
      events.emit("occupancy", frame);
      break;
    case SERVER_FRAME.read:
      events.emit("read", frame);
      break;
    default:
      assertNever(frame);
  }
}

function assertNever(frame: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(frame)}`);
}
