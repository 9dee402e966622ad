import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../protocol/frames.ts";
import { type ClientFrameResult, parseClientFrame } from "../../protocol/parse-client.ts";
import {
  binaryFrame,
  framesNearLimit,
  notAFrameText,
  shapedFrameText,
  trickyString,
} from "./support/client-frame-arbitraries.ts";
import {
  type ContractFrame,
  type ContractOutcome,
  contractOutcome,
  contractViolation,
  FRAME_TYPES_MODELLED_ELSEWHERE,
  REFUSAL_CODES,
} from "./support/client-frame-contract.ts";
import { isRef } from "./support/client-value-contract.ts";
import {
  anyValidClientFrame,
  referringFrameOneChangeText,
  shapedAnyFrameText,
  validReferringFrame,
} from "./support/event-frame-arbitraries.ts";
import {
  searchOrReadOneChangeText,
  shapedSearchOrReadText,
  validSearchFrame,
} from "./support/search-frame-arbitraries.ts";

const LIMIT = DEFAULT_LIMITS.maxFrameBytes;

/** Every kind of raw frame: random text, JSON of any shape, frames shaped like each type, valid frames, binary. */
const anyRawFrame: fc.Arbitrary<string | ArrayBuffer> = fc.oneof(
  trickyString({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  notAFrameText,
  fc.jsonValue().map((value) => JSON.stringify(value)),
  shapedFrameText,
  shapedAnyFrameText,
  shapedSearchOrReadText,
  referringFrameOneChangeText,
  searchOrReadOneChangeText,
  anyValidClientFrame.map(({ wire }) => JSON.stringify(wire)),
  binaryFrame,
);

/** The parser's result reduced to what the contract fixes: the frame, or the refusal's code and echoed id. */
function outcomeOf(result: ClientFrameResult): ContractOutcome {
  if (result.ok) return { ok: true, frame: result.frame as ContractFrame };
  return {
    ok: false,
    code: result.code,
    ...(result.id === undefined ? {} : { id: result.id }),
    ...(result.ref === undefined ? {} : { ref: result.ref }),
  };
}

/** Whether `raw` is a frame of a type this model leaves to its own tests. */
function isModelledElsewhere(raw: string | ArrayBuffer): boolean {
  if (typeof raw !== "string") return false;
  try {
    const value: unknown = JSON.parse(raw);
    const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
    return typeof type === "string" && FRAME_TYPES_MODELLED_ELSEWHERE.includes(type);
  } catch {
    // Not JSON: the model covers it.
    return false;
  }
}

/** Checks one parse against the contract: a valid frame, or a refusal with a contract code and a message. */
function expectContractResult(raw: string | ArrayBuffer, maxFrameBytes: number): void {
  if (isModelledElsewhere(raw)) return;
  const result = parseClientFrame(raw, maxFrameBytes);
  if (result.ok) {
    expect(contractViolation(result.frame)).toBeNull();
  } else {
    expect(REFUSAL_CODES).toContain(result.code);
    expect(result.message).toMatch(/\S/);
    if (result.id !== undefined) expect(contractViolation({ type: "send", id: result.id, text: "x" })).toBeNull();
  }
  expect(outcomeOf(result)).toStrictEqual(contractOutcome(raw, maxFrameBytes));
}

describe("parseClientFrame, for any input", () => {
  it("never throws on arbitrary text, and answers as the contract does", () => {
    fc.assert(
      fc.property(fc.oneof(trickyString({ maxLength: 200 }), fc.string({ unit: "binary" })), (raw) => {
        expectContractResult(raw, LIMIT);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on arbitrary JSON values, and answers as the contract does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectContractResult(JSON.stringify(value), LIMIT);
      }),
      { numRuns: 1000 },
    );
  });

  it("answers frames shaped like each type, with random fields and extra keys, as the contract does", () => {
    fc.assert(
      fc.property(fc.oneof(shapedFrameText, shapedAnyFrameText), (raw) => {
        expectContractResult(raw, LIMIT);
      }),
      { numRuns: 5000 },
    );
  });

  it("answers an edit, delete, react or send naming others with one field changed as the contract does", () => {
    fc.assert(
      fc.property(referringFrameOneChangeText, (raw) => {
        expectContractResult(raw, LIMIT);
      }),
      { numRuns: 5000 },
    );
  });

  it("answers searches and reads shaped at random, or with one field changed, as the contract does", () => {
    fc.assert(
      fc.property(fc.oneof(shapedSearchOrReadText, searchOrReadOneChangeText), (raw) => {
        expectContractResult(raw, LIMIT);
      }),
      { numRuns: 5000 },
    );
  });

  it("echoes the ref of a refused search whenever it is valid, and no other ref", () => {
    fc.assert(
      fc.property(fc.oneof(shapedSearchOrReadText, searchOrReadOneChangeText), (raw) => {
        const result = parseClientFrame(raw, LIMIT);
        if (result.ok) return;
        const { type, ref }: { type?: unknown; ref?: unknown } = JSON.parse(raw);
        expect(result.ref).toBe(type === "search" && isRef(ref) ? ref : undefined);
        expect(result.id).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses every binary frame as bad_request", () => {
    fc.assert(
      fc.property(binaryFrame, (raw) => {
        expect(parseClientFrame(raw, LIMIT)).toMatchObject({ ok: false, code: "bad_request" });
      }),
    );
  });

  it("refuses exactly the frames over the byte limit as too_large, whatever the limit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: LIMIT }).chain((limit) => fc.tuple(fc.constant(limit), framesNearLimit(limit))),
        ([limit, raw]) => {
          const bytes = new TextEncoder().encode(raw).length;
          const result = parseClientFrame(raw, limit);
          expect(!result.ok && result.code === "too_large").toBe(bytes > limit);
          expectContractResult(raw, limit);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("answers every kind of frame under a small limit as the contract does", () => {
    fc.assert(
      fc.property(anyRawFrame, fc.integer({ min: 0, max: 200 }), (raw, limit) => {
        expectContractResult(raw, limit);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("parseClientFrame, for valid frames", () => {
  it("parses every valid frame to the same frame, with text trimmed, names trimmed and NFC-normalised, emoji NFC", () => {
    fc.assert(
      fc.property(anyValidClientFrame, ({ wire, expected }) => {
        expect(parseClientFrame(JSON.stringify(wire), LIMIT)).toStrictEqual({ ok: true, frame: expected });
      }),
      { numRuns: 2000 },
    );
  });

  it("parses a frame it produced again to the same frame", () => {
    fc.assert(
      fc.property(anyValidClientFrame, ({ wire }) => {
        const first = parseClientFrame(JSON.stringify(wire), LIMIT);
        if (!first.ok) throw new Error(`valid frame refused: ${first.message}`);
        expect(parseClientFrame(JSON.stringify(first.frame), LIMIT)).toStrictEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses any valid frame once an unknown key is added", () => {
    fc.assert(
      fc.property(
        anyValidClientFrame,
        fc.constantFrom("__proto__", "constructor", "prototype", "user", "seq", "ts", "Type"),
        fc.jsonValue({ maxDepth: 1 }),
        ({ wire }, key, value) => {
          // A key the frame has already would only repeat it, and the last value counts.
          fc.pre(!Object.hasOwn(wire, key));
          const raw = `${JSON.stringify(wire).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`;
          // A limit no frame here reaches, so that the key alone decides.
          expect(parseClientFrame(raw, 2 ** 20)).toMatchObject({ ok: false, code: "bad_request" });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses a valid frame that names others as too_large over the byte limit, echoing its id", () => {
    fc.assert(
      fc.property(validReferringFrame, fc.integer({ min: 1, max: 3 }), ({ wire, expected }, divisor) => {
        const raw = JSON.stringify(wire);
        // At least a quarter of the frame's length, so that the frame is still read for its id.
        const limit = Math.floor((new TextEncoder().encode(raw).length - 1) / divisor);
        const id = "id" in expected ? expected.id : undefined;
        expect(parseClientFrame(raw, limit)).toStrictEqual({
          ok: false,
          code: "too_large",
          message: expect.stringMatching(/\S/),
          id,
        });
        expectContractResult(raw, limit);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses a valid search as too_large over the byte limit, echoing its ref", () => {
    fc.assert(
      fc.property(validSearchFrame, fc.integer({ min: 1, max: 3 }), ({ wire }, divisor) => {
        const raw = JSON.stringify(wire);
        // At least a quarter of the frame's length, so that the frame is still read for its ref.
        const limit = Math.floor((new TextEncoder().encode(raw).length - 1) / divisor);
        expect(parseClientFrame(raw, limit)).toStrictEqual({
          ok: false,
          code: "too_large",
          message: expect.stringMatching(/\S/),
          ref: wire.ref,
        });
        expectContractResult(raw, limit);
      }),
      { numRuns: 500 },
    );
  });
});
