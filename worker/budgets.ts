/**
 * The room's budgets: what each user, connection and address may spend.
 * - Token-bucket arithmetic, pure so the rules can be tested alone.
 * - The per-user send rate (SendLimiter), kept in storage so neither
 *   hibernation nor a reconnect refills a bucket early.
 * - The per-connection frame budget (FrameLimiter), whatever the frame type.
 * - The abuse window (recordError) and the cool-downs that follow an abuse
 *   close (Cooldowns).
 */

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface BucketRate {
  ratePerSecond: number;
  burst: number;
}

export type Take = { ok: true; bucket: Bucket } | { ok: false; retryAfter: number };

/** Takes one token from `bucket` at time `now`; an unknown user starts with a full bucket. */
export function takeToken(bucket: Bucket | undefined, now: number, { ratePerSecond, burst }: BucketRate): Take {
  const elapsed = bucket === undefined ? 0 : Math.max(0, now - bucket.updatedAt);
  const tokens = bucket === undefined ? burst : Math.min(burst, bucket.tokens + (elapsed * ratePerSecond) / 1000);
  // A clock that steps back (a room restarted on another machine) must not move the bucket back, or it refills twice.
  const updatedAt = bucket === undefined ? now : Math.max(now, bucket.updatedAt);
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, updatedAt } };
  return { ok: false, retryAfter: Math.ceil(((1 - tokens) * 1000) / ratePerSecond) };
}

/** How long an untouched bucket takes to refill completely, in milliseconds. */
export function refillTimeMs({ ratePerSecond, burst }: BucketRate): number {
  return (burst * 1000) / ratePerSecond;
}

/**
 * The sliding window behind "more than N error frames in T seconds closes
 * the connection".
 */
/**
 * Adds an error at `now` to the times still inside a window of `windowMs`,
 * keeping at most `limit + 1` entries; the limit is exceeded when the result
 * holds more than `limit`.
 */
export function recordError(times: readonly number[], now: number, limit: number, windowMs: number): number[] {
  return [...times.filter((time) => time > now - windowMs), now].slice(-(limit + 1));
}

/**
 * The per-user send rate: a token bucket of `burst` tokens refilled at `rate`
 * per second. Buckets live in the room's storage, so neither hibernation nor
 * a reconnect refills one early, and WebSocket and HTTP sends share it.
 */
export class SendLimiter {
  readonly #sql: SqlStorage;
  readonly #rate: BucketRate;
  readonly #buckets = new Map<string, Bucket>();

  constructor(sql: SqlStorage, rate: BucketRate) {
    this.#sql = sql;
    this.#rate = rate;
  }

  /** Spends one of the user's tokens, or says how many milliseconds until one is free. */
  take(userId: string, now: number): { ok: true } | { ok: false; retryAfter: number } {
    const result = takeToken(this.#bucket(userId), now, this.#rate);
    if (!result.ok) return result;
    this.#buckets.set(userId, result.bucket);
    this.#sql.exec(
      `INSERT INTO send_buckets (user_id, tokens, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
      userId,
      result.bucket.tokens,
      result.bucket.updatedAt,
    );
    return { ok: true };
  }

  /** Forgets buckets that have refilled completely; they equal a new user's. */
  prune(now: number): void {
    this.#sql.exec("DELETE FROM send_buckets WHERE updated_at < ?", now - refillTimeMs(this.#rate));
    this.#buckets.clear();
  }

  #bucket(userId: string): Bucket | undefined {
    const cached = this.#buckets.get(userId);
    if (cached !== undefined) return cached;
    const row = this.#sql
      .exec<{ tokens: number; updated_at: number }>(
        "SELECT tokens, updated_at FROM send_buckets WHERE user_id = ?",
        userId,
      )
      .toArray()[0];
    if (row === undefined) return undefined;
    const bucket = { tokens: row.tokens, updatedAt: row.updated_at };
    this.#buckets.set(userId, bucket);
    return bucket;
  }
}

/**
 * A budget of frames per connection, whatever their type, so that no frame
 * a client may send (a `typing` that is otherwise dropped without an error,
 * or a `history` whose answer can be large) can be flooded for free. Frames
 * over the budget are refused with `rate_limited`, which the abuse rule
 * counts, so a flood ends with the connection closed with 1008.
 *
 * The budget lives in memory: a room hibernates only after a quiet spell,
 * which refills every budget anyway.
 */

export class FrameLimiter {
  readonly #rate: BucketRate;
  readonly #buckets = new WeakMap<WebSocket, Bucket>();

  constructor(rate: BucketRate) {
    this.#rate = rate;
  }

  /** Spends one frame of `ws`'s budget, or says how many milliseconds until one is free. */
  take(ws: WebSocket, now: number): { ok: true } | { ok: false; retryAfter: number } {
    const result = takeToken(this.#buckets.get(ws), now, this.#rate);
    if (!result.ok) return result;
    this.#buckets.set(ws, result.bucket);
    return { ok: true };
  }
}

/**
 * Cool-downs after abuse. When the room closes a connection with 1008, it
 * bars that user, and new identities from the same client address, from
 * coming back for a while: without that, a flooder reconnects at once, and
 * each connection costs the room a welcome, a join, a leave and its share of
 * refusals before the abuse rule closes it again; or it reconnects without
 * its token, as a new user with a fresh send burst each time. A barred
 * attempt is refused before any of that work. Bars are kept in the room's
 * storage, so neither hibernation nor a restart lifts one early.
 */

/** Subjects remembered in memory; past this the memory starts over from storage. */
const MAX_CACHED_SUBJECTS = 10_000;

export type CooldownSubject = { user: string } | { newUsersFrom: string };

export class Cooldowns {
  readonly #sql: SqlStorage;
  readonly #until = new Map<string, number>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Bars each subject until `until` (ms since epoch). */
  bar(subjects: readonly CooldownSubject[], until: number, now: number): void {
    this.#sql.exec("DELETE FROM cooldowns WHERE until <= ?", now);
    for (const subject of subjects) {
      const key = keyOf(subject);
      this.#sql.exec(
        "INSERT INTO cooldowns (subject, until) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET until = excluded.until",
        key,
        until,
      );
      this.#remember(key, until);
    }
  }

  /** How many milliseconds the subject stays barred; 0 when it is free. */
  remaining(subject: CooldownSubject, now: number): number {
    const key = keyOf(subject);
    let until = this.#until.get(key);
    if (until === undefined) {
      const row = this.#sql.exec<{ until: number }>("SELECT until FROM cooldowns WHERE subject = ?", key).toArray()[0];
      until = row?.until ?? 0;
      this.#remember(key, until);
    }
    return Math.max(0, until - now);
  }

  #remember(key: string, until: number): void {
    if (this.#until.size >= MAX_CACHED_SUBJECTS) this.#until.clear();
    this.#until.set(key, until);
  }
}

function keyOf(subject: CooldownSubject): string {
  return "user" in subject ? `user:${subject.user}` : `new-users-from:${subject.newUsersFrom}`;
}
