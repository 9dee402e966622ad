/**
 * Frames the room answers to the asking connection, each matched to its
 * answer by a key the frame carries: the `ref` of a search or of a question
 * about an owned room, or the `id` of a frame that stores an event. One set
 * holds the requests of one kind; searches, the owner's questions and the
 * owner's changes are each a set of these.
 */
import { type ClientFrame, ERROR_CODE, type ErrorFrame } from "../../protocol/frames.ts";
import { DEFAULT_RETRY_AFTER_MS } from "./options.ts";
import type { Schedule } from "./schedule.ts";

export interface AnsweredRequestsOptions<F extends ClientFrame> {
  transmit(frame: F): void;
  schedule: Schedule;
  /**
   * Whether a request still waiting when the link drops is sent again on
   * the next one (right for a frame the room stores once per id); otherwise
   * the drop abandons it.
   */
  keepAcrossLinks: boolean;
  /** The error a refusal rejects its request with. */
  refusal(error: ErrorFrame): Error;
}

interface Waiting<F, A> {
  frame: F;
  answered(answer: A): void;
  abandoned(error: Error): void;
}

/**
 * Requests waiting for their answer, by key. A request refused for the
 * rate (`rate_limited`) is asked again after `retryAfter`; any other
 * refusal rejects it. One asked while no link is up waits for the next, if
 * it is kept across links; a request can be cancelled with an AbortSignal,
 * and its late answer is then dropped.
 */
export class AnsweredRequests<F extends ClientFrame, A> {
  readonly #options: AnsweredRequestsOptions<F>;
  readonly #waiting = new Map<string, Waiting<F, A>>();
  #linkUp = false;

  constructor(options: AnsweredRequestsOptions<F>) {
    this.#options = options;
  }

  /** Sends `frame` (now, or once a link is up) and waits for the answer that names `key`. */
  ask(key: string, frame: F, signal?: AbortSignal): Promise<A> {
    if (signal?.aborted === true) return Promise.reject(abortError());
    return new Promise((answered, abandoned) => {
      this.#waiting.set(key, { frame, answered, abandoned });
      signal?.addEventListener("abort", () => this.#abandon(key, abortError()), { once: true });
      if (this.#linkUp) this.#options.transmit(frame);
    });
  }

  /** The answer to the request `key` names; false when none waits for it. */
  answer(key: string, answer: A): boolean {
    const waiting = this.#waiting.get(key);
    this.#waiting.delete(key);
    waiting?.answered(answer);
    return waiting !== undefined;
  }

  /** The room refused the request `key` names; false when none waits for it. */
  refused(key: string | undefined, error: ErrorFrame): boolean {
    const waiting = key === undefined ? undefined : this.#waiting.get(key);
    if (key === undefined || waiting === undefined) return false;
    if (error.code === ERROR_CODE.rateLimited) {
      this.#options.schedule(() => {
        if (this.#linkUp && this.#waiting.get(key) === waiting) this.#options.transmit(waiting.frame);
      }, error.retryAfter ?? DEFAULT_RETRY_AFTER_MS);
      return true;
    }
    this.#abandon(key, this.#options.refusal(error));
    return true;
  }

  /** A link was welcomed: what waits for one goes now. */
  linkUp(): void {
    this.#linkUp = true;
    for (const { frame } of this.#waiting.values()) this.#options.transmit(frame);
  }

  /** The link dropped: what is not kept across links will not be answered. */
  linkDown(error: Error): void {
    this.#linkUp = false;
    if (!this.#options.keepAcrossLinks) this.abandonAll(error);
  }

  /** The connection stopped: nothing waiting will be answered. */
  abandonAll(error: Error): void {
    for (const key of [...this.#waiting.keys()]) this.#abandon(key, error);
  }

  #abandon(key: string, error: Error): void {
    const waiting = this.#waiting.get(key);
    this.#waiting.delete(key);
    waiting?.abandoned(error);
  }
}

function abortError(): Error {
  return new DOMException("the request was cancelled", "AbortError");
}
