/** What the timeline says of a call: who started it, who joined and left, and how long it lasted. */
import { describe, expect, it } from "vitest";
import { callLength, callNote } from "../../client/ui/call-notes.ts";
import type { CallEventFrame } from "../../protocol/frames.ts";

const START = 1_700_000_000_000;
const MINUTE = 60_000;

function event(action: CallEventFrame["action"], ts = START): CallEventFrame {
  return {
    type: "call",
    seq: 3,
    ts,
    user: { id: "k2m7q4xwr3t5bnda", name: "Alice" },
    action,
    call: "c4llc4ll",
    peer: "k2m7q4xw",
    participants: action === "end" ? 0 : 1,
  };
}

describe("a call's notes in the timeline", () => {
  it.each([
    ["start", "Alice started a call"],
    ["join", "Alice joined the call"],
    ["leave", "Alice left the call"],
  ] as const)("a %s says who", (action, note) => {
    expect(callNote(event(action), START)).toBe(note);
  });

  it("the end says how long the call lasted", () => {
    expect(callNote(event("end", START + 12 * MINUTE + 30_000), START)).toBe("Call ended · 12 min");
  });

  it("the end of a call whose start this page never saw says only that it ended", () => {
    expect(callNote(event("end"), undefined)).toBe("Call ended");
  });
});

describe("a call's length", () => {
  it.each([
    [0, "less than a minute"],
    [59_999, "less than a minute"],
    [MINUTE, "1 min"],
    [59 * MINUTE, "59 min"],
    [60 * MINUTE, "1 h"],
    [65 * MINUTE, "1 h 5 min"],
    [25 * 60 * MINUTE, "25 h"],
  ])("%i ms reads %s", (ms, text) => {
    expect(callLength(ms)).toBe(text);
  });
});
