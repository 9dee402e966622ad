import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Bucket, type BucketRate, refillTimeMs, type Take, takeToken } from "../../../worker/budgets.ts";

/** The contract's default send rate: 5 per second with a burst of 10. */
const RATE: BucketRate = { ratePerSecond: 5, burst: 10 };

/** The bucket after a successful take; fails the test on a refusal. */
function taken(result: Take): Bucket {
  if (!result.ok) throw new Error(`expected a token, was told to retry after ${result.retryAfter} ms`);
  return result.bucket;
}

/** The wait a refused take asks for; fails the test when the take succeeded. */
function retryAfterOf(result: Take): number {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.bucket)}`);
  return result.retryAfter;
}

/** Takes `count` tokens at `now`, failing the test if any is refused. */
function drain(bucket: Bucket | undefined, count: number, now: number, rate = RATE): Bucket | undefined {
  let current = bucket;
  for (let i = 0; i < count; i++) current = taken(takeToken(current, now, rate));
  return current;
}

describe("takeToken", () => {
  it("gives a user it has never seen a full bucket, less the token taken", () => {
    expect(takeToken(undefined, 1000, RATE)).toStrictEqual({ ok: true, bucket: { tokens: 9, updatedAt: 1000 } });
  });

  it("allows a burst of `burst` sends at one instant", () => {
    expect(drain(undefined, 10, 1000)).toStrictEqual({ tokens: 0, updatedAt: 1000 });
  });

  it("refuses the send after the burst", () => {
    expect(takeToken(drain(undefined, 10, 1000), 1000, RATE).ok).toBe(false);
  });

  it("refills one token per 1/rate seconds", () => {
    const empty = drain(undefined, 10, 1000);
    expect(takeToken(empty, 1199, RATE).ok).toBe(false);
    expect(taken(takeToken(empty, 1200, RATE)).tokens).toBeCloseTo(0);
  });

  it("refills continuously, not in whole tokens", () => {
    const empty = drain(undefined, 10, 1000);
    const half = retryAfterOf(takeToken(empty, 1100, RATE));
    expect(half).toBe(100);
  });

  it("caps the refill at the burst", () => {
    const empty = drain(undefined, 10, 0);
    const refilled = drain(empty, 10, 60_000);
    expect(takeToken(refilled, 60_000, RATE).ok).toBe(false);
  });

  it("asks an empty bucket to wait one refill interval", () => {
    expect(retryAfterOf(takeToken({ tokens: 0, updatedAt: 0 }, 0, RATE))).toBe(200);
  });

  it("rounds the wait up to a whole millisecond", () => {
    expect(retryAfterOf(takeToken({ tokens: 0, updatedAt: 0 }, 0, { ratePerSecond: 3, burst: 1 }))).toBe(334);
  });

  it("does not refill when the clock goes backwards", () => {
    const empty = { tokens: 0, updatedAt: 5000 };
    expect(retryAfterOf(takeToken(empty, 1000, RATE))).toBe(200);
  });

  it("keeps the bucket's time when a take succeeds while the clock is behind, so the gap is not refilled twice", () => {
    const bucket = taken(takeToken({ tokens: 5, updatedAt: 5000 }, 3000, RATE));
    expect(bucket).toStrictEqual({ tokens: 4, updatedAt: 5000 });
  });

  it("waiting exactly retryAfter is enough, and one millisecond less is not", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 2 ** 45 }),
        (tokens, ratePerSecond, burst, updatedAt) => {
          const rate = { ratePerSecond, burst };
          const bucket = { tokens, updatedAt };
          const retryAfter = retryAfterOf(takeToken(bucket, updatedAt, rate));
          expect(retryAfter).toBeGreaterThanOrEqual(1);
          expect(takeToken(bucket, updatedAt + retryAfter, rate).ok).toBe(true);
          expect(takeToken(bucket, updatedAt + retryAfter - 1, rate).ok).toBe(false);
        },
      ),
    );
  });

  it("never grants more than the burst plus the refill over any stretch of time", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (gaps, burst, ratePerSecond) => {
          const rate = { ratePerSecond, burst };
          let bucket: Bucket | undefined;
          let now = 0;
          const granted: number[] = [];
          for (const gap of gaps) {
            now += gap;
            const result = takeToken(bucket, now, rate);
            if (result.ok) {
              bucket = result.bucket;
              granted.push(now);
            }
          }
          for (const [i, start] of granted.entries()) {
            for (const [j, end] of granted.entries()) {
              if (j < i) continue;
              const count = j - i + 1;
              expect(count).toBeLessThanOrEqual(burst + ((end - start) * ratePerSecond) / 1000 + 1e-9);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never grants more than the burst plus the refill over the span of times seen, even when the clock steps back", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (times, burst, ratePerSecond) => {
          const rate = { ratePerSecond, burst };
          let bucket: Bucket | undefined;
          let granted = 0;
          for (const now of times) {
            const result = takeToken(bucket, now, rate);
            if (result.ok) {
              bucket = result.bucket;
              granted++;
            }
          }
          const span = Math.max(...times) - Math.min(...times);
          expect(granted).toBeLessThanOrEqual(burst + (span * ratePerSecond) / 1000 + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("refillTimeMs", () => {
  it("is the time an empty bucket takes to fill", () => {
    expect(refillTimeMs(RATE)).toBe(2000);
  });

  it("is when an emptied bucket holds its whole burst again", () => {
    const empty = drain(undefined, 10, 0);
    expect(drain(empty, 10, refillTimeMs(RATE))).toStrictEqual({ tokens: 0, updatedAt: 2000 });
  });
});
