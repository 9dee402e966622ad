import {
  type DeleteEventFrame,
  type EditEventFrame,
  FRAME_LIMITS,
  type Message,
  type ReactionFrame,
  type ReplyPreview,
  SERVER_FRAME,
  type User,
} from "../../protocol/frames.ts";
import { OwnReactions, withReaction, withReactions } from "./reactions.ts";

/** An event that changes a stored message. */
export type ChangeEvent = EditEventFrame | DeleteEventFrame | ReactionFrame;

/** What an event changed, as a view shows it now. */
export interface ViewChange {
  /** The target in its new state; null when the view does not hold it. */
  message: Message | null;
  /** Replies whose preview of the target changed. */
  replies: Message[];
}

/** A message with the seq of the last event its state reflects. */
interface Held {
  message: Message;
  asOf: number;
}

/**
 * The room as this connection knows it: its messages by seq, each in its
 * current state, with the user's reactions the room has not stored yet
 * shown over them (reactions.ts).
 *
 * Every message keeps the seq its state is as of: its own for a live
 * message, the welcome's `lastSeq` for one from a welcome, and for one
 * from a page the last event the link received before the page. An edit,
 * deletion or reaction changes a message only when it is newer than that,
 * and then moves it on, so that applying an event twice, or one that a
 * welcome or page already reflects, changes nothing (docs/protocol.md,
 * Resume). Events about messages the view does not hold are ignored.
 */
export class RoomView {
  readonly #messages = new Map<number, Held>();
  readonly #me: () => User | null;
  readonly reactions: OwnReactions;

  constructor(me: () => User | null) {
    this.#me = me;
    this.reactions = new OwnReactions(() => me()?.id ?? null);
  }

  /** A message, as the user sees it: null when the view does not hold it. */
  get(seq: number): Message | null {
    const held = this.#messages.get(seq);
    return held === undefined ? null : this.reactions.overlay(held.message);
  }

  /** Every message the view holds, oldest first. */
  all(): Message[] {
    return [...this.#messages.keys()].sort((a, b) => a - b).flatMap((seq) => this.get(seq) ?? []);
  }

  /** The seq of the user's own stored message with client id `id`, if the view holds it. */
  ownSeqOf(id: string): number | null {
    const me = this.#me();
    for (const { message } of this.#messages.values()) {
      if (message.id === id && message.user.id === me?.id) return message.seq;
    }
    return null;
  }

  /** Takes a message in its state as of `asOf`, unless the view holds a newer state of it. */
  put(message: Message, asOf: number): void {
    const held = this.#messages.get(message.seq);
    if (held === undefined || asOf >= held.asOf) this.#messages.set(message.seq, { message, asOf });
  }

  /** Applies an edit, deletion or reaction to its target and to the previews of replies to it. */
  apply(event: ChangeEvent): ViewChange {
    const replies = event.type === SERVER_FRAME.reaction ? [] : this.#updateReplies(event);
    const held = this.#messages.get(event.target);
    if (held === undefined) return { message: null, replies };
    if (event.seq > held.asOf) {
      this.#messages.set(event.target, { message: this.#changed(held.message, event), asOf: event.seq });
    }
    return { message: this.get(event.target), replies };
  }

  /** Forgets every message, for a view that must be rebuilt. */
  clear(): void {
    this.#messages.clear();
    this.reactions.forgetKnown();
  }

  #changed(message: Message, event: ChangeEvent): Message {
    // A deleted message has nothing left to change; the room refuses changes to it.
    if (message.deleted === true) return message;
    switch (event.type) {
      case SERVER_FRAME.edit: {
        const { mentions: _, ...rest } = message;
        const edited: Message = { ...rest, text: event.text, editedAt: event.ts };
        return event.mentions === undefined ? edited : { ...edited, mentions: event.mentions };
      }
      case SERVER_FRAME.delete: {
        const { seq, id, user, ts } = message;
        return { seq, id, user, text: "", ts, deleted: true };
      }
      case SERVER_FRAME.reaction: {
        if (event.user.id === this.#me()?.id) this.reactions.learned(event.target, event.emoji, event.on);
        return withReactions(message, withReaction(message.reactions, event.emoji, event.user.id, event.on));
      }
      default:
        return assertNever(event);
    }
  }

  /** Replies to an edited or deleted message show it as it is now. */
  #updateReplies(event: EditEventFrame | DeleteEventFrame): Message[] {
    const updated: Message[] = [];
    for (const [seq, held] of this.#messages) {
      const preview = held.message.replyTo;
      if (preview === undefined || preview.seq !== event.target || preview.deleted === true) continue;
      // A reply whose state is newer than the event already shows what it did.
      if (event.seq <= held.asOf) continue;
      const replyTo: ReplyPreview =
        event.type === SERVER_FRAME.edit
          ? { ...preview, text: firstCodePoints(event.text, FRAME_LIMITS.replyPreviewLength) }
          : { seq: preview.seq, user: preview.user, text: "", deleted: true };
      this.#messages.set(seq, { message: { ...held.message, replyTo }, asOf: held.asOf });
      updated.push(this.get(seq) ?? held.message);
    }
    return updated;
  }
}

function firstCodePoints(text: string, count: number): string {
  if (text.length <= count) return text;
  return Array.from(text).slice(0, count).join("");
}

function assertNever(value: never): never {
  throw new Error(`unhandled event ${JSON.stringify(value)}`);
}
