/**
 * What the user asks of the room's messages: send, reply, edit, delete and
 * react, checked here with the room's own rules before anything is queued,
 * so that a mistake is a refusal the caller sees at once rather than a
 * frame the room refuses later. What passes goes into the outbox.
 */
import { ERROR_CODE, type ErrorCode, FRAME_LIMITS, type Message, type User } from "../../protocol/frames.ts";
import {
  EMOJI_RULE,
  isStoredSeqPosition,
  normalizeEmoji,
  parseMentions,
  parseMessageText,
} from "../../protocol/parse-client.ts";
import type { Outbox } from "./outbox.ts";
import type { ChangeTarget } from "./pending-changes.ts";
import type { RoomView } from "./room-view.ts";

/** How a message is sent: answering one (its seq), and naming people (their user ids). */
export interface SendOptions {
  replyTo?: number;
  mentions?: readonly string[];
}

/** How a deletion is made: a moderator's of someone else's message, with the reason everyone sees. */
export interface DeleteOptions {
  reason?: string;
  anyAuthor?: boolean;
}

export interface EditOptions {
  /** The people the message names now; without it, it names nobody. */
  mentions?: readonly string[];
}

/** A change the room would refuse, refused here: nothing was queued. */
export interface ChangeRefusal {
  ok: false;
  code: ErrorCode;
  message: string;
}

/** A change queued (`id` is its client id), or refused. */
export type ChangeResult = { ok: true; id: string } | ChangeRefusal;

const NOT_A_SEQ = "a message's seq is an integer of 1 or more";

export class ChangeRequests {
  readonly #view: RoomView;
  readonly #outbox: Outbox;
  readonly #me: () => User | null;

  constructor(view: RoomView, outbox: Outbox, me: () => User | null) {
    this.#view = view;
    this.#outbox = outbox;
    this.#me = me;
  }

  /** Queues a message; one the room would refuse is queued as failed, never sent. */
  send(text: string, { replyTo, mentions }: SendOptions): string {
    return this.#outbox.add({
      text,
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(mentions === undefined ? {} : { mentions: [...mentions] }),
    });
  }

  /**
   * Edits a message: a stored one by its seq, or one of the user's own by
   * the client id `send` returned. A message still waiting in the outbox
   * gets the new text there instead, and no edit is sent.
   */
  edit(target: ChangeTarget, text: string, { mentions }: EditOptions): ChangeResult {
    const checkedText = parseMessageText(text);
    if (!checkedText.ok) return refusal(checkedText.code, checkedText.message);
    const checkedMentions = mentions === undefined ? undefined : parseMentions([...mentions]);
    if (checkedMentions?.ok === false) return refusal(checkedMentions.code, checkedMentions.message);
    const named = checkedMentions === undefined ? {} : { mentions: checkedMentions.value };
    if (typeof target === "string" && this.#outbox.isWaiting(target) && this.#isQueuedMessage(target)) {
      this.#outbox.revise(target, checkedText.value, named.mentions);
      return { ok: true, id: target };
    }
    const resolved = this.#resolve(target);
    if (!resolved.ok) return resolved;
    return this.#queue({ kind: "edit", target: resolved.target, text: checkedText.value, ...named });
  }

  /**
   * Deletes a message, named as `edit` names one; a message still waiting
   * in the outbox simply leaves it. A moderator (`anyAuthor`) may delete
   * anyone's message, with a `reason`.
   */
  delete(target: ChangeTarget, { reason, anyAuthor = false }: DeleteOptions = {}): ChangeResult {
    if (typeof target === "string" && this.#outbox.isWaiting(target) && this.#isQueuedMessage(target)) {
      this.#outbox.discard(target);
      return { ok: true, id: target };
    }
    const resolved = this.#resolve(target, anyAuthor);
    if (!resolved.ok) return resolved;
    return this.#queue({ kind: "delete", target: resolved.target, ...(reason === undefined ? {} : { reason }) });
  }

  /**
   * Adds (`on`) or removes the user's reaction `emoji` on message `seq`;
   * without `on`, toggles it as the view shows it. Shown at once, before
   * the room has it (the `reaction` event with a null `event`).
   */
  react(seq: number, emoji: string, on?: boolean): ChangeResult {
    if (!isStoredSeqPosition(seq)) return refusal(ERROR_CODE.badRequest, NOT_A_SEQ);
    const normalized = normalizeEmoji(emoji);
    if (normalized === null) return refusal(ERROR_CODE.badRequest, EMOJI_RULE);
    const message = this.#view.get(seq);
    if (message?.deleted === true) return refusal(ERROR_CODE.notFound, `message ${seq} is deleted`);
    const turnOn = on ?? !this.#view.reactions.shows(message, seq, normalized);
    if (turnOn && isNewEmojiBeyondLimit(message, normalized)) {
      const text = `a message holds at most ${FRAME_LIMITS.maxReactionEmoji} distinct emoji`;
      return refusal(ERROR_CODE.limitReached, text);
    }
    return this.#queue({ kind: "react", target: seq, emoji: normalized, on: turnOn });
  }

  #queue(change: Parameters<Outbox["addChecked"]>[0]): ChangeResult {
    const queued = this.#outbox.addChecked(change);
    return queued.ok ? queued : refusal(queued.code, queued.message);
  }

  #isQueuedMessage(id: string): boolean {
    const queued = this.#outbox.find(id);
    return queued !== undefined && (queued.kind === undefined || queued.kind === "send");
  }

  /**
   * The target of an edit or deletion, checked against what the view
   * knows: a seq of the user's own message that is not deleted, or the
   * client id of the user's queued message that may already be stored (in
   * flight, or sent before a drop), whose seq its ack brings.
   */
  #resolve(target: ChangeTarget, anyAuthor = false): { ok: true; target: ChangeTarget } | ChangeRefusal {
    if (typeof target === "string") {
      if (this.#outbox.find(target) !== undefined && this.#isQueuedMessage(target)) return { ok: true, target };
      const seq = this.#view.ownSeqOf(target);
      return seq === null
        ? refusal(ERROR_CODE.notFound, `no message of yours has the id ${target}`)
        : this.#resolve(seq);
    }
    if (!isStoredSeqPosition(target)) return refusal(ERROR_CODE.badRequest, NOT_A_SEQ);
    const message = this.#view.get(target);
    if (message?.deleted === true) return refusal(ERROR_CODE.notFound, `message ${target} is deleted`);
    const me = this.#me();
    if (!anyAuthor && message !== null && me !== null && message.user.id !== me.id) {
      return refusal(ERROR_CODE.forbidden, "only its author changes a message");
    }
    return { ok: true, target };
  }
}

/** Whether adding `emoji` would give the message more distinct emoji than the room allows. */
function isNewEmojiBeyondLimit(message: Message | null, emoji: string): boolean {
  const reactions = message?.reactions ?? [];
  return reactions.length >= FRAME_LIMITS.maxReactionEmoji && !reactions.some((each) => each.emoji === emoji);
}

function refusal(code: ErrorCode, message: string): ChangeRefusal {
  return { ok: false, code, message };
}
