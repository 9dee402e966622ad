import {
  CLIENT_FRAME,
  ERROR_CODE,
  type ErrorCode,
  type ErrorFrame,
  encodeFrame,
  type SendFrame,
} from "../../protocol/frames.ts";
import { parseClientFrame } from "../../protocol/parse-client.ts";
import type { Cancel, Schedule } from "./schedule.ts";

/** A message the room has not acknowledged yet: waiting to be sent (again), or refused for good. */
export type PendingMessage =
  | { id: string; text: string; status: "pending" }
  | { id: string; text: string; status: "failed"; code: ErrorCode; reason: string };

export interface OutboxOptions {
  schedule: Schedule;
  newId(): string;
  /** The deployment's frame limit, checked before a message is ever sent. */
  maxFrameBytes: number;
  transmit(frame: SendFrame): void;
  changed(messages: readonly PendingMessage[]): void;
}

/** Used when a `rate_limited` error comes without `retryAfter`. */
const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * The messages the user sent and the room has not acknowledged, in the
 * user's order. Exactly one `send` is in flight at a time: the room may
 * refuse one send (rate limit) and accept the next, and only waiting for each
 * ack keeps the user's order. A message is re-sent with the same id after a
 * reconnect; the room stores a (user, id) once and acks a repeat again.
 * Where several connections share one queue (the tabs of a room), only the
 * one holding the session store's lease sends; the others show the queue.
 */
export class Outbox {
  readonly #options: OutboxOptions;
  #messages: PendingMessage[];
  #linkUp = false;
  #inFlight: string | null = null;
  #cancelPause: Cancel | null = null;

  constructor(saved: readonly PendingMessage[], options: OutboxOptions) {
    this.#messages = [...saved];
    this.#options = options;
  }

  get messages(): readonly PendingMessage[] {
    return this.#messages;
  }

  /** Records a message and sends it when its turn comes; returns its client id. */
  add(text: string): string {
    const id = this.#options.newId();
    const frame: SendFrame = { type: CLIENT_FRAME.send, id, text };
    // The room's own parser: a message it would refuse fails here, before it can block the queue.
    const check = parseClientFrame(encodeFrame(frame), this.#options.maxFrameBytes);
    const message: PendingMessage = check.ok
      ? { id, text, status: "pending" }
      : { id, text, status: "failed", code: check.code, reason: check.message };
    this.#update([...this.#messages, message]);
    this.#pump();
    return id;
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

  /** The room stored this message (an ack, or the user's own message seen in the stream). */
  confirmed(id: string): void {
    if (!this.#has(id)) return;
    this.#update(this.#messages.filter((message) => message.id !== id));
    if (this.#inFlight === id) this.#inFlight = null;
    this.#pump();
  }

  /**
   * The queue as another connection sharing the session store left it,
   * taken whole and in its order. A message in flight that is gone from it
   * was confirmed (or discarded) there, so the next one may go.
   */
  synced(messages: readonly PendingMessage[]): void {
    if (this.#inFlight !== null && !messages.some((message) => message.id === this.#inFlight)) this.#inFlight = null;
    this.#update([...messages]);
    this.#pump();
  }

  /** Handles an error about a queued send; false when the error is about something else. */
  refused({ code, message, id, retryAfter }: ErrorFrame): boolean {
    // An oversized frame is refused before it is parsed, so its error cannot carry the id; it is the one in flight.
    const target = id ?? (code === ERROR_CODE.tooLarge ? this.#inFlight : null);
    if (target === null || !this.#has(target)) return false;
    if (code === ERROR_CODE.rateLimited) {
      if (this.#inFlight === target) this.#inFlight = null;
      this.#pause(retryAfter ?? DEFAULT_RETRY_AFTER_MS);
      return true;
    }
    if (code !== ERROR_CODE.tooLarge && code !== ERROR_CODE.badRequest) return false;
    this.#update(
      this.#messages.map((pending) =>
        pending.id === target ? { id: target, text: pending.text, status: "failed", code, reason: message } : pending,
      ),
    );
    if (this.#inFlight === target) this.#inFlight = null;
    this.#pump();
    return true;
  }

  /** Queues a failed message again, after the ones waiting now. */
  retry(id: string): boolean {
    const failed = this.#messages.find((message) => message.id === id && message.status === "failed");
    if (failed === undefined) return false;
    const others = this.#messages.filter((message) => message.id !== id);
    this.#update([...others, { id, text: failed.text, status: "pending" }]);
    this.#pump();
    return true;
  }

  /** Forgets a message that is not in flight; true when it was removed. */
  discard(id: string): boolean {
    if (!this.#has(id) || this.#inFlight === id) return false;
    this.#update(this.#messages.filter((message) => message.id !== id));
    return true;
  }

  /** Cancels a pending rate-limit pause; the messages stay. */
  stop(): void {
    this.#cancelPause?.();
    this.#cancelPause = null;
  }

  #pump(): void {
    if (!this.#linkUp || this.#inFlight !== null || this.#cancelPause !== null) return;
    const next = this.#messages.find((message) => message.status === "pending");
    if (next === undefined) return;
    this.#inFlight = next.id;
    this.#options.transmit({ type: CLIENT_FRAME.send, id: next.id, text: next.text });
  }

  #pause(ms: number): void {
    this.#cancelPause?.();
    this.#cancelPause = this.#options.schedule(() => {
      this.#cancelPause = null;
      this.#pump();
    }, ms);
  }

  #has(id: string): boolean {
    return this.#messages.some((message) => message.id === id);
  }

  #update(messages: PendingMessage[]): void {
    this.#messages = messages;
    this.#options.changed(messages);
  }
}
