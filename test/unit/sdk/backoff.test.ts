import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../client/sdk.ts";

const OPTIONS = { baseMs: 100, maxMs: 1000 };
const ALMOST_ONE = 1 - Number.EPSILON;

describe("backoffDelay", () => {
  it("draws the first delay from [0, base)", () => {
    expect(backoffDelay(0, OPTIONS, () => 0)).toBe(0);
    expect(backoffDelay(0, OPTIONS, () => ALMOST_ONE)).toBe(99);
  });

  it("doubles the ceiling with each attempt", () => {
    const ceilings = [0, 1, 2, 3].map((attempt) => backoffDelay(attempt, OPTIONS, () => ALMOST_ONE) + 1);
    expect(ceilings).toEqual([100, 200, 400, 800]);
  });

  it("never exceeds the cap, however many attempts failed", () => {
    for (const attempt of [4, 10, 100, 5000]) {
      expect(backoffDelay(attempt, OPTIONS, () => ALMOST_ONE)).toBeLessThan(OPTIONS.maxMs);
    }
  });

  it("scales the whole window by the random draw (full jitter)", () => {
    expect(backoffDelay(3, OPTIONS, () => 0.5)).toBe(400);
    expect(backoffDelay(3, OPTIONS, () => 0.25)).toBe(200);
  });
});
