import { CLOSE_CODE, type ClientFrame, encodeFrame, HEARTBEAT } from "../../protocol/frames.ts";
import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import { Heartbeat, type HeartbeatOptions } from "./heartbeat.ts";
import { ABNORMAL_CLOSURE, Link, type WebSocketConstructor } from "./link.ts";
import type { SocketTarget } from "./room-url.ts";
import type { Cancel, Schedule } from "./schedule.ts";

/**
 * `connecting`: the first attempt; `online`: welcomed; `reconnecting`: the
 * link dropped and another attempt is due; `offline`: gave up, or the room
 * closed the connection for good (abuse, a kick, a ban, a key required);
 * `closed`: by the caller.
 */
export type ConnectionState = "connecting" | "online" | "reconnecting" | "offline" | "closed";

/** The close codes after which trying again would only be refused again, or would undo a moderator's kick. */
export type FinalCloseCode =
  | typeof CLOSE_CODE.policyViolation
  | typeof CLOSE_CODE.kicked
  | typeof CLOSE_CODE.banned
  | typeof CLOSE_CODE.keyRequired;

const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set<FinalCloseCode>([
  CLOSE_CODE.policyViolation,
  CLOSE_CODE.kicked,
  CLOSE_CODE.banned,
  CLOSE_CODE.keyRequired,
]);

function isFinalCloseCode(code: number): code is FinalCloseCode {
  return FINAL_CLOSE_CODES.has(code);
}

export interface SocketOptions {
  WebSocket: WebSocketConstructor;
  schedule: Schedule;
  random: () => number;
  backoff: BackoffOptions;
  heartbeat: HeartbeatOptions;
  maxRetries: number;
  /** Fires `online` when the device's network comes back. */
  onlineEvents: EventTarget | null;
}

export interface SocketEvents {
  /** Where the next attempt goes, built fresh because `since`, `token` and `name` move on. */
  target(): SocketTarget;
  received(data: unknown): void;
  /** The link went away; everything tied to it is void. */
  lost(): void;
  stateChanged(state: ConnectionState): void;
  /** The room closed the connection with a final code (see FinalCloseCode); no retry follows. */
  closedForGood(code: FinalCloseCode, reason: string): void;
}

/** A socket to one room that comes back after every drop, until told to stop. */
export class ReconnectingSocket {
  readonly #options: SocketOptions;
  readonly #events: SocketEvents;
  readonly #heartbeat: Heartbeat;
  #state: ConnectionState = "connecting";
  #link: Link | null = null;
  #attempt = 0;
  #cancelRetry: Cancel | null = null;
  readonly #retryNow = () => {
    if (this.#cancelRetry === null) return;
    this.#cancelRetry();
    this.#cancelRetry = null;
    this.#open();
  };

  constructor(options: SocketOptions, events: SocketEvents) {
    this.#options = options;
    this.#events = events;
    this.#heartbeat = new Heartbeat(
      options.schedule,
      options.heartbeat,
      () => this.#link?.send(HEARTBEAT.ping),
      () => this.#lose(ABNORMAL_CLOSURE, "no answer to the heartbeat"),
    );
    options.onlineEvents?.addEventListener("online", this.#retryNow);
    this.#open();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The room welcomed this link: it is online, and the backoff starts over. */
  welcomed(): void {
    this.#attempt = 0;
    this.#setState("online");
  }

  /** Sends on the current link. Callers send only while online, and send again what a drop lost. */
  send(frame: ClientFrame): void {
    this.#link?.send(encodeFrame(frame));
  }

  /** Stops for good: `closed` by the caller, or `offline`. */
  stop(state: "closed" | "offline"): void {
    if (this.#state === "closed" || this.#state === state) return;
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    this.#heartbeat.stop();
    this.#options.onlineEvents?.removeEventListener("online", this.#retryNow);
    const link = this.#link;
    this.#link = null;
    link?.drop(state);
    if (link !== null) this.#events.lost();
    this.#setState(state);
  }

  #open(): void {
    this.#heartbeat.connecting();
    const target = this.#events.target();
    try {
      this.#link = new Link(this.#options.WebSocket, target, {
        opened: () => this.#heartbeat.opened(),
        received: (data) => {
          this.#heartbeat.alive();
          if (data !== HEARTBEAT.pong) this.#events.received(data);
        },
        closed: (code, reason) => this.#lose(code, reason),
      });
    } catch (error) {
      // The constructor refused (e.g. a port the browser blocks): a failed attempt like any other,
      // reported from a fresh task so that the caller never sees it inside `connectRoom`.
      this.#options.schedule(() => this.#lose(ABNORMAL_CLOSURE, String(error)), 0);
    }
  }

  #lose(code: number, reason: string): void {
    if (this.#state === "closed" || this.#state === "offline") return;
    this.#heartbeat.stop();
    this.#link?.drop(reason);
    this.#link = null;
    this.#events.lost();
    if (isFinalCloseCode(code)) {
      this.#events.closedForGood(code, reason);
      this.stop("offline");
    } else if (this.#attempt >= this.#options.maxRetries) {
      this.stop("offline");
    } else {
      this.#retryLater();
    }
  }

  #retryLater(): void {
    const delay = backoffDelay(this.#attempt, this.#options.backoff, this.#options.random);
    this.#attempt++;
    this.#cancelRetry = this.#options.schedule(() => {
      this.#cancelRetry = null;
      this.#open();
    }, delay);
    this.#setState("reconnecting");
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#events.stateChanged(state);
  }
}
