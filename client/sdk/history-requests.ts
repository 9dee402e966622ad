import {
  CLIENT_FRAME,
  ERROR_CODE,
  type ErrorFrame,
  FRAME_LIMITS,
  type HistoryPageFrame,
  type HistoryRequestFrame,
} from "../../protocol/frames.ts";
import { boundsGiven, isSeqPosition } from "../../protocol/parse-client.ts";
import { DEFAULT_RETRY_AFTER_MS } from "./options.ts";
import type { Schedule } from "./schedule.ts";

/** Which page to read: messages older than `before`, newer than `after`, or centred on `around`; one of them. */
export type HistoryQuery =
  | { before: number; after?: never; around?: never }
  | { after: number; before?: never; around?: never }
  | { around: number; before?: never; after?: never };

/**
 * A page of messages, oldest first, and whether more lie beyond it in the
 * direction it was read (for `around`: `hasMore` older, `hasNewer` newer).
 */
export type HistoryPage = Pick<HistoryPageFrame, "messages" | "hasMore" | "hasNewer">;

/** The frame asking for a page; a RangeError for arguments the room would refuse, as a caller's bug. */
export function historyFrame(query: HistoryQuery, limit: number): HistoryRequestFrame | RangeError {
  // Checked although the type forbids it: a refused request would leave the pages matched to the wrong requests.
  if (boundsGiven(query) !== 1) return new RangeError("one of `before`, `after` and `around`");
  const seq = query.before ?? query.after ?? query.around;
  if (!isSeqPosition(seq)) return new RangeError(`a history page starts at a seq >= 0, not ${seq}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > FRAME_LIMITS.historyPageMax) {
    return new RangeError(`a history page holds 1 to ${FRAME_LIMITS.historyPageMax} messages, not ${limit}`);
  }
  return { type: CLIENT_FRAME.history, ...query, limit };
}

export interface HistoryRequest {
  frame: HistoryRequestFrame;
  answered(page: HistoryPage): void;
  /** The request will not be answered: the connection stopped, or (for one not kept) the link dropped. */
  abandoned(error: Error): void;
  /** Asked again on the next link if this one drops before the answer. */
  keepAcrossLinks: boolean;
}

/**
 * History requests waiting for their page. Each request gets a `ref` that
 * the room echoes in its answer and in any error about it, so a page goes to
 * the request that asked for it even when answers overlap. A page or error
 * without a `ref` (a room that does not echo one) goes to the oldest
 * request, since the room answers one connection's frames in order. Requests
 * made while no link is up wait for the next one, in the order they will be
 * sent.
 */
export class HistoryRequests {
  readonly #transmit: (frame: HistoryRequestFrame) => void;
  readonly #schedule: Schedule;
  #waiting: HistoryRequest[] = [];
  #linkUp = false;
  #nextRef = 1;

  constructor(transmit: (frame: HistoryRequestFrame) => void, schedule: Schedule) {
    this.#transmit = transmit;
    this.#schedule = schedule;
  }

  ask(request: HistoryRequest): void {
    const asked = { ...request, frame: { ...request.frame, ref: `h${this.#nextRef++}` } };
    this.#waiting.push(asked);
    if (this.#linkUp) this.#transmit(asked.frame);
  }

  /** A page arrived; false when nothing was waiting for it. */
  answer(page: HistoryPage & { ref?: string }): boolean {
    const request = this.#take(page.ref);
    request?.answered({
      messages: page.messages,
      hasMore: page.hasMore,
      ...(page.hasNewer === undefined ? {} : { hasNewer: page.hasNewer }),
    });
    return request !== undefined;
  }

  /**
   * The room refused a request: the one its `ref` names, or else the
   * oldest; false when none waits. A request refused for the rate (the
   * connection's budget of frames or of bytes answered) is asked again once
   * `retryAfter` has passed; any other refusal is final.
   */
  refused(error: ErrorFrame): boolean {
    const index = this.#indexOf(error.ref);
    const request = this.#waiting[index];
    if (request === undefined) return false;
    if (error.code === ERROR_CODE.rateLimited) {
      this.#schedule(() => {
        if (this.#linkUp && this.#waiting.includes(request)) this.#transmit(request.frame);
      }, error.retryAfter ?? DEFAULT_RETRY_AFTER_MS);
      return true;
    }
    this.#waiting.splice(index, 1);
    request.abandoned(new Error(`the room refused a history request: ${error.message}`));
    return true;
  }

  linkUp(): void {
    this.#linkUp = true;
    for (const request of this.#waiting) this.#transmit(request.frame);
  }

  linkDown(): void {
    this.#linkUp = false;
    const dropped = this.#waiting.filter((request) => !request.keepAcrossLinks);
    this.#waiting = this.#waiting.filter((request) => request.keepAcrossLinks);
    for (const request of dropped) request.abandoned(new Error("the connection dropped"));
  }

  /** The connection stopped: nothing will be answered. */
  abandonAll(error: Error): void {
    const all = this.#waiting;
    this.#waiting = [];
    for (const request of all) request.abandoned(error);
  }

  /** Removes and returns the request `ref` names, or the oldest when there is no `ref`. */
  #take(ref: string | undefined): HistoryRequest | undefined {
    const index = this.#indexOf(ref);
    return index < 0 ? undefined : this.#waiting.splice(index, 1)[0];
  }

  #indexOf(ref: string | undefined): number {
    if (ref === undefined) return this.#waiting.length > 0 ? 0 : -1;
    return this.#waiting.findIndex((request) => request.frame.ref === ref);
  }
}
