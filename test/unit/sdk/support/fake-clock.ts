/** Time that moves only when a test says so; its `schedule` goes into the SDK's options. */
import type { Schedule } from "../../../../client/sdk.ts";

interface Timer {
  at: number;
  order: number;
  callback: () => void;
  cancelled: boolean;
}

export class FakeClock {
  #now = 0;
  #order = 0;
  #timers: Timer[] = [];

  readonly schedule: Schedule = (callback, ms) => {
    const timer: Timer = { at: this.#now + ms, order: this.#order++, callback, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };

  get now(): number {
    return this.#now;
  }

  /** Moves time forward, running every callback that falls due, in time order (including ones scheduled meanwhile). */
  advance(ms: number): void {
    const end = this.#now + ms;
    let timer = this.#nextDue(end);
    while (timer !== undefined) {
      const due = timer;
      this.#timers = this.#timers.filter((other) => other !== due);
      this.#now = due.at;
      if (!due.cancelled) due.callback();
      timer = this.#nextDue(end);
    }
    this.#now = end;
  }

  #nextDue(end: number): Timer | undefined {
    const due = this.#timers.filter((timer) => timer.at <= end);
    due.sort((a, b) => a.at - b.at || a.order - b.order);
    return due[0];
  }
}
