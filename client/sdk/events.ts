import {
  type AckFrame,
  type ErrorFrame,
  type Message,
  SERVER_FRAME,
  type ServerFrameOf,
  type ServerFrameType,
  type WelcomeFrame,
} from "../../protocol/frames.ts";
import type { Emitter } from "./emitter.ts";
import type { Truncation } from "./ordered-delivery.ts";
import type { PendingMessage } from "./outbox.ts";
import type { ConnectionState } from "./reconnecting-socket.ts";

/** Server frames passed to the caller as they come: presence, renames, typing, occupancy. */
type RelayedFrameType = Exclude<ServerFrameType, "welcome" | "message" | "ack" | "history" | "error">;
export type RelayedFrame = ServerFrameOf<RelayedFrameType>;

/** Something went wrong that is not about a queued message (those show in `outbox`). */
export type RoomError =
  /** The room refused a frame, e.g. `invalid_name` for a rename. */
  | { kind: "refused"; frame: ErrorFrame }
  /** A frame that is not part of the protocol; it was ignored. */
  | { kind: "bad_frame"; data: string }
  /** The room closed the connection with 1008 (policy violation); the connection is `offline` for good. */
  | { kind: "policy_close"; reason: string };

/** Every event a room connection emits, and its payload. */
export type RoomEvents = { [T in RelayedFrameType]: ServerFrameOf<T> } & {
  state: ConnectionState;
  /** Each link's first frame; its history arrives as `message` events. */
  welcome: Omit<WelcomeFrame, "history">;
  /** Every message of the room, exactly once, in `seq` order. */
  message: Message;
  /** The view broke (messages were trimmed, or the room's history was reset): rebuild it. */
  truncated: Truncation;
  /** The room stored one of the user's messages. */
  ack: AckFrame;
  /** The unacknowledged messages changed. */
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
    default:
      assertNever(frame);
  }
}

function assertNever(frame: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(frame)}`);
}
