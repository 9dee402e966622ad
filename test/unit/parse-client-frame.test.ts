import { describe, expect, it } from "vitest";
import { type ClientFrame, DEFAULT_LIMITS } from "../../protocol/frames.ts";
import { type ClientFrameResult, type FrameRefusal, parseClientFrame } from "../../protocol/parse-client.ts";
import { objectText, sendFrameOfBytes } from "./support/client-frame-arbitraries.ts";

const LIMIT = DEFAULT_LIMITS.maxFrameBytes;

function parse(raw: string | ArrayBuffer, maxFrameBytes: number = LIMIT): ClientFrameResult {
  return parseClientFrame(raw, maxFrameBytes);
}

/** The frame `raw` parses to; fails the test on a refusal. */
function frameOf(raw: string, maxFrameBytes: number = LIMIT): ClientFrame {
  const result = parse(raw, maxFrameBytes);
  if (!result.ok) throw new Error(`expected a frame, got ${result.code}: ${result.message}`);
  return result.frame;
}

/** The refusal of `raw`; fails the test when it parses. */
function refusalOf(raw: string | ArrayBuffer, maxFrameBytes: number = LIMIT): FrameRefusal {
  const result = parse(raw, maxFrameBytes);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.frame)}`);
  return result;
}

function refused(code: FrameRefusal["code"], id?: string): FrameRefusal {
  const refusal: FrameRefusal = { ok: false, code, message: expect.stringMatching(/\S/) };
  if (id !== undefined) refusal.id = id;
  return refusal;
}

const json = (value: unknown) => JSON.stringify(value);

describe("parseClientFrame: send", () => {
  it("accepts a send and trims its text", () => {
    expect(frameOf(json({ type: "send", id: "m1", text: "  hello\n" }))).toStrictEqual({
      type: "send",
      id: "m1",
      text: "hello",
    });
  });

  it("keeps inner whitespace and line breaks of the text", () => {
    expect(frameOf(json({ type: "send", id: "m1", text: "a \n\t b" }))).toMatchObject({ text: "a \n\t b" });
  });

  it("accepts text of exactly 4000 code points, counting each emoji as one", () => {
    const text = "🎉".repeat(4000);
    expect(frameOf(json({ type: "send", id: "m1", text }))).toMatchObject({ text });
  });

  it("accepts 4000 code points of text surrounded by whitespace, which trimming removes", () => {
    const text = "技".repeat(4000);
    expect(frameOf(json({ type: "send", id: "m1", text: `  ${text}\n` }))).toMatchObject({ text });
  });

  it("refuses text of 4001 code points as too_large and echoes the id", () => {
    expect(refusalOf(json({ type: "send", id: "m1", text: "🎉".repeat(4001) }))).toStrictEqual(
      refused("too_large", "m1"),
    );
  });

  it.each([
    ["empty", ""],
    ["spaces", "   "],
    ["tabs and newlines", "\t\n\r\n"],
    ["no-break and ideographic spaces", "\u00a0\u3000\ufeff"],
  ])("refuses %s text as bad_request and echoes the id", (_, text) => {
    expect(refusalOf(json({ type: "send", id: "m1", text }))).toStrictEqual(refused("bad_request", "m1"));
  });

  it("refuses text holding a lone surrogate, sent as a JSON escape, and echoes the id", () => {
    expect(refusalOf('{"type":"send","id":"m1","text":"a\\ud800b"}')).toStrictEqual(refused("bad_request", "m1"));
  });

  it("accepts a surrogate pair written as JSON escapes", () => {
    expect(frameOf('{"type":"send","id":"m1","text":"\\ud83c\\udf89"}')).toMatchObject({ text: "🎉" });
  });

  it.each([
    ["a number", 42],
    ["null", null],
    ["an array", ["hi"]],
    ["an object", { text: "hi" }],
    ["a boolean", true],
  ])("refuses text that is %s and echoes the id", (_, text) => {
    expect(refusalOf(json({ type: "send", id: "m1", text }))).toStrictEqual(refused("bad_request", "m1"));
  });

  it("refuses a send without text and echoes the id", () => {
    expect(refusalOf(json({ type: "send", id: "m1" }))).toStrictEqual(refused("bad_request", "m1"));
  });

  it.each([
    ["1 code point", "a"],
    ["64 code points", "x".repeat(64)],
    ["64 emoji", "🎉".repeat(64)],
    ["whitespace, kept as chosen", " "],
  ])("accepts an id of %s", (_, id) => {
    expect(frameOf(json({ type: "send", id, text: "hi" }))).toStrictEqual({ type: "send", id, text: "hi" });
  });

  it.each([
    ["empty", ""],
    ["65 code points", "x".repeat(65)],
    ["65 emoji", "🎉".repeat(65)],
  ])("refuses an id that is %s, without echoing it", (_, id) => {
    expect(refusalOf(json({ type: "send", id, text: "hi" }))).toStrictEqual(refused("bad_request"));
  });

  it("refuses an id holding a lone surrogate, without echoing it", () => {
    expect(refusalOf('{"type":"send","id":"\\ud800","text":"hi"}')).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["a number", 1],
    ["null", null],
    ["an array", ["m1"]],
  ])("refuses an id that is %s", (_, id) => {
    expect(refusalOf(json({ type: "send", id, text: "hi" }))).toStrictEqual(refused("bad_request"));
  });

  it("refuses a send without an id", () => {
    expect(refusalOf(json({ type: "send", text: "hi" }))).toStrictEqual(refused("bad_request"));
  });

  it("judges the id before the text, so a bad id with too long a text is bad_request", () => {
    expect(refusalOf(json({ type: "send", id: "", text: "x".repeat(4001) }))).toStrictEqual(refused("bad_request"));
  });

  it("refuses a send with an extra field, echoing its id", () => {
    expect(refusalOf(json({ type: "send", id: "m1", text: "hi", user: "admin" }))).toStrictEqual(
      refused("bad_request", "m1"),
    );
  });
});

describe("parseClientFrame: typing", () => {
  it("accepts a typing frame", () => {
    expect(frameOf('{"type":"typing"}')).toStrictEqual({ type: "typing" });
  });

  it.each([
    ['{"type":"typing","on":true}'],
    ['{"type":"typing","__proto__":{"admin":true}}'],
    ['{"type":"typing","constructor":{"prototype":{}}}'],
  ])("refuses a typing frame with an extra field: %s", (raw) => {
    expect(refusalOf(raw)).toStrictEqual(refused("bad_request"));
  });
});

describe("parseClientFrame: history", () => {
  it("accepts a request for the newest page, with no limit", () => {
    expect(frameOf('{"type":"history"}')).toStrictEqual({ type: "history" });
  });

  it("accepts `before` with a limit", () => {
    expect(frameOf('{"type":"history","before":10,"limit":5}')).toStrictEqual({
      type: "history",
      before: 10,
      limit: 5,
    });
  });

  it("accepts `after` without a limit", () => {
    expect(frameOf('{"type":"history","after":0}')).toStrictEqual({ type: "history", after: 0 });
  });

  it("accepts the largest safe integer as a seq", () => {
    expect(frameOf(json({ type: "history", before: Number.MAX_SAFE_INTEGER }))).toStrictEqual({
      type: "history",
      before: Number.MAX_SAFE_INTEGER,
    });
  });

  it("refuses `before` and `after` together", () => {
    expect(refusalOf('{"type":"history","before":5,"after":1}')).toStrictEqual(refused("bad_request"));
  });

  it.each(["before", "after"])("refuses a negative `%s`", (field) => {
    expect(refusalOf(json({ type: "history", [field]: -1 }))).toStrictEqual(refused("bad_request"));
  });

  it.each(["before", "after"])("refuses a fractional `%s`", (field) => {
    expect(refusalOf(json({ type: "history", [field]: 1.5 }))).toStrictEqual(refused("bad_request"));
  });

  it.each(["before", "after"])("refuses a `%s` beyond the safe integers", (field) => {
    expect(refusalOf(json({ type: "history", [field]: 2 ** 53 }))).toStrictEqual(refused("bad_request"));
    expect(refusalOf(`{"type":"history","${field}":1e300}`)).toStrictEqual(refused("bad_request"));
  });

  it.each([["5"], [null], [true], [[1]]])("refuses a `before` of %j", (before) => {
    expect(refusalOf(json({ type: "history", before }))).toStrictEqual(refused("bad_request"));
  });

  it.each([1, 100])("accepts a limit of %i", (limit) => {
    expect(frameOf(json({ type: "history", limit }))).toStrictEqual({ type: "history", limit });
  });

  it.each([0, 101, -1, 1.5])("refuses a limit of %d", (limit) => {
    expect(refusalOf(json({ type: "history", limit }))).toStrictEqual(refused("bad_request"));
  });

  it.each([["10"], [null]])("refuses a limit of %j", (limit) => {
    expect(refusalOf(json({ type: "history", limit }))).toStrictEqual(refused("bad_request"));
  });

  it("refuses a history request with an extra field", () => {
    expect(refusalOf('{"type":"history","limit":5,"offset":3}')).toStrictEqual(refused("bad_request"));
  });
});

describe("parseClientFrame: history with a ref", () => {
  it("keeps the ref for the answer to echo", () => {
    expect(frameOf(json({ type: "history", ref: "page-7", before: 40 }))).toStrictEqual({
      type: "history",
      ref: "page-7",
      before: 40,
    });
  });

  it.each([
    ["a bad limit", { type: "history", ref: "r1", limit: 0 }],
    ["before and after together", { type: "history", ref: "r1", before: 1, after: 2 }],
    ["an extra field", { type: "history", ref: "r1", seq: 3 }],
  ])("echoes the ref in the refusal of %s", (_, frame) => {
    expect(refusalOf(json(frame))).toStrictEqual({ ...refused("bad_request"), ref: "r1" });
  });

  it("keeps `around`, the seq a page is centred on", () => {
    expect(frameOf(json({ type: "history", ref: "r1", around: 12, limit: 6 }))).toStrictEqual({
      type: "history",
      ref: "r1",
      around: 12,
      limit: 6,
    });
  });

  it.each([
    ["around and before", { type: "history", ref: "r1", around: 3, before: 5 }],
    ["around and after", { type: "history", ref: "r1", around: 3, after: 1 }],
    ["a negative around", { type: "history", ref: "r1", around: -1 }],
  ])("refuses %s, echoing the ref", (_, frame) => {
    expect(refusalOf(json(frame))).toStrictEqual({ ...refused("bad_request"), ref: "r1" });
  });

  it("echoes the ref of an oversize history frame", () => {
    expect(refusalOf(json({ type: "history", ref: "r1", limit: 5 }), 20)).toStrictEqual({
      ...refused("too_large"),
      ref: "r1",
    });
  });

  it.each([
    ["empty", ""],
    ["65 code points", "r".repeat(65)],
    ["a number", 7],
    ["a lone surrogate", "\ud800"],
  ])("refuses a ref that is %s, without echoing it", (_, ref) => {
    expect(refusalOf(json({ type: "history", ref }))).toStrictEqual(refused("bad_request"));
  });

  it("accepts a ref of 64 code points", () => {
    expect(frameOf(json({ type: "history", ref: "技".repeat(64) }))).toStrictEqual({
      type: "history",
      ref: "技".repeat(64),
    });
  });
});

describe("parseClientFrame: rename", () => {
  it("accepts a name, trimmed", () => {
    expect(frameOf(json({ type: "rename", name: "  Ada Lovelace \t" }))).toStrictEqual({
      type: "rename",
      name: "Ada Lovelace",
    });
  });

  it("normalises the name to NFC", () => {
    expect(frameOf(json({ type: "rename", name: "Jose\u0301" }))).toStrictEqual({ type: "rename", name: "José" });
  });

  it("accepts a name of 32 code points, counting each emoji as one", () => {
    const name = "🎉".repeat(32);
    expect(frameOf(json({ type: "rename", name }))).toStrictEqual({ type: "rename", name });
  });

  it.each([
    ["33 code points", "🎉".repeat(33)],
    ["empty", ""],
    ["only whitespace", " \t\n\u00a0"],
    ["a NUL character", "ada\u0000"],
    ["a bell character", "a\u0007da"],
    ["a line feed inside", "ada\nlovelace"],
    ["DEL", "ada\u007f"],
    ["a C1 control", "ada\u009b"],
    ["a right-to-left override", "ada\u202egnp.exe"],
    ["a left-to-right embedding", "\u202aada"],
    ["a first-strong isolate", "ada\u2068x"],
    ["a pop directional isolate", "ada\u2069"],
    ["a lone surrogate", "ada\ud800"],
  ])("refuses a name that is %s as invalid_name", (_, name) => {
    expect(refusalOf(json({ type: "rename", name }))).toStrictEqual(refused("invalid_name"));
  });

  it.each([[42], [null], [["ada"]]])("refuses a name of %j as bad_request", (name) => {
    expect(refusalOf(json({ type: "rename", name }))).toStrictEqual(refused("bad_request"));
  });

  it("refuses a rename without a name as bad_request", () => {
    expect(refusalOf('{"type":"rename"}')).toStrictEqual(refused("bad_request"));
  });
});

describe("parseClientFrame: any frame", () => {
  it("refuses a binary frame as bad_request", () => {
    const bytes = new TextEncoder().encode('{"type":"typing"}');
    expect(refusalOf(bytes.slice().buffer)).toStrictEqual(refused("bad_request"));
  });

  it("refuses an empty binary frame as bad_request", () => {
    expect(refusalOf(new ArrayBuffer(0))).toStrictEqual(refused("bad_request"));
  });

  it("accepts a frame of exactly the byte limit", () => {
    const raw = sendFrameOfBytes(LIMIT, "m1", "🎉".repeat(4000));
    expect(new TextEncoder().encode(raw).length).toBe(LIMIT);
    expect(frameOf(raw)).toStrictEqual({ type: "send", id: "m1", text: "🎉".repeat(4000) });
  });

  it("refuses a frame one byte over the limit as too_large, echoing the id", () => {
    const raw = sendFrameOfBytes(LIMIT + 1, "m1", "🎉".repeat(4000));
    expect(refusalOf(raw)).toStrictEqual(refused("too_large", "m1"));
  });

  it("echoes the id of a send whose 4000 characters of escaped control characters exceed the byte limit", () => {
    const raw = json({ type: "send", id: "m1", text: "\u0001".repeat(4000) });
    expect(refusalOf(raw)).toStrictEqual(refused("too_large", "m1"));
  });

  it("does not read a frame over four times the limit, so echoes no id", () => {
    const raw = json({ type: "send", id: "m1", text: "x".repeat(LIMIT * 4) });
    expect(refusalOf(raw)).toStrictEqual(refused("too_large"));
  });

  it("counts the frame in UTF-8 bytes, not UTF-16 units", () => {
    // 5462 three-byte characters and two quotes: 5,464 UTF-16 units, but 16,388 bytes.
    const raw = json("技".repeat(5462));
    expect(raw.length).toBeLessThan(LIMIT);
    expect(refusalOf(raw)).toStrictEqual(refused("too_large"));
  });

  it("counts a four-byte character as four bytes at the limit", () => {
    const underLimit = sendFrameOfBytes(LIMIT - 2, "m1", "x");
    const withEmoji = underLimit.replace('"text":"x', '"text":"🎉');
    expect(new TextEncoder().encode(withEmoji).length).toBe(LIMIT + 1);
    expect(refusalOf(withEmoji)).toStrictEqual(refused("too_large", "m1"));
  });

  it("uses the deployment's frame limit", () => {
    const raw = sendFrameOfBytes(65, "m1", "hi");
    expect(refusalOf(raw, 64)).toStrictEqual(refused("too_large", "m1"));
    expect(frameOf(raw, 65)).toStrictEqual({ type: "send", id: "m1", text: "hi" });
  });

  it.each([[""], ["{"], ["ping"], ["send hello"], ["{'type':'typing'}"], ['{"type":"typing",}']])(
    "refuses text that is not JSON: %j",
    (raw) => {
      expect(refusalOf(raw)).toStrictEqual(refused("bad_request"));
    },
  );

  it.each([["null"], ["[]"], ['[{"type":"typing"}]'], ["42"], ['"typing"'], ["true"]])(
    "refuses JSON that is not an object: %s",
    (raw) => {
      expect(refusalOf(raw)).toStrictEqual(refused("bad_request"));
    },
  );

  it.each([
    ["{}"],
    ['{"text":"hi"}'],
    ['{"type":"SEND","id":"m1","text":"hi"}'],
    ['{"type":"welcome"}'],
    ['{"type":"message"}'],
    ['{"type":"__proto__"}'],
    ['{"type":"toString"}'],
    ['{"type":"constructor"}'],
    ['{"type":1}'],
    ['{"type":null}'],
    ['{"type":["typing"]}'],
  ])("refuses an unknown or missing type: %s", (raw) => {
    expect(refusalOf(raw)).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["send", { type: "send", id: "m1", text: "hi" }],
    ["typing", { type: "typing" }],
    ["history", { type: "history", limit: 5 }],
    ["rename", { type: "rename", name: "ada" }],
  ])("refuses a %s frame with a `__proto__` or `constructor` key", (type, frame) => {
    const entries = Object.entries(frame);
    const expected = type === "send" ? refused("bad_request", "m1") : refused("bad_request");
    expect(refusalOf(objectText([...entries, ["__proto__", { isAdmin: true }]]))).toStrictEqual(expected);
    expect(refusalOf(objectText([...entries, ["constructor", { prototype: {} }]]))).toStrictEqual(expected);
  });

  it("leaves Object.prototype untouched by a `__proto__` key", () => {
    parse('{"type":"typing","__proto__":{"polluted":true}}');
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });
});
