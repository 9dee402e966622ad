/** How long to wait before reconnect attempt `n`: the ceiling doubles from `baseMs` up to `maxMs`. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Capped exponential backoff with full jitter: a delay drawn uniformly from
 * [0, min(maxMs, baseMs * 2^attempt)). Full jitter spreads the clients of a
 * restarted room over the whole window instead of letting them return in
 * waves (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 */
export function backoffDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
