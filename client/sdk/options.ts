import { DEFAULT_LIMITS } from "../../protocol/frames.ts";
import { isSeqPosition, normalizeDisplayName, normalizeRoomName } from "../../protocol/parse-client.ts";
import { isKey } from "../../protocol/parse-owners.ts";
import type { BackoffOptions } from "./backoff.ts";
import type { HeartbeatOptions } from "./heartbeat.ts";
import type { WebSocketConstructor } from "./link.ts";
import type { SocketOptions } from "./reconnecting-socket.ts";
import { realSchedule, type Schedule } from "./schedule.ts";
import { memoryStore, type SessionStore } from "./session-store.ts";

/** How to connect to a room; only `room` is required. */
export interface ConnectOptions {
  /** The room's name, as in `/r/:room`; percent-encoded by the SDK. */
  room: string;
  /** The display name to ask for; without it the room keeps the user's last name or picks `guest-xxxx`. */
  name?: string;
  /** Resume after this seq, for a caller that kept the messages up to it; the newest 50 otherwise. */
  since?: number;
  /**
   * A key of an owned room (an invite or owner link's `#k=`), presented
   * until a welcome answers it: its role becomes the user's for good, so
   * later connections need only the token. See `keyRefused`.
   */
  key?: string;
  /** Keeps the identity token and the unsent messages, one store per room; in memory by default. */
  session?: SessionStore;
  /**
   * The WebSocket implementation; the global one by default. A replacement
   * must pass the `protocols` argument on: it carries the identity token.
   */
  WebSocket?: WebSocketConstructor;
  backoff?: Partial<BackoffOptions>;
  heartbeat?: Partial<HeartbeatOptions>;
  /** How many times in a row to retry a failed connection before going `offline`; unlimited by default. */
  maxRetries?: number;
  /** Source of the backoff jitter, in [0, 1). */
  random?: () => number;
  schedule?: Schedule;
  /** Makes a client message id, unique per user. */
  newId?: () => string;
  /** The deployment's frame limit, if it changed the default. */
  maxFrameBytes?: number;
  /** Where the browser's `online` event fires (triggering an immediate retry); `window` when there is one. */
  onlineEvents?: EventTarget | null;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/** How long to wait before asking again after a `rate_limited` refusal that came without `retryAfter`. */
export const DEFAULT_RETRY_AFTER_MS = 1000;
/** Well inside the idle timeouts of proxies and NATs, which commonly start at 30 to 60 s. */
const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 20_000, timeoutMs: 10_000 };

export interface ResolvedOptions extends SocketOptions {
  session: SessionStore;
  newId(): string;
  maxFrameBytes: number;
}

/**
 * Fills in the defaults. A room, name or seq the server would refuse throws: the
 * upgrade would fail with a 400 that a WebSocket cannot see, and the
 * connection would retry forever.
 */
export function resolveOptions(options: ConnectOptions): ResolvedOptions {
  if (normalizeRoomName(encodeURIComponent(options.room)) === null) {
    throw new RangeError(`not a room name: ${options.room}`);
  }
  if (options.name !== undefined && !normalizeDisplayName(options.name).ok) {
    throw new RangeError(`not a display name: ${options.name}`);
  }
  if (options.since !== undefined && !isSeqPosition(options.since)) {
    throw new RangeError(`not a seq: ${options.since}`);
  }
  // Not echoed: a key is a credential.
  if (options.key !== undefined && !isKey(options.key)) throw new RangeError("not a key: 32 base32 characters");
  return {
    session: options.session ?? memoryStore(),
    WebSocket: options.WebSocket ?? globalWebSocket(),
    schedule: options.schedule ?? realSchedule,
    random: options.random ?? Math.random,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    heartbeat: { ...DEFAULT_HEARTBEAT, ...options.heartbeat },
    maxRetries: options.maxRetries ?? Number.POSITIVE_INFINITY,
    newId: options.newId ?? newClientId,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes,
    onlineEvents: options.onlineEvents === undefined ? defaultOnlineEvents() : options.onlineEvents,
  };
}

function globalWebSocket(): WebSocketConstructor {
  if (typeof WebSocket === "undefined") throw new TypeError("no global WebSocket here: pass one in the options");
  return WebSocket;
}

function defaultOnlineEvents(): EventTarget | null {
  return typeof window === "undefined" ? null : window;
}

/** A random id; `crypto.randomUUID` exists only in secure contexts, and the app may be served over plain http. */
function newClientId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
