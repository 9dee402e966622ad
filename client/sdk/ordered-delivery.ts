import type { HistoryPageFrame, Message, WelcomeFrame } from "../../protocol/frames.ts";

/** The caller's view broke: messages after `lastDelivered` up to `resumeAfter` are gone, or the room's history was reset. */
export interface Truncation {
  lastDelivered: number | null;
  resumeAfter: number;
}

export interface DeliveryEvents {
  delivered(message: Message): void;
  truncated(truncation: Truncation): void;
}

/**
 * Delivers each message exactly once and in `seq` order, whatever mix of
 * welcome history, live frames and history pages it arrives in. Seqs
 * increase by exactly one, so a message beyond the next expected seq means a
 * gap: it waits until history pages fill the gap.
 */
export class OrderedDelivery {
  readonly #events: DeliveryEvents;
  #last: number | null;
  /** Messages that arrived ahead of a gap, by seq. */
  readonly #early = new Map<number, Message>();
  /** The room said newer messages remain to be paged in. */
  #more = false;

  constructor(since: number | null, events: DeliveryEvents) {
    this.#last = since;
    this.#events = events;
  }

  /** The seq of the last delivered message: what to resume from. */
  get lastDelivered(): number | null {
    return this.#last;
  }

  /** Whether a history page `after: lastDelivered` is needed to catch up. */
  get behind(): boolean {
    return this.#more || this.#early.size > 0;
  }

  /** A welcome starts a new link: its history picks up where the last one left off. */
  welcome({ history, lastSeq, more, truncated }: WelcomeFrame): void {
    this.#early.clear();
    this.#more = more === true;
    const start = (history[0]?.seq ?? lastSeq + 1) - 1;
    if (truncated === true) this.#events.truncated({ lastDelivered: this.#last, resumeAfter: start });
    // Without `since` the welcome holds the newest messages, and the view starts there.
    if (this.#last === null || truncated === true) this.#last = start;
    for (const message of history) this.receive(message);
  }

  /** A page asked for `after: lastDelivered`. */
  page({ messages, hasMore }: Pick<HistoryPageFrame, "messages" | "hasMore">): void {
    this.#more = hasMore;
    const next = messages[0]?.seq ?? Math.min(...this.#early.keys());
    if (this.#last !== null && Number.isFinite(next) && next > this.#last + 1) {
      // Retention trimmed the gap away while it was being paged in.
      this.#events.truncated({ lastDelivered: this.#last, resumeAfter: next - 1 });
      this.#last = next - 1;
    }
    for (const message of messages) this.receive(message);
    this.#drain();
  }

  /** A live message, or one from a welcome or a page. */
  receive(message: Message): void {
    if (this.#last === null || message.seq <= this.#last) return;
    if (message.seq > this.#last + 1) {
      this.#early.set(message.seq, message);
      return;
    }
    this.#deliver(message);
    this.#drain();
  }

  /** The link dropped: what waited behind a gap comes again with the next welcome. */
  reset(): void {
    this.#early.clear();
    this.#more = false;
  }

  #drain(): void {
    let next = this.#early.get(this.#nextSeq());
    while (next !== undefined) {
      this.#early.delete(next.seq);
      this.#deliver(next);
      next = this.#early.get(this.#nextSeq());
    }
  }

  #nextSeq(): number {
    return (this.#last ?? 0) + 1;
  }

  #deliver(message: Message): void {
    this.#last = message.seq;
    this.#events.delivered(message);
  }
}
