/**
 * Reads the deployment's limits from its vars (wrangler.toml, or
 * `wrangler dev --var`), falling back to the protocol's defaults.
 */
import { DEFAULT_LIMITS, type Limits } from "../protocol/frames.ts";
import { DEFAULT_COALESCE_SENDS_PER_SECOND } from "./fanout.ts";

/** A var that is not a valid limit. Its message names the var and carries no user input, so it may be logged. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface Config {
  limits: Limits;
  /** Origins allowed besides the request's own, each in `scheme://host[:port]` form. */
  allowedOrigins: readonly string[];
  /** The socket sends per second a busy room coalesces its frames to (`COALESCE_SENDS_PER_SECOND`). */
  coalesceSendsPerSecond: number;
  /** The room's own connections above which newcomers go to relays (`RELAY_THRESHOLD`); never below PRESENCE_LIMIT. */
  relayThreshold: number;
  /** Relays per region of a relayed room (`RELAY_SHARDS`). */
  relayShards: number;
}

/** The defaults of the relay tier's vars (docs/configuration.md). */
export const DEFAULT_RELAY = { threshold: 5000, shards: 4 } as const;

/** The var that sets each limit. */
export const LIMIT_VARS = {
  maxFrameBytes: "MAX_FRAME_BYTES",
  sendRatePerSecond: "SEND_RATE_PER_SECOND",
  sendBurst: "SEND_BURST",
  typingIntervalMs: "TYPING_INTERVAL_MS",
  frameRatePerSecond: "FRAME_RATE_PER_SECOND",
  frameBurst: "FRAME_BURST",
  maxConnections: "MAX_CONNECTIONS",
  presenceLimit: "PRESENCE_LIMIT",
  resumeLimit: "RESUME_LIMIT",
  historyLimit: "HISTORY_LIMIT",
  occupancyIntervalMs: "OCCUPANCY_INTERVAL_MS",
  abuseErrorLimit: "ABUSE_ERROR_LIMIT",
  abuseWindowMs: "ABUSE_WINDOW_MS",
  abuseCooldownMs: "ABUSE_COOLDOWN_MS",
  newIdentitiesPerMinute: "NEW_IDENTITIES_PER_MINUTE",
  historyBytesPerSecond: "HISTORY_BYTES_PER_SECOND",
  historyBytesBurst: "HISTORY_BYTES_BURST",
  maxCallParticipants: "MAX_CALL_PARTICIPANTS",
  signalRatePerSecond: "SIGNAL_RATE_PER_SECOND",
  signalBurst: "SIGNAL_BURST",
} as const satisfies Record<keyof Limits, keyof Env>;

/** The vars of the room's budget of sends and of its relay tier, which are no limits of the protocol. */
const COALESCE_VAR = "COALESCE_SENDS_PER_SECOND" satisfies keyof Env;
const RELAY_THRESHOLD_VAR = "RELAY_THRESHOLD" satisfies keyof Env;
const RELAY_SHARDS_VAR = "RELAY_SHARDS" satisfies keyof Env;

const cache = new WeakMap<Env, Config>();

/** The deployment's configuration; throws on a var that is not a valid limit, naming it. */
export function readConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const limit = (key: keyof Limits) => readLimit(LIMIT_VARS[key], env[LIMIT_VARS[key]], DEFAULT_LIMITS[key]);
  const presenceLimit = limit("presenceLimit");
  const relayThreshold = readLimit(RELAY_THRESHOLD_VAR, env.RELAY_THRESHOLD, DEFAULT_RELAY.threshold);
  // A relayed listener is counted, never listed: only a room whose presence is already counted may have one.
  if (relayThreshold < presenceLimit) {
    throw new ConfigError(`var ${RELAY_THRESHOLD_VAR} must be at least ${LIMIT_VARS.presenceLimit}`);
  }
  const config: Config = {
    limits: {
      maxFrameBytes: limit("maxFrameBytes"),
      sendRatePerSecond: limit("sendRatePerSecond"),
      sendBurst: limit("sendBurst"),
      typingIntervalMs: limit("typingIntervalMs"),
      frameRatePerSecond: limit("frameRatePerSecond"),
      frameBurst: limit("frameBurst"),
      maxConnections: limit("maxConnections"),
      presenceLimit,
      resumeLimit: limit("resumeLimit"),
      historyLimit: limit("historyLimit"),
      occupancyIntervalMs: limit("occupancyIntervalMs"),
      abuseErrorLimit: limit("abuseErrorLimit"),
      abuseWindowMs: limit("abuseWindowMs"),
      abuseCooldownMs: limit("abuseCooldownMs"),
      newIdentitiesPerMinute: limit("newIdentitiesPerMinute"),
      historyBytesPerSecond: limit("historyBytesPerSecond"),
      historyBytesBurst: limit("historyBytesBurst"),
      maxCallParticipants: limit("maxCallParticipants"),
      signalRatePerSecond: limit("signalRatePerSecond"),
      signalBurst: limit("signalBurst"),
    },
    allowedOrigins: readOrigins(env.ALLOWED_ORIGINS),
    coalesceSendsPerSecond: readLimit(COALESCE_VAR, env.COALESCE_SENDS_PER_SECOND, DEFAULT_COALESCE_SENDS_PER_SECOND),
    relayThreshold,
    relayShards: readLimit(RELAY_SHARDS_VAR, env.RELAY_SHARDS, DEFAULT_RELAY.shards),
  };
  cache.set(env, config);
  return config;
}

/** Rates may be fractional; every other limit is a whole number. */
const FRACTIONAL: ReadonlySet<string> = new Set([
  LIMIT_VARS.sendRatePerSecond,
  LIMIT_VARS.frameRatePerSecond,
  LIMIT_VARS.newIdentitiesPerMinute,
  LIMIT_VARS.signalRatePerSecond,
  COALESCE_VAR,
]);

/** A var as a positive integer (or number, for a rate); absent means the default. */
function readLimit(name: string, raw: unknown, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = typeof raw === "string" ? Number(raw.trim()) : raw;
  const fractional = FRACTIONAL.has(name);
  const valid =
    typeof value === "number" && Number.isFinite(value) && value > 0 && (fractional || Number.isSafeInteger(value));
  if (!valid) throw new ConfigError(`var ${name} must be a positive ${fractional ? "number" : "integer"}`);
  return value;
}

function readOrigins(raw: unknown): string[] {
  if (typeof raw !== "string") return [];
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const origin = URL.parse(entry)?.origin;
      if (origin === undefined || origin === "null")
        throw new ConfigError(`ALLOWED_ORIGINS entry is not an origin: ${entry}`);
      return origin;
    });
}
