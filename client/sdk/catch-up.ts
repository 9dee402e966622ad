import { CLIENT_FRAME, FRAME_LIMITS } from "../../protocol/frames.ts";
import type { HistoryRequests } from "./history-requests.ts";
import type { OrderedDelivery } from "./ordered-delivery.ts";

/**
 * Pages in what a welcome left out (`more: true`) or what a gap in the live
 * stream missed, one `history after` page at a time, while live messages
 * wait in the ordered delivery. A dropped link ends the catch-up; the next
 * welcome resumes from the last delivered message and starts another.
 */
export class CatchUp {
  readonly #delivery: OrderedDelivery;
  readonly #requests: HistoryRequests;
  #asking = false;

  constructor(delivery: OrderedDelivery, requests: HistoryRequests) {
    this.#delivery = delivery;
    this.#requests = requests;
  }

  /** Asks for the next page if delivery is behind and no page is on its way. */
  check(): void {
    const after = this.#delivery.lastDelivered;
    if (this.#asking || after === null || !this.#delivery.behind) return;
    this.#asking = true;
    this.#requests.ask({
      frame: { type: CLIENT_FRAME.history, after, limit: FRAME_LIMITS.historyPageMax },
      answered: (page) => {
        this.#asking = false;
        this.#delivery.page(page);
        this.check();
      },
      abandoned: () => {
        this.#asking = false;
      },
      keepAcrossLinks: false,
    });
  }
}
