import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordError } from "../../../worker/budgets.ts";

/** The contract's rule: more than 50 error frames within 10 s. */
const LIMIT = 50;
const WINDOW_MS = 10_000;

/** Records an error at each of `times`, in order, starting from no errors. */
function recordAll(times: readonly number[], limit = LIMIT, windowMs = WINDOW_MS): number[] {
  let window: number[] = [];
  for (const now of times) window = recordError(window, now, limit, windowMs);
  return window;
}

/** `count` error times, `gapMs` apart, from `start`. */
function spaced(count: number, gapMs: number, start = 0): number[] {
  return Array.from({ length: count }, (_, i) => start + i * gapMs);
}

describe("recordError", () => {
  it("records the first error", () => {
    expect(recordError([], 1000, LIMIT, WINDOW_MS)).toStrictEqual([1000]);
  });

  it("does not change the times it is given", () => {
    const times = [1000, 2000];
    recordError(times, 3000, LIMIT, WINDOW_MS);
    expect(times).toStrictEqual([1000, 2000]);
  });

  it("stays within the limit at exactly `limit` errors in the window", () => {
    expect(recordAll(spaced(50, 10)).length).toBe(50);
  });

  it("exceeds the limit at the error after `limit` in the window", () => {
    expect(recordAll(spaced(51, 10)).length).toBeGreaterThan(LIMIT);
  });

  it("forgets an error once it is a full window old", () => {
    expect(recordError([1000, 5000], 11_000, LIMIT, WINDOW_MS)).toStrictEqual([5000, 11_000]);
  });

  it("keeps an error one millisecond short of a full window", () => {
    expect(recordError([1001], 11_000, LIMIT, WINDOW_MS)).toStrictEqual([1001, 11_000]);
  });

  it("slides: errors spread at exactly the limit's pace never exceed it", () => {
    const times = spaced(500, WINDOW_MS / LIMIT);
    let window: number[] = [];
    for (const now of times) {
      window = recordError(window, now, LIMIT, WINDOW_MS);
      expect(window.length).toBeLessThanOrEqual(LIMIT);
    }
  });

  it("slides: errors a little faster than the limit's pace exceed it", () => {
    expect(recordAll(spaced(60, WINDOW_MS / LIMIT - 1)).length).toBeGreaterThan(LIMIT);
  });

  it("keeps at most `limit + 1` times, however many errors come at once", () => {
    expect(recordAll(spaced(10_000, 0)).length).toBe(LIMIT + 1);
  });

  it("keeps the newest times when it drops some", () => {
    expect(recordAll([1, 2, 3, 4, 5], 2, WINDOW_MS)).toStrictEqual([3, 4, 5]);
  });

  it("agrees with counting every error ever recorded, and stays bounded", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 3000 }),
        (gaps, limit, windowMs) => {
          let window: number[] = [];
          const all: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            all.push(now);
            window = recordError(window, now, limit, windowMs);
            const inWindow = all.filter((time) => time > now - windowMs).length;
            expect(window.length).toBeLessThanOrEqual(limit + 1);
            expect(window.length > limit).toBe(inWindow > limit);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
