import type { Cancel, Schedule } from "./schedule.ts";

/** Pings every `intervalMs`; a link that sends nothing within `timeoutMs` of a ping (or of opening) is dead. */
export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Notices a dead link. A socket whose peer vanished (a laptop lid closed, a
 * NAT mapping expired) may never fire `close`, so the link is tested with
 * the protocol's `ping` text frame, which the room answers with `pong`
 * without waking up. Any frame counts as an answer.
 */
export class Heartbeat {
  readonly #schedule: Schedule;
  readonly #options: HeartbeatOptions;
  readonly #ping: () => void;
  readonly #dead: () => void;
  #cancelPing: Cancel | null = null;
  #cancelDeadline: Cancel | null = null;

  constructor(schedule: Schedule, options: HeartbeatOptions, ping: () => void, dead: () => void) {
    this.#schedule = schedule;
    this.#options = options;
    this.#ping = ping;
    this.#dead = dead;
  }

  /** A socket is being opened: its first frame must arrive within the timeout. */
  connecting(): void {
    this.stop();
    this.#armDeadline();
  }

  /** The socket opened: ping it from now on. */
  opened(): void {
    this.#schedulePing();
  }

  /** A frame arrived, so the link is alive. */
  alive(): void {
    this.#cancelDeadline?.();
    this.#cancelDeadline = null;
  }

  stop(): void {
    this.#cancelPing?.();
    this.#cancelPing = null;
    this.alive();
  }

  #schedulePing(): void {
    this.#cancelPing = this.#schedule(() => {
      this.#ping();
      this.#armDeadline();
      this.#schedulePing();
    }, this.#options.intervalMs);
  }

  #armDeadline(): void {
    if (this.#cancelDeadline !== null) return;
    this.#cancelDeadline = this.#schedule(() => {
      this.stop();
      this.#dead();
    }, this.#options.timeoutMs);
  }
}
