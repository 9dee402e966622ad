import {
  CLIENT_FRAME,
  type ErrorFrame,
  FRAME_LIMITS,
  type SearchFrame,
  type SearchResultsFrame,
} from "../../protocol/frames.ts";
import { isSearchLimit, isSeqPosition, parseSearchQuery } from "../../protocol/parse-client.ts";
import { AnsweredRequests } from "./answered-requests.ts";
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
  readonly #requests: AnsweredRequests<SearchFrame, SearchAnswer>;
  #nextRef = 1;

  constructor(transmit: (frame: SearchFrame) => void, schedule: Schedule) {
    this.#requests = new AnsweredRequests({
      transmit,
      schedule,
      keepAcrossLinks: false,
      refusal: (error) => new Error(`the room refused a search: ${error.message}`),
    });
  }

  /** Asks, on a link that is up. */
  ask(q: string, options: SearchOptions): Promise<SearchAnswer> {
    const frame = searchFrame(q, options, `${REF_PREFIX}${this.#nextRef++}`);
    if (frame instanceof RangeError) return Promise.reject(frame);
    return this.#requests.ask(frame.ref, frame, options.signal);
  }

  /** Results arrived; false when they answer no search of these (a cancelled one's are dropped here too). */
  answer(results: SearchResultsFrame): boolean {
    if (!results.ref.startsWith(REF_PREFIX)) return false;
    this.#requests.answer(results.ref, { hits: results.hits, hasMore: results.hasMore });
    return true;
  }

  /** The room refused a search; false when the error is about something else. */
  refused(error: ErrorFrame): boolean {
    return this.#requests.refused(error.ref, error) || error.ref?.startsWith(REF_PREFIX) === true;
  }

  linkUp(): void {
    this.#requests.linkUp();
  }

  /** The link dropped or the connection stopped: nothing waiting will be answered. */
  abandonAll(error: Error): void {
    this.#requests.linkDown(error);
  }
}
