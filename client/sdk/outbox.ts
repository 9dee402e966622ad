import { ERROR_CODE, type ErrorCode, type ErrorFrame, type EventFrame } from "../../protocol/frames.ts";
import type { FrameRefusal } from "../../protocol/parse-client.ts";
import { DEFAULT_RETRY_AFTER_MS } from "./options.ts";
import {
  changeOf,
  frameOf,
  isFinalRefusal,
  keepsWhenRefused,
  type NewChange,
  type PendingMessage,
  type QueuedChange,
  refusalOf,
} from "./pending-changes.ts";
import type { Cancel, Schedule } from "./schedule.ts";

export type { PendingMessage } from "./pending-changes.ts";

export interface OutboxOptions {
  schedule: Schedule;
  newId(): string;
  /** The deployment's frame limit, checked before a change is ever sent. */
  maxFrameBytes: number;
  transmit(frame: EventFrame): void;
  changed(messages: readonly PendingMessage[]): void;
  /** A deletion or reaction the room refused for good: it left the outbox. */
  dropped(change: QueuedChange, code: ErrorCode, reason: string): void;
  /** The room refused change `id` for the rate (slow mode, the send rate): the queue waits `ms`, then sends it again. */
  paused?(id: string, ms: number, reason: string): void;
  /** The seq of the user's stored message with this client id, where known. */
  seqOf(id: string): number | null;
}

/**
 * The messages the user sent, and the edits, deletions and reactions they
 * made, that the room has not acknowledged, in the user's order. Exactly
 * one frame is in flight at a time: the room may refuse one (rate limit)
 * and accept the next, and only waiting for each ack keeps the user's
 * order. A change is re-sent with the same id after a reconnect; the room
 * stores a (user, id) once, whatever the kind, and acks a repeat again.
 * Where several connections share one queue (the tabs of a room), only the
 * one holding the session store's lease sends; the others show the queue.
 *
 * A refusal for good leaves a message or an edit in the queue, failed, for
 * the user to retry, change or discard; a deletion or a reaction leaves the
 * queue and is reported (see `keepsWhenRefused`).
 */
export class Outbox {
  readonly #options: OutboxOptions;
  #messages: PendingMessage[];
  #linkUp = false;
  #inFlight: string | null = null;
  /**
   * Ids sent on this connection that the room has not answered: the one in
   * flight, and any whose link dropped first. The room may have stored
   * them, so they are no longer changed or dropped in place.
   */
  readonly #unanswered = new Set<string>();
  #cancelPause: Cancel | null = null;

  constructor(saved: readonly PendingMessage[], options: OutboxOptions) {
    this.#messages = [...saved];
    this.#options = options;
  }

  get messages(): readonly PendingMessage[] {
    return this.#messages;
  }

  /**
   * Records a message and sends it when its turn comes; returns its client
   * id. One the room would refuse is recorded as failed, never sent.
   */
  add(change: NewChange): string {
    const queued: QueuedChange = { ...change, id: this.#options.newId() };
    const refusal = refusalOf(queued, this.#options.maxFrameBytes);
    this.#queue(
      refusal === null
        ? { ...queued, status: "pending" }
        : { ...queued, status: "failed", code: refusal.code, reason: refusal.message },
    );
    return queued.id;
  }

  /** Records a change the room would accept, to send when its turn comes; one it would refuse is refused here, unqueued. */
  addChecked(change: NewChange): { ok: true; id: string } | FrameRefusal {
    const queued: QueuedChange = { ...change, id: this.#options.newId() };
    const refusal = refusalOf(queued, this.#options.maxFrameBytes);
    if (refusal !== null) return refusal;
    this.#queue({ ...queued, status: "pending" });
    return { ok: true, id: queued.id };
  }

  /** The queued change with this id. */
  find(id: string): PendingMessage | undefined {
    return this.#messages.find((message) => message.id === id);
  }

  /**
   * Whether the change with this id waits in the queue and cannot have
   * been stored (it is neither in flight nor sent on a link that dropped
   * before the answer): it can still be changed or discarded.
   */
  isWaiting(id: string): boolean {
    return this.#has(id) && !this.#unanswered.has(id);
  }

  /**
   * Gives a queued message new text (and mentions) before it is sent, in
   * place of an edit; a failed one is queued again, after the ones waiting
   * now. False when it is not a queued message, or it may have been stored.
   */
  revise(id: string, text: string, mentions: readonly string[] | undefined): boolean {
    const found = this.#messages.find((pending) => pending.id === id);
    if (found === undefined || !this.isWaiting(id)) return false;
    const change = changeOf(found);
    if (change.kind !== undefined && change.kind !== "send") return false;
    const { mentions: _, ...rest } = change;
    const revised = { ...rest, text, ...(mentions === undefined ? {} : { mentions: [...mentions] }) };
    const refusal = refusalOf(revised, this.#options.maxFrameBytes);
    const pending: PendingMessage =
      refusal === null
        ? { ...revised, status: "pending" }
        : { ...revised, status: "failed", code: refusal.code, reason: refusal.message };
    const others = this.#messages.filter((message) => message.id !== id);
    this.#update(
      found.status === "failed"
        ? [...others, pending]
        : this.#messages.map((message) => (message.id === id ? pending : message)),
    );
    this.#pump();
    return true;
  }

  /** The link is welcomed and the lease to send is this connection's: send what waits. */
  linkUp(): void {
    this.#linkUp = true;
    this.#pump();
  }

  /** The link dropped (and the lease with it): whatever was in flight goes again on the next link. */
  linkDown(): void {
    this.#linkUp = false;
    this.#inFlight = null;
  }

  /**
   * The room stored this change (an ack, or the user's own message seen in
   * the stream). With the seq it was stored under, the changes queued
   * after it that name it by its client id now name it by its seq.
   */
  confirmed(id: string, seq?: number): void {
    if (!this.#has(id)) return;
    const left = this.#messages.filter((message) => message.id !== id);
    this.#update(seq === undefined ? left : left.map((message) => retargeted(message, id, seq)));
    this.#answered(id);
    this.#pump();
  }

  /**
   * The queue as another connection sharing the session store left it,
   * taken whole and in its order. A change in flight that is gone from it
   * was confirmed (or discarded) there, so the next one may go.
   */
  synced(messages: readonly PendingMessage[]): void {
    if (this.#inFlight !== null && !messages.some((message) => message.id === this.#inFlight)) this.#inFlight = null;
    this.#update([...messages]);
    this.#pump();
  }

  /** Handles an error about a queued change; false when the error is about something else. */
  refused({ code, message, id, retryAfter }: ErrorFrame): boolean {
    // An oversized frame is refused before it is parsed, so its error cannot carry the id; it is the one in flight.
    const target = id ?? (code === ERROR_CODE.tooLarge ? this.#inFlight : null);
    const refused = this.#messages.find((pending) => pending.id === target);
    if (target === null || refused === undefined) return false;
    if (code === ERROR_CODE.rateLimited) {
      const wait = retryAfter ?? DEFAULT_RETRY_AFTER_MS;
      this.#answered(target);
      this.#pause(wait);
      this.#options.paused?.(target, wait, message);
      return true;
    }
    if (!isFinalRefusal(code)) return false;
    this.#answered(target);
    this.#refuse(refused, code, message);
    this.#pump();
    return true;
  }

  /** Queues a failed change again, after the ones waiting now. */
  retry(id: string): boolean {
    const failed = this.#messages.find((message) => message.id === id && message.status === "failed");
    if (failed === undefined) return false;
    const others = this.#messages.filter((message) => message.id !== id);
    this.#update([...others, { ...changeOf(failed), status: "pending" }]);
    this.#pump();
    return true;
  }

  /** Forgets a change that cannot have been stored (see `isWaiting`); true when it was removed. */
  discard(id: string): boolean {
    if (!this.isWaiting(id)) return false;
    this.#update(this.#messages.filter((message) => message.id !== id));
    return true;
  }

  /** Cancels a pending rate-limit pause; the changes stay. */
  stop(): void {
    this.#cancelPause?.();
    this.#cancelPause = null;
  }

  #pump(): void {
    while (this.#linkUp && this.#inFlight === null && this.#cancelPause === null) {
      const next = this.#messages.find((message) => message.status === "pending");
      if (next === undefined) return;
      const target = this.#targetOf(next);
      if (target === null) {
        // Named by the client id of a message that was never stored (refused, or discarded elsewhere).
        this.#refuse(next, ERROR_CODE.notFound, "the message this changes was not stored");
        continue;
      }
      this.#inFlight = next.id;
      this.#unanswered.add(next.id);
      this.#options.transmit(frameOf(next, target));
    }
  }

  /** The seq a change is about; 0 for a message, which has none; null when it names a message never stored. */
  #targetOf(change: QueuedChange): number | null {
    if (!("target" in change)) return 0;
    if (typeof change.target === "number") return change.target;
    return this.#options.seqOf(change.target);
  }

  #refuse(refused: PendingMessage, code: ErrorCode, reason: string): void {
    const change = changeOf(refused);
    if (keepsWhenRefused(change)) {
      this.#update(
        this.#messages.map((pending) =>
          pending.id === refused.id ? { ...change, status: "failed", code, reason } : pending,
        ),
      );
      return;
    }
    this.#update(this.#messages.filter((pending) => pending.id !== refused.id));
    this.#options.dropped(change, code, reason);
  }

  #queue(pending: PendingMessage): void {
    this.#update([...this.#messages, pending]);
    this.#pump();
  }

  #pause(ms: number): void {
    this.#cancelPause?.();
    this.#cancelPause = this.#options.schedule(() => {
      this.#cancelPause = null;
      this.#pump();
    }, ms);
  }

  /** The room answered the frame with this id: it stored it, or refused it and stored nothing. */
  #answered(id: string): void {
    this.#unanswered.delete(id);
    if (this.#inFlight === id) this.#inFlight = null;
  }

  #has(id: string): boolean {
    return this.#messages.some((message) => message.id === id);
  }

  #update(messages: PendingMessage[]): void {
    this.#messages = messages;
    this.#options.changed(messages);
  }
}

/** A change that named message `id` by its client id, naming it by `seq` instead. */
function retargeted(pending: PendingMessage, id: string, seq: number): PendingMessage {
  return (pending.kind === "edit" || pending.kind === "delete") && pending.target === id
    ? { ...pending, target: seq }
    : pending;
}
