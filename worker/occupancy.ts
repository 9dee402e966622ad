/**
 * The user count of a large room, sent at most once per interval, with the
 * latest count always following within one interval of a change. A pending
 * count waits on the room's alarm, which survives hibernation.
 */
export interface OccupancySource {
  /** The user count while the room is large; null when presence is exact. */
  count(): number | null;
  send(count: number): void;
}

export class Occupancy {
  readonly #storage: DurableObjectStorage;
  readonly #intervalMs: number;
  readonly #source: OccupancySource;
  /**
   * When a count was last sent. After a wake it is unknown, so it is taken
   * as "just now": the next count waits one interval rather than risk two
   * counts inside one.
   */
  #sentAt: number;
  #sentCount: number | undefined;
  #alarmSet = false;

  constructor(storage: DurableObjectStorage, intervalMs: number, now: number, source: OccupancySource) {
    this.#storage = storage;
    this.#intervalMs = intervalMs;
    this.#source = source;
    this.#sentAt = now;
  }

  /** The count changed at `now`: sends it if the interval allows, else schedules it. */
  changed(now: number): void {
    const count = this.#source.count();
    if (count === null) return;
    if (now - this.#sentAt >= this.#intervalMs) {
      this.#send(count, now);
    } else if (!this.#alarmSet) {
      this.#alarmSet = true;
      void this.#storage.setAlarm(this.#sentAt + this.#intervalMs);
    }
  }

  /** The alarm fired: sends the count if the room is still large and the count moved. */
  due(now: number): void {
    this.#alarmSet = false;
    const count = this.#source.count();
    if (count !== null && count !== this.#sentCount) this.#send(count, now);
  }

  #send(count: number, now: number): void {
    this.#sentAt = now;
    this.#sentCount = count;
    this.#source.send(count);
  }
}
