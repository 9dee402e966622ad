import { type Bucket, type BucketRate, refillTimeMs, takeToken } from "./token-bucket.ts";

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
