import { type HistoryPageFrame, type LogEvent, SERVER_FRAME, type WelcomeFrame } from "../../protocol/frames.ts";

/** The caller's view broke: events after `lastDelivered` up to `resumeAfter` are gone, or the room's history was reset. */
export interface Truncation {
  lastDelivered: number | null;
  resumeAfter: number;
}

export interface DeliveryEvents {
  /**
   * The next event of the log. A message's state is as of `asOf`: the seq
   * of the last event it reflects (its own seq when it is live).
   */
  delivered(event: LogEvent, asOf: number): void;
  truncated(truncation: Truncation): void;
}

/** An event waiting behind a gap, with the seq its state is as of. */
interface Early {
  event: LogEvent;
  asOf: number;
}

/**
 * Delivers each event of the room's log exactly once and in `seq` order,
 * whatever mix of welcome history, live frames and history pages it arrives
 * in. The live stream has no gaps, so an event beyond the next expected seq
 * means a gap: it waits until a history page fills the gap.
 *
 * Pages hold messages only, each in its current state, so a page fills a
 * gap differently from the log: its messages are delivered as they are now,
 * as of the last event this link received before the page (on one socket a
 * page answer follows every event sent before it), and the live events that
 * waited are then applied, which the as-of rule of the room view makes
 * harmless where the page already reflects them. An edit, deletion or
 * reaction inside the gap that changed a message older than the page is not
 * in any page (docs/protocol.md, Resume), so it is not delivered; only a
 * resume with `since` replays those.
 */
export class OrderedDelivery {
  readonly #events: DeliveryEvents;
  #last: number | null;
  /** The newest seq this link was sent: the welcome's `lastSeq`, then each live event. */
  #received = 0;
  /** Events that arrived ahead of a gap, by seq. */
  readonly #early = new Map<number, Early>();
  /** The room said newer messages remain to be paged in. */
  #more = false;

  constructor(since: number | null, events: DeliveryEvents) {
    this.#last = since;
    this.#events = events;
  }

  /** The seq of the last event delivered, or accounted for by a page: what to resume from. */
  get lastDelivered(): number | null {
    return this.#last;
  }

  /** The seq that a page answered now is as of: the newest event this link was sent. */
  get received(): number {
    return this.#received;
  }

  /** Whether a history page `after: lastDelivered` is needed to catch up. */
  get behind(): boolean {
    return this.#more || this.#early.size > 0;
  }

  /**
   * A welcome starts a new link: its history picks up where the last one
   * left off. The history is what the log holds, so it is delivered whole,
   * even where its seqs skip: without `since` it is the newest messages,
   * and a truncated resume lacks what retention removed.
   */
  welcome({ history, lastSeq, more, truncated }: WelcomeFrame): void {
    this.#early.clear();
    this.#more = more === true;
    this.#received = lastSeq;
    const start = (history[0]?.seq ?? lastSeq + 1) - 1;
    if (truncated === true) this.#events.truncated({ lastDelivered: this.#last, resumeAfter: start });
    // Without `since` the welcome holds the newest messages, and the view starts there.
    let last = this.#last === null || truncated === true ? start : this.#last;
    for (const event of history) {
      if (event.seq <= last) continue;
      last = event.seq;
      this.#last = last;
      // A message of a welcome is in its state as the welcome was sent.
      this.#events.delivered(event, event.type === SERVER_FRAME.message ? lastSeq : event.seq);
    }
    // Unless newer events remain, the welcome accounts for every event up to `lastSeq`.
    this.#last = this.#more ? last : Math.max(last, lastSeq);
  }

  /**
   * A page asked for `after: lastDelivered`. One with `hasMore: false`
   * fills the gap completely, up to the newest event received; one with
   * more to come fills it up to its newest message.
   */
  page({ messages, hasMore }: Pick<HistoryPageFrame, "messages" | "hasMore">): void {
    if (this.#last === null) return;
    this.#more = hasMore;
    const asOf = this.#received;
    const through = hasMore ? (messages.at(-1)?.seq ?? this.#last) : asOf;
    // A page's message replaces the live one of the same seq that waited: it is newer.
    for (const message of messages) {
      if (message.seq <= this.#last) continue;
      this.#early.set(message.seq, { event: { type: SERVER_FRAME.message, ...message }, asOf });
    }
    const filled = [...this.#early.keys()].filter((seq) => seq <= through).sort((a, b) => a - b);
    for (const seq of filled) {
      const early = this.#early.get(seq);
      this.#early.delete(seq);
      if (early !== undefined) this.#deliver(early);
    }
    this.#last = Math.max(this.#last, through);
    this.#drain();
  }

  /** A live event. */
  receive(event: LogEvent): void {
    this.#received = Math.max(this.#received, event.seq);
    if (this.#last === null || event.seq <= this.#last) return;
    const live = { event, asOf: event.seq };
    if (event.seq > this.#last + 1) {
      this.#early.set(event.seq, live);
      return;
    }
    this.#deliver(live);
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
      this.#early.delete(next.event.seq);
      this.#deliver(next);
      next = this.#early.get(this.#nextSeq());
    }
  }

  #nextSeq(): number {
    return (this.#last ?? 0) + 1;
  }

  #deliver({ event, asOf }: Early): void {
    this.#last = event.seq;
    this.#events.delivered(event, asOf);
  }
}
