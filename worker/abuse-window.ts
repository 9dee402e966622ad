/**
 * The sliding window behind "more than N error frames in T seconds closes
 * the connection". Pure, so the rule can be tested alone.
 */

/**
 * Adds an error at `now` to the times still inside a window of `windowMs`,
 * keeping at most `limit + 1` entries; the limit is exceeded when the result
 * holds more than `limit`.
 */
export function recordError(times: readonly number[], now: number, limit: number, windowMs: number): number[] {
  return [...times.filter((time) => time > now - windowMs), now].slice(-(limit + 1));
}
