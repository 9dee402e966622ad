import { describe, expect, it } from "vitest";
import { newUserId, randomBase32 } from "../../../worker/users.ts";

describe("random ids", () => {
  it("are base32 of the length asked, drawn afresh across many pool refills", () => {
    const ids = Array.from({ length: 3000 }, () => newUserId());
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{16}$/);
    // 3,000 ids of 16 bytes each take the pool of 4,096 bytes many times over; none repeats.
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("serve a length longer than the pool", () => {
    const long = randomBase32(5000);
    expect(long).toHaveLength(5000);
    expect(new Set(long).size).toBe(32);
  });

  it("use every character of the alphabet about equally", () => {
    const counts = new Map<string, number>();
    for (const char of randomBase32(64_000)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // 2,000 expected each; a fair source stays within 15% of it with overwhelming probability.
    for (const count of counts.values()) expect(Math.abs(count - 2000)).toBeLessThan(300);
  });
});
