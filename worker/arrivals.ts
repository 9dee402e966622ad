/**
 * Telling the room who came and went. Presence is exact up to the presence
 * limit: every join and leave is broadcast. Above it the room is "large":
 * joins and leaves go unannounced and a throttled occupancy count replaces
 * them, so a connection storm costs linear, not quadratic, work. Falling
 * back to the limit sends everyone the full list once, and exact presence
 * resumes. Listeners on the room's relays are counted, never listed: the
 * room has them only above RELAY_THRESHOLD, which is never below the limit.
 */
import { SERVER_FRAME, type User } from "../protocol/frames.ts";
import type { Fanout } from "./fanout.ts";
import type { Presence } from "./presence.ts";
import type { RelayRegistry } from "./relays.ts";

export class Arrivals {
  readonly #presence: Presence;
  readonly #relays: RelayRegistry;
  readonly #fanout: Fanout;
  readonly #storage: DurableObjectStorage;
  readonly #presenceLimit: number;
  readonly #intervalMs: number;
  /**
   * When an occupancy count was last sent. After a wake it is unknown, so it
   * is taken as "just now": the next count waits one interval rather than
   * risk two counts inside one.
   */
  #sentAt: number;
  #sentCount: number | undefined;
  #alarmSet = false;

  constructor(
    presence: Presence,
    relays: RelayRegistry,
    fanout: Fanout,
    storage: DurableObjectStorage,
    limits: { presenceLimit: number; occupancyIntervalMs: number },
    now: number,
  ) {
    this.#presence = presence;
    this.#relays = relays;
    this.#fanout = fanout;
    this.#storage = storage;
    this.#presenceLimit = limits.presenceLimit;
    this.#intervalMs = limits.occupancyIntervalMs;
    this.#sentAt = now;
  }

  /** Who is online: the room's users, and the listeners its relays hold. */
  get online(): number {
    return this.#presence.userCount + this.#relays.listenerCount;
  }

  /** A user's first connection opened. */
  joined(user: User): void {
    const online = this.online;
    if (online <= this.#presenceLimit) {
      this.#fanout.broadcast({ type: SERVER_FRAME.join, user, online }, user.id);
    } else {
      this.#countChanged(Date.now());
    }
  }

  /** A user's last connection closed. */
  left(user: User): void {
    const online = this.online;
    const limit = this.#presenceLimit;
    if (online + 1 <= limit) {
      this.#fanout.broadcast({ type: SERVER_FRAME.leave, user, online });
    } else if (online <= limit) {
      this.#fanout.broadcast({ type: SERVER_FRAME.presence, online: this.#presence.list(limit), onlineCount: online });
    } else {
      this.#countChanged(Date.now());
    }
  }

  /**
   * The room's alarm fired: a pending occupancy count is due. It is sent if
   * the room is still large and the count moved. The alarm survives
   * hibernation, so the latest count always follows within one interval.
   */
  due(now: number): void {
    this.#alarmSet = false;
    const count = this.#largeRoomCount();
    if (count !== null && count !== this.#sentCount) this.#send(count, now);
  }

  /** A relay's count of listeners changed. */
  relayedChanged(now: number): void {
    this.#countChanged(now);
  }

  /** The count of a large room changed: sent now if the interval allows, else when the alarm fires. */
  #countChanged(now: number): void {
    const count = this.#largeRoomCount();
    if (count === null) return;
    if (now - this.#sentAt >= this.#intervalMs) {
      this.#send(count, now);
    } else if (!this.#alarmSet) {
      this.#alarmSet = true;
      void this.#storage.setAlarm(this.#sentAt + this.#intervalMs);
    }
  }

  /** The user count while the room is large; null when presence is exact. */
  #largeRoomCount(): number | null {
    const count = this.online;
    return count > this.#presenceLimit ? count : null;
  }

  #send(count: number, now: number): void {
    this.#sentAt = now;
    this.#sentCount = count;
    this.#fanout.broadcast({ type: SERVER_FRAME.occupancy, online: count });
  }
}
