import {
  type AckFrame,
  type CallEventFrame,
  type LogEvent,
  type ModerationEventFrame,
  SERVER_FRAME,
  type SettingsEventFrame,
  type User,
} from "../../protocol/frames.ts";
import type { Emitter } from "./emitter.ts";
import type { RoomEvents } from "./events.ts";
import type { HistoryPage } from "./history-requests.ts";
import type { Truncation } from "./ordered-delivery.ts";
import type { Outbox } from "./outbox.ts";
import type { PendingMessage } from "./pending-changes.ts";
import type { RoomView } from "./room-view.ts";

/** The events of the log that change messages; settings and moderation change where the user stands (room-standing.ts). */
export type MessageLogEvent = Exclude<LogEvent, SettingsEventFrame | ModerationEventFrame | CallEventFrame>;

/**
 * Keeps the room view up to date with what the connection learns (the log
 * in order, acks, pages, the outbox as it changes) and emits each change as
 * the event a UI re-renders from.
 */
export class ViewUpdates {
  readonly #view: RoomView;
  readonly #outbox: () => Outbox;
  readonly #events: Emitter<RoomEvents>;
  readonly #me: () => User | null;

  constructor(view: RoomView, outbox: () => Outbox, events: Emitter<RoomEvents>, me: () => User | null) {
    this.#view = view;
    this.#outbox = outbox;
    this.#events = events;
    this.#me = me;
  }

  /** The next event of the log, in its place; a message's state is as of `asOf`. */
  delivered(event: MessageLogEvent, asOf: number): void {
    switch (event.type) {
      case SERVER_FRAME.message: {
        const { type: _, ...message } = event;
        this.#view.put(message, asOf);
        if (message.user.id === this.#me()?.id) this.#outbox().confirmed(message.id, message.seq);
        this.#events.emit("message", this.#view.get(message.seq) ?? message);
        break;
      }
      case SERVER_FRAME.edit:
        this.#events.emit("edit", { event, ...this.#view.apply(event) });
        break;
      case SERVER_FRAME.delete:
        this.#events.emit("delete", { event, ...this.#view.apply(event) });
        break;
      case SERVER_FRAME.reaction:
        this.#events.emit("reaction", { event, message: this.#view.apply(event).message });
        break;
      default:
        assertNever(event);
    }
  }

  /**
   * The room answered one of the user's frames. A stored reaction stays
   * shown over the view until its event is delivered, so that it never
   * blinks out between the ack and the event; one that changed nothing
   * goes with its outbox entry.
   */
  acked(ack: AckFrame, lastDelivered: number | null): void {
    if ("seq" in ack) {
      this.#view.reactions.stored(ack.id, ack.seq);
      this.#outbox().confirmed(ack.id, ack.seq);
    } else {
      this.#view.reactions.unchanged(ack.id);
      this.#outbox().confirmed(ack.id);
    }
    this.delivering(lastDelivered);
  }

  /** Events up to `lastDelivered` are in the view: the user's reactions they stored are no longer pending. */
  delivering(lastDelivered: number | null): void {
    this.#view.reactions.settle(lastDelivered);
  }

  /** The user's reactions waiting in the outbox are shown over the view; one that left it unstored is taken back. */
  outboxChanged(outbox: readonly PendingMessage[]): void {
    for (const target of this.#view.reactions.queued(outbox)) {
      this.#events.emit("reaction", { event: null, message: this.#view.get(target) });
    }
  }

  /** A page that `history()` asked for: its messages join the view, in their state as of `asOf`. */
  paged(page: HistoryPage, asOf: number): HistoryPage {
    for (const message of page.messages) this.#view.put(message, asOf);
    return { ...page, messages: page.messages.map((message) => this.#view.get(message.seq) ?? message) };
  }

  /** A view broken by a reset of the room's history starts over; one that lost a gap keeps what it holds. */
  truncated(truncation: Truncation): void {
    if (truncation.lastDelivered === null || truncation.resumeAfter < truncation.lastDelivered) this.#view.clear();
    this.#events.emit("truncated", truncation);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled event ${JSON.stringify(value)}`);
}
