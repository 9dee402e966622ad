import {
  CLIENT_FRAME,
  ERROR_CODE,
  type ErrorFrame,
  FRAME_LIMITS,
  type SearchFrame,
  type SearchResultsFrame,
} from "../../protocol/frames.ts";
import { isSearchLimit, isSeqPosition, parseSearchQuery } from "../../protocol/parse-client.ts";
import { DEFAULT_RETRY_AFTER_MS } from "./options.ts";
import type { Schedule } from "./schedule.ts";

/** The refs of searches; history requests use others, so an answer or error names its request. */
const REF_PREFIX = "q";

export interface SearchOptions {
  /** Only hits older than this seq: the next page after a page's last hit. */
  before?: number;
  /** 1 to 50; 20 when absent. */
  limit?: number;
  /** Cancels the search: its promise rejects with an AbortError, and a late answer is dropped. */
  signal?: AbortSignal;
}

export type SearchAnswer = Pick<SearchResultsFrame, "hits" | "hasMore">;

interface Waiting {
  frame: SearchFrame;
  answered(answer: SearchAnswer): void;
  abandoned(error: Error): void;
}

/** The frame a search sends; a RangeError for a query or a page the room would refuse, as a caller's bug. */
export function searchFrame(q: string, { before, limit }: SearchOptions, ref: string): SearchFrame | RangeError {
  const query = parseSearchQuery(q);
  if (!query.ok) return new RangeError(query.message);
  if (before !== undefined && !isSeqPosition(before)) return new RangeError(`\`before\` is a seq >= 0, not ${before}`);
  if (limit !== undefined && !isSearchLimit(limit)) {
    return new RangeError(`a search answers 1 to ${FRAME_LIMITS.searchPageMax} hits, not ${limit}`);
  }
  return {
    type: CLIENT_FRAME.search,
    ref,
    q: query.value,
    ...(before === undefined ? {} : { before }),
    ...(limit === undefined ? {} : { limit }),
  };
}

/**
 * Searches waiting for their results, each matched by its `ref`. A search
 * refused for the rate is asked again after `retryAfter`; a link that drops
 * abandons what waits (the person types the next query anyway), and a
 * search can be cancelled with its AbortSignal.
 */
export class SearchRequests {
  readonly #transmit: (frame: SearchFrame) => void;
  readonly #schedule: Schedule;
  readonly #waiting = new Map<string, Waiting>();
  #nextRef = 1;

  constructor(transmit: (frame: SearchFrame) => void, schedule: Schedule) {
    this.#transmit = transmit;
    this.#schedule = schedule;
  }

  ask(q: string, options: SearchOptions): Promise<SearchAnswer> {
    const frame = searchFrame(q, options, `${REF_PREFIX}${this.#nextRef++}`);
    if (frame instanceof RangeError) return Promise.reject(frame);
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(abortError());
    return new Promise((answered, abandoned) => {
      this.#waiting.set(frame.ref, { frame, answered, abandoned });
      signal?.addEventListener("abort", () => this.#abandon(frame.ref, abortError()), { once: true });
      this.#transmit(frame);
    });
  }

  /** Results arrived; false when they answer no search of these (a cancelled one's are dropped here too). */
  answer(results: SearchResultsFrame): boolean {
    if (!results.ref.startsWith(REF_PREFIX)) return false;
    const waiting = this.#waiting.get(results.ref);
    this.#waiting.delete(results.ref);
    waiting?.answered({ hits: results.hits, hasMore: results.hasMore });
    return true;
  }

  /** The room refused a search; false when the error is about something else. */
  refused(error: ErrorFrame): boolean {
    const waiting = error.ref === undefined ? undefined : this.#waiting.get(error.ref);
    if (waiting === undefined) return error.ref?.startsWith(REF_PREFIX) === true;
    if (error.code === ERROR_CODE.rateLimited) {
      this.#schedule(() => {
        if (this.#waiting.get(waiting.frame.ref) === waiting) this.#transmit(waiting.frame);
      }, error.retryAfter ?? DEFAULT_RETRY_AFTER_MS);
      return true;
    }
    this.#abandon(waiting.frame.ref, new Error(`the room refused a search: ${error.message}`));
    return true;
  }

  /** The link dropped or the connection stopped: nothing waiting will be answered. */
  abandonAll(error: Error): void {
    for (const ref of [...this.#waiting.keys()]) this.#abandon(ref, error);
  }

  #abandon(ref: string, error: Error): void {
    const waiting = this.#waiting.get(ref);
    this.#waiting.delete(ref);
    waiting?.abandoned(error);
  }
}

function abortError(): Error {
  return new DOMException("the search was cancelled", "AbortError");
}
