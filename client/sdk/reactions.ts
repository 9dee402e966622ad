import { FRAME_LIMITS, type Message, type Reaction } from "../../protocol/frames.ts";
import type { PendingMessage } from "./pending-changes.ts";

/**
 * A message's reactions after one user's reaction `emoji` was added (`on`)
 * or removed, as the room keeps them: one aggregate per emoji in the order
 * each was first added, its `count`, and the first 50 users who reacted. A
 * new emoji goes last; an emoji whose count falls to 0 goes. The room lists
 * the earliest 50 again when a listed user leaves a crowd of more than 50;
 * the view cannot know who moves up, so its list is one shorter until the
 * next page or welcome brings the room's.
 */
export function withReaction(
  reactions: readonly Reaction[] | undefined,
  emoji: string,
  userId: string,
  on: boolean,
): Reaction[] {
  const all = [...(reactions ?? [])];
  const index = all.findIndex((reaction) => reaction.emoji === emoji);
  const current = all[index];
  if (current === undefined) return on ? [...all, { emoji, count: 1, users: [userId] }] : all;
  const count = current.count + (on ? 1 : -1);
  if (count <= 0) return all.filter((_, at) => at !== index);
  const listed = current.users.includes(userId);
  const users = on
    ? listed || current.users.length >= FRAME_LIMITS.reactionUsersListed
      ? current.users
      : [...current.users, userId]
    : current.users.filter((user) => user !== userId);
  all[index] = { emoji, count, users };
  return all;
}

/** A message with `reactions` in place of its own, without the field when there are none. */
export function withReactions(message: Message, reactions: Reaction[]): Message {
  const { reactions: _, ...rest } = message;
  return reactions.length === 0 ? rest : { ...rest, reactions };
}

/** A reaction of the user that the room has not stored yet, by the id of the `react` frame that carries it. */
export interface PendingReaction {
  target: number;
  emoji: string;
  on: boolean;
  /** The seq the room stored it under, once acknowledged; it stays shown until that event is delivered. */
  seq: number | null;
}

/**
 * The user's own reactions: what the room says they are, and the layer of
 * those the room has not stored yet, which a view shows over the room's
 * state. The layer sets a reaction rather than toggling it, so that once
 * the room's own event is applied underneath, the layer changes nothing and
 * nothing is counted twice.
 */
export class OwnReactions {
  readonly #me: () => string | null;
  /**
   * What the room said of the user's reactions, by message and emoji:
   * consulted only where a message's list of 50 does not tell (its count
   * is larger, and the user is not among the listed).
   */
  readonly #known = new Map<number, Map<string, boolean>>();
  readonly #pending = new Map<string, PendingReaction>();

  constructor(me: () => string | null) {
    this.#me = me;
  }

  /** Whether the room's state `message` holds the user's reaction `emoji`. */
  has(message: Message, emoji: string): boolean {
    const me = this.#me();
    const reaction = message.reactions?.find((each) => each.emoji === emoji);
    if (me === null || reaction === undefined) return false;
    if (reaction.users.includes(me)) return true;
    return reaction.count > reaction.users.length && this.#known.get(message.seq)?.get(emoji) === true;
  }

  /** The room said the user's reaction `emoji` on message `target` is `on` (an event of theirs, an unchanged ack). */
  learned(target: number, emoji: string, on: boolean): void {
    const byEmoji = this.#known.get(target) ?? new Map<string, boolean>();
    this.#known.set(target, byEmoji.set(emoji, on));
  }

  /** The view was rebuilt: what the room said of messages it held no longer matters. */
  forgetKnown(): void {
    this.#known.clear();
  }

  /** `message` with the reactions the room has not stored yet shown on it. */
  overlay(message: Message): Message {
    const me = this.#me();
    // A deleted message has no reactions; the room refuses the user's pending ones.
    if (me === null || message.deleted === true) return message;
    let shown = message;
    // What the layer set so far: beyond a full list of 50, the user's reaction is counted but not listed.
    const set = new Map<string, boolean>();
    for (const pending of this.#pending.values()) {
      if (pending.target !== message.seq) continue;
      const has = set.get(pending.emoji) ?? this.has(message, pending.emoji);
      if (has !== pending.on) {
        shown = withReactions(shown, withReaction(shown.reactions, pending.emoji, me, pending.on));
      }
      set.set(pending.emoji, pending.on);
    }
    return shown;
  }

  /** Whether the user's reaction `emoji` is on `message` as a view shows it: the latest the user asked for, else the room's. */
  shows(message: Message | null, target: number, emoji: string): boolean {
    let latest: boolean | null = null;
    for (const pending of this.#pending.values()) {
      if (pending.target === target && pending.emoji === emoji) latest = pending.on;
    }
    return latest ?? (message !== null && this.has(message, emoji));
  }

  /**
   * Follows the outbox: its reactions waiting to be sent are pending, and
   * one that left it unacknowledged (refused, discarded, sent from another
   * tab) is no longer. Returns the messages whose shown reactions changed.
   */
  queued(outbox: readonly PendingMessage[]): Set<number> {
    const waiting = new Map<string, PendingReaction>();
    for (const change of outbox) {
      if (change.kind === "react" && change.status === "pending") {
        waiting.set(change.id, { target: change.target, emoji: change.emoji, on: change.on, seq: null });
      }
    }
    const changed = new Set<number>();
    for (const [id, pending] of this.#pending) {
      if (pending.seq !== null || waiting.has(id)) continue;
      this.#pending.delete(id);
      changed.add(pending.target);
    }
    for (const [id, pending] of waiting) {
      if (this.#pending.has(id)) continue;
      this.#pending.set(id, pending);
      changed.add(pending.target);
    }
    return changed;
  }

  /** The room stored the reaction with this frame id under `seq`: it stays shown until that event is delivered. */
  stored(id: string, seq: number): void {
    const pending = this.#pending.get(id);
    if (pending !== undefined) pending.seq = seq;
  }

  /** The room found the reaction with this frame id changed nothing: the user's reaction is as it asked. */
  unchanged(id: string): void {
    const pending = this.#pending.get(id);
    if (pending !== undefined) this.learned(pending.target, pending.emoji, pending.on);
  }

  /** Drops the stored reactions whose events are delivered (up to `lastDelivered`). */
  settle(lastDelivered: number | null): void {
    if (lastDelivered === null) return;
    for (const [id, pending] of this.#pending) {
      if (pending.seq !== null && pending.seq <= lastDelivered) this.#pending.delete(id);
    }
  }
}
