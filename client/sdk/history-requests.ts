import {
  CLIENT_FRAME,
  type ErrorFrame,
  FRAME_LIMITS,
  type HistoryPageFrame,
  type HistoryRequestFrame,
} from "../../protocol/frames.ts";
import { isSeqPosition } from "../../protocol/parse-client.ts";

/** Which page to read: messages older than `before`, or newer than `after`; never both. */
export type HistoryQuery = { before: number; after?: never } | { after: number; before?: never };

/** A page of messages, oldest first, and whether more lie beyond it in the direction it was read. */
export type HistoryPage = Pick<HistoryPageFrame, "messages" | "hasMore">;

/** The frame asking for a page; a RangeError for arguments the room would refuse, as a caller's bug. */
export function historyFrame(query: HistoryQuery, limit: number): HistoryRequestFrame | RangeError {
  // Checked although the type forbids it: a refused request would leave the pages matched to the wrong requests.
  if (query.before !== undefined && query.after !== undefined) return new RangeError("`before` or `after`, not both");
  const seq = query.before ?? query.after;
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
 * History requests waiting for their page. A page carries no request id, but
 * the room answers one connection's frames in order, so pages match requests
 * first in, first out. Requests made while no link is up wait for the next
 * one; they are still in the order they will be sent.
 */
export class HistoryRequests {
  readonly #transmit: (frame: HistoryRequestFrame) => void;
  #waiting: HistoryRequest[] = [];
  #linkUp = false;

  constructor(transmit: (frame: HistoryRequestFrame) => void) {
    this.#transmit = transmit;
  }

  ask(request: HistoryRequest): void {
    this.#waiting.push(request);
    if (this.#linkUp) this.#transmit(request.frame);
  }

  /** A page arrived; false when nothing was waiting for one. */
  answer(page: HistoryPage): boolean {
    const request = this.#waiting.shift();
    request?.answered(page);
    return request !== undefined;
  }

  /** The room refused the oldest request (an error without id can only be about one); false when none waits. */
  refused(error: ErrorFrame): boolean {
    const request = this.#waiting.shift();
    request?.abandoned(new Error(`the room refused a history request: ${error.message}`));
    return request !== undefined;
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
}
