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
import { type Bucket, type BucketRate, takeToken } from "./token-bucket.ts";

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
