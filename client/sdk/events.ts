import {
  type AckFrame,
  type DeleteEventFrame,
  type EditEventFrame,
  type ErrorCode,
  type ErrorFrame,
  type Message,
  type ReactionFrame,
  SERVER_FRAME,
  type ServerFrameOf,
  type ServerFrameType,
  type WelcomeFrame,
} from "../../protocol/frames.ts";
import type { Emitter } from "./emitter.ts";
import type { Truncation } from "./ordered-delivery.ts";
import type { PendingMessage, QueuedChange } from "./pending-changes.ts";
import type { ConnectionState } from "./reconnecting-socket.ts";

/** Server frames passed to the caller as they come: presence, renames, typing, occupancy, read positions. */
type RelayedFrameType = Exclude<
  ServerFrameType,
  "welcome" | "message" | "edit" | "delete" | "reaction" | "ack" | "history" | "results" | "error"
>;
export type RelayedFrame = ServerFrameOf<RelayedFrameType>;

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
