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

describe("parseClientFrame: send with replyTo and mentions", () => {
  const ADA = "abcdefghijklmnop";
  const BOB = "234567qrstuvwxyz";

  it("keeps the seq a send answers", () => {
    expect(frameOf(json({ type: "send", id: "m1", text: "yes", replyTo: 1 }))).toStrictEqual({
      type: "send",
      id: "m1",
      text: "yes",
      replyTo: 1,
    });
  });

  it("accepts the largest safe integer as replyTo", () => {
    expect(frameOf(json({ type: "send", id: "m1", text: "yes", replyTo: Number.MAX_SAFE_INTEGER }))).toMatchObject({
      replyTo: Number.MAX_SAFE_INTEGER,
    });
  });

  it.each([
    ["0", 0],
    ["-1", -1],
    ["1.5", 1.5],
    ['"1"', "1"],
    ["null", null],
    ["true", true],
    ["[1]", [1]],
    ["2 ** 53", 2 ** 53],
  ])("refuses a replyTo of %s as bad_request, echoing the id", (_, replyTo) => {
    expect(refusalOf(json({ type: "send", id: "m1", text: "yes", replyTo }))).toStrictEqual(
      refused("bad_request", "m1"),
    );
  });

  it("keeps the people a send mentions, in their order", () => {
    expect(frameOf(json({ type: "send", id: "m1", text: "hi both", mentions: [BOB, ADA] }))).toStrictEqual({
      type: "send",
      id: "m1",
      text: "hi both",
      mentions: [BOB, ADA],
    });
  });

  it("accepts an empty list of mentions", () => {
    expect(frameOf(json({ type: "send", id: "m1", text: "hi", mentions: [] }))).toMatchObject({ mentions: [] });
  });

  it("accepts 20 distinct mentions", () => {
    const mentions = Array.from({ length: 20 }, (_, n) => `${"a".repeat(15)}${"abcdefghijklmnopqrstuvwxyz234567"[n]}`);
    expect(frameOf(json({ type: "send", id: "m1", text: "all", mentions }))).toMatchObject({ mentions });
  });

  it("accepts replyTo and mentions together", () => {
    expect(frameOf(json({ type: "send", id: "m1", text: "hi", replyTo: 3, mentions: [ADA] }))).toStrictEqual({
      type: "send",
      id: "m1",
      text: "hi",
      replyTo: 3,
      mentions: [ADA],
    });
  });

  it.each([
    ["21 distinct ids", Array.from({ length: 21 }, (_, n) => `${"b".repeat(14)}${"abcdefghijklmnopqrstu"[n]}a`)],
    ["one id twice", [ADA, BOB, ADA]],
    ["15 characters", ["abcdefghijklmno"]],
    ["17 characters", ["abcdefghijklmnopq"]],
    ["upper-case letters", ["ABCDEFGHIJKLMNOP"]],
    ["a digit outside base32", ["abcdefghijklmno1"]],
    ["a zero", ["abcdefghijklmno0"]],
    ["an empty id", [""]],
    ["a number", [7]],
    ["null inside", [ADA, null]],
    ["a user object", [{ id: ADA, name: "Ada" }]],
  ])("refuses mentions holding %s, echoing the id", (_, mentions) => {
    expect(refusalOf(json({ type: "send", id: "m1", text: "hi", mentions }))).toStrictEqual(
      refused("bad_request", "m1"),
    );
  });

  it.each([
    ["a single id", ADA],
    ["an object", { 0: ADA }],
    ["null", null],
    ["a number", 1],
  ])("refuses mentions that are %s rather than an array, echoing the id", (_, mentions) => {
    expect(refusalOf(json({ type: "send", id: "m1", text: "hi", mentions }))).toStrictEqual(
      refused("bad_request", "m1"),
    );
  });

  it("refuses a send with a `target`, which only edits, deletes and reactions carry", () => {
    expect(refusalOf(json({ type: "send", id: "m1", text: "hi", target: 1 }))).toStrictEqual(
      refused("bad_request", "m1"),
    );
  });
});

describe("parseClientFrame: edit", () => {
  const ADA = "abcdefghijklmnop";

  it("accepts an edit and trims its text", () => {
    expect(frameOf(json({ type: "edit", id: "e1", target: 4, text: "  fixed\n" }))).toStrictEqual({
      type: "edit",
      id: "e1",
      target: 4,
      text: "fixed",
    });
  });

  it("keeps the mentions of an edit", () => {
    expect(frameOf(json({ type: "edit", id: "e1", target: 4, text: "hi", mentions: [ADA] }))).toStrictEqual({
      type: "edit",
      id: "e1",
      target: 4,
      text: "hi",
      mentions: [ADA],
    });
  });

  it("accepts text of 4000 code points", () => {
    const text = "🎉".repeat(4000);
    expect(frameOf(json({ type: "edit", id: "e1", target: 4, text }))).toMatchObject({ text });
  });

  it.each([
    ["0", 0],
    ["-1", -1],
    ["1.5", 1.5],
    ['"1"', "1"],
    ["null", null],
    ["2 ** 53", 2 ** 53],
  ])("refuses a target of %s as bad_request, echoing the id", (_, target) => {
    expect(refusalOf(json({ type: "edit", id: "e1", target, text: "hi" }))).toStrictEqual(refused("bad_request", "e1"));
  });

  it.each([
    ["target", { type: "edit", id: "e1", text: "hi" }],
    ["text", { type: "edit", id: "e1", target: 4 }],
  ])("refuses an edit without its %s, echoing the id", (_, frame) => {
    expect(refusalOf(json(frame))).toStrictEqual(refused("bad_request", "e1"));
  });

  it("refuses an edit without an id, echoing nothing", () => {
    expect(refusalOf(json({ type: "edit", target: 4, text: "hi" }))).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["empty", ""],
    ["65 code points", "x".repeat(65)],
    ["a number", 1],
  ])("refuses an edit whose id is %s, echoing nothing", (_, id) => {
    expect(refusalOf(json({ type: "edit", id, target: 4, text: "hi" }))).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["empty", ""],
    ["blank", " \n\t"],
    ["a number", 42],
  ])("refuses %s text as bad_request, echoing the id", (_, text) => {
    expect(refusalOf(json({ type: "edit", id: "e1", target: 4, text }))).toStrictEqual(refused("bad_request", "e1"));
  });

  it("refuses text holding a lone surrogate, echoing the id", () => {
    expect(refusalOf('{"type":"edit","id":"e1","target":4,"text":"a\\udc00"}')).toStrictEqual(
      refused("bad_request", "e1"),
    );
  });

  it("refuses text of 4001 code points as too_large, echoing the id", () => {
    expect(refusalOf(json({ type: "edit", id: "e1", target: 4, text: "🎉".repeat(4001) }))).toStrictEqual(
      refused("too_large", "e1"),
    );
  });

  it.each([
    ["21 ids", Array.from({ length: 21 }, (_, n) => `${"c".repeat(14)}${"abcdefghijklmnopqrstu"[n]}a`)],
    ["a repeat", [ADA, ADA]],
    ["a malformed id", ["abcdefghijklmnop!"]],
    ["a string", ADA],
  ])("refuses mentions with %s, echoing the id", (_, mentions) => {
    expect(refusalOf(json({ type: "edit", id: "e1", target: 4, text: "hi", mentions }))).toStrictEqual(
      refused("bad_request", "e1"),
    );
  });

  it("refuses an edit with a replyTo, which only a send carries, echoing the id", () => {
    expect(refusalOf(json({ type: "edit", id: "e1", target: 4, text: "hi", replyTo: 2 }))).toStrictEqual(
      refused("bad_request", "e1"),
    );
  });
});

describe("parseClientFrame: delete", () => {
  it("accepts a delete", () => {
    expect(frameOf(json({ type: "delete", id: "d1", target: 9 }))).toStrictEqual({
      type: "delete",
      id: "d1",
      target: 9,
    });
  });

  it.each([
    ["0", 0],
    ["-1", -1],
    ["1.5", 1.5],
    ['"9"', "9"],
    ["missing", undefined],
  ])("refuses a target of %s as bad_request, echoing the id", (_, target) => {
    expect(refusalOf(json({ type: "delete", id: "d1", target }))).toStrictEqual(refused("bad_request", "d1"));
  });

  it.each([
    ["text", { text: "" }],
    ["emoji", { emoji: "👍" }],
    ["user", { user: "abcdefghijklmnop" }],
  ])("refuses a delete with a %s field, echoing the id", (_, extra) => {
    expect(refusalOf(json({ type: "delete", id: "d1", target: 9, ...extra }))).toStrictEqual(
      refused("bad_request", "d1"),
    );
  });

  it("refuses a delete without an id, echoing nothing", () => {
    expect(refusalOf(json({ type: "delete", target: 9 }))).toStrictEqual(refused("bad_request"));
  });
});

describe("parseClientFrame: react", () => {
  const react = (emoji: unknown, on: unknown = true) => json({ type: "react", id: "r1", target: 2, emoji, on });

  it.each([
    ["a thumbs up", "👍"],
    ["a red heart with its variation selector", "❤️"],
    ["a skin-tone sequence", "👍🏽"],
    ["a ZWJ sequence with a skin tone", "👩🏽‍💻"],
    ["a family ZWJ sequence", "👨‍👩‍👧‍👦"],
    ["a ZWJ sequence with a variation selector", "🏳️‍🌈"],
    ["a flag", "🇫🇷"],
    ["a subdivision flag", "🏴󠁧󠁢󠁥󠁮󠁧󠁿"],
    ["a keycap", "1️⃣"],
    ["the # keycap", "#️⃣"],
  ])("accepts %s", (_, emoji) => {
    expect(frameOf(react(emoji))).toStrictEqual({ type: "react", id: "r1", target: 2, emoji, on: true });
  });

  it("accepts the removal of a reaction", () => {
    expect(frameOf(react("👍", false))).toStrictEqual({ type: "react", id: "r1", target: 2, emoji: "👍", on: false });
  });

  it("keeps the NFC form of an emoji sent in NFD", () => {
    const emoji = "👩🏽‍💻";
    expect(frameOf(react(emoji.normalize("NFD")))).toMatchObject({ emoji: emoji.normalize("NFC") });
  });

  it.each([
    ["text", "ok"],
    ["a shortcode", ":+1:"],
    ["two emoji", "👍👍"],
    ["two flags", "🇫🇷🇯🇵"],
    ["an emoji with a space", " 👍"],
    ["a keycap's digit alone", "1"],
    ["a keycap without its variation selector", "1⃣"],
    ["a lone regional indicator", "🇫"],
    ["a pair of regional indicators that is no flag", "🇦🇦"],
    ["a dangling joiner", "👨‍"],
    ["a heart without its variation selector", "❤"],
    ["a letter with a combining accent", "e\u0301"],
    ["empty", ""],
    ["a number", 1],
    ["null", null],
    ["an array", ["👍"]],
  ])("refuses an emoji that is %s as bad_request, echoing the id", (_, emoji) => {
    expect(refusalOf(react(emoji))).toStrictEqual(refused("bad_request", "r1"));
  });

  it("refuses an emoji holding a lone surrogate, echoing the id", () => {
    expect(refusalOf('{"type":"react","id":"r1","target":2,"emoji":"\\ud83d","on":true}')).toStrictEqual(
      refused("bad_request", "r1"),
    );
  });

  it.each([
    ['"true"', "true"],
    ["1", 1],
    ["0", 0],
    ["null", null],
  ])("refuses an `on` of %s, echoing the id", (_, on) => {
    expect(refusalOf(react("👍", on))).toStrictEqual(refused("bad_request", "r1"));
  });

  it.each([
    ["on", { type: "react", id: "r1", target: 2, emoji: "👍" }],
    ["emoji", { type: "react", id: "r1", target: 2, on: true }],
    ["target", { type: "react", id: "r1", emoji: "👍", on: true }],
  ])("refuses a react without `%s`, echoing the id", (_, frame) => {
    expect(refusalOf(json(frame))).toStrictEqual(refused("bad_request", "r1"));
  });

  it.each([0, -1, 1.5, "2"])("refuses a target of %j, echoing the id", (target) => {
    expect(refusalOf(json({ type: "react", id: "r1", target, emoji: "👍", on: true }))).toStrictEqual(
      refused("bad_request", "r1"),
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

describe("parseClientFrame: search", () => {
  /** A refusal of a search, echoing its ref `q1`. */
  const refusedSearch = (code: FrameRefusal["code"]): FrameRefusal => ({ ...refused(code), ref: "q1" });

  it("accepts a search with only its ref and query, and trims the query", () => {
    expect(frameOf(json({ type: "search", ref: "q1", q: "  deploy fail\n" }))).toStrictEqual({
      type: "search",
      ref: "q1",
      q: "deploy fail",
    });
  });

  it("keeps `before` and `limit`", () => {
    expect(frameOf(json({ type: "search", ref: "q1", q: "deploy", before: 88, limit: 2 }))).toStrictEqual({
      type: "search",
      ref: "q1",
      q: "deploy",
      before: 88,
      limit: 2,
    });
  });

  it.each([0, Number.MAX_SAFE_INTEGER])("accepts a `before` of %i", (before) => {
    expect(frameOf(json({ type: "search", ref: "q1", q: "x", before }))).toMatchObject({ before });
  });

  it.each([1, 50])("accepts a limit of %i", (limit) => {
    expect(frameOf(json({ type: "search", ref: "q1", q: "x", limit }))).toMatchObject({ limit });
  });

  it.each([['"deploy failed"'], ["depl*"], ["NEAR(a b)"], ["a OR b"], ["text:x"], ["'; DROP TABLE messages; --"]])(
    "keeps %s as text to find, never as query syntax",
    (q) => {
      expect(frameOf(json({ type: "search", ref: "q1", q }))).toStrictEqual({ type: "search", ref: "q1", q });
    },
  );

  it("accepts a query of 200 code points, counting each emoji as one", () => {
    const q = "🎉".repeat(200);
    expect(frameOf(json({ type: "search", ref: "q1", q }))).toMatchObject({ q });
  });

  it("accepts 200 code points surrounded by whitespace, which trimming removes", () => {
    const q = "技".repeat(200);
    expect(frameOf(json({ type: "search", ref: "q1", q: `  ${q}\t` }))).toMatchObject({ q });
  });

  it("refuses a query of 201 code points as too_large, echoing the ref", () => {
    expect(refusalOf(json({ type: "search", ref: "q1", q: "🎉".repeat(201) }))).toStrictEqual(
      refusedSearch("too_large"),
    );
  });

  it.each([
    ["empty", ""],
    ["spaces", "   "],
    ["tabs and newlines", "\t\n"],
    ["no-break and ideographic spaces", "\u00a0\u3000\ufeff"],
  ])("refuses a query that is %s, echoing the ref", (_, q) => {
    expect(refusalOf(json({ type: "search", ref: "q1", q }))).toStrictEqual(refusedSearch("bad_request"));
  });

  it("refuses a query holding a lone surrogate, sent as a JSON escape, echoing the ref", () => {
    expect(refusalOf('{"type":"search","ref":"q1","q":"deploy\\ud800"}')).toStrictEqual(refusedSearch("bad_request"));
  });

  it.each([
    ["a number", 42],
    ["null", null],
    ["an array", ["deploy"]],
    ["an object", { q: "deploy" }],
  ])("refuses a query that is %s, echoing the ref", (_, q) => {
    expect(refusalOf(json({ type: "search", ref: "q1", q }))).toStrictEqual(refusedSearch("bad_request"));
  });

  it("refuses a search without a query, echoing the ref", () => {
    expect(refusalOf(json({ type: "search", ref: "q1" }))).toStrictEqual(refusedSearch("bad_request"));
  });

  it("refuses a search without a ref: unlike a history request's, it is required", () => {
    expect(refusalOf(json({ type: "search", q: "deploy" }))).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["empty", ""],
    ["65 code points", "r".repeat(65)],
    ["a number", 7],
    ["null", null],
  ])("refuses a ref that is %s, without echoing it", (_, ref) => {
    expect(refusalOf(json({ type: "search", ref, q: "deploy" }))).toStrictEqual(refused("bad_request"));
  });

  it("refuses a ref holding a lone surrogate, without echoing it", () => {
    expect(refusalOf('{"type":"search","ref":"\\udc00","q":"deploy"}')).toStrictEqual(refused("bad_request"));
  });

  it("accepts a ref of 64 code points", () => {
    const ref = "技".repeat(64);
    expect(frameOf(json({ type: "search", ref, q: "deploy" }))).toMatchObject({ ref });
  });

  it("judges the ref before the query, so a bad ref with too long a query is bad_request", () => {
    expect(refusalOf(json({ type: "search", ref: "", q: "x".repeat(201) }))).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["negative", -1],
    ["fractional", 1.5],
    ["beyond the safe integers", 2 ** 53],
    ["a string", "12"],
    ["null", null],
    ["a boolean", true],
  ])("refuses a `before` that is %s, echoing the ref", (_, before) => {
    expect(refusalOf(json({ type: "search", ref: "q1", q: "x", before }))).toStrictEqual(refusedSearch("bad_request"));
  });

  it.each([
    ["0", 0],
    ["51, one over the page maximum", 51],
    ["100, a history page's maximum", 100],
    ["negative", -1],
    ["fractional", 2.5],
    ["a string", "20"],
    ["null", null],
  ])("refuses a limit that is %s, echoing the ref", (_, limit) => {
    expect(refusalOf(json({ type: "search", ref: "q1", q: "x", limit }))).toStrictEqual(refusedSearch("bad_request"));
  });

  it.each([
    ["after", 3],
    ["around", 3],
    ["id", "m1"],
    ["__proto__", {}],
  ])("refuses a search with the extra field `%s`, echoing the ref", (key, value) => {
    const raw = objectText([
      ["type", "search"],
      ["ref", "q1"],
      ["q", "x"],
      [key, value],
    ]);
    expect(refusalOf(raw)).toStrictEqual(refusedSearch("bad_request"));
  });

  it("echoes the ref of an oversize search", () => {
    expect(refusalOf(json({ type: "search", ref: "q1", q: "deploy" }), 20)).toStrictEqual(refusedSearch("too_large"));
  });
});

describe("parseClientFrame: read", () => {
  it.each([0, 1, 42, Number.MAX_SAFE_INTEGER])("accepts a read position of %i", (seq) => {
    expect(frameOf(json({ type: "read", seq }))).toStrictEqual({ type: "read", seq });
  });

  it.each([
    ["missing", undefined],
    ["negative", -1],
    ["fractional", 1.5],
    ["beyond the safe integers", 2 ** 53],
    ["a string", "7"],
    ["null", null],
    ["an array", [7]],
  ])("refuses a seq that is %s", (_, seq) => {
    expect(refusalOf(json({ type: "read", seq }))).toStrictEqual(refused("bad_request"));
  });

  it("refuses a read with an extra field, and echoes no ref: it has none", () => {
    expect(refusalOf(json({ type: "read", seq: 7, ref: "r1" }))).toStrictEqual(refused("bad_request"));
    expect(refusalOf(json({ type: "read", seq: 7, id: "m1" }))).toStrictEqual(refused("bad_request"));
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

  it.each([
    ["edit", { type: "edit", id: "m1", target: 1, text: "x" }],
    ["delete", { type: "delete", id: "m1", target: 1 }],
    ["react", { type: "react", id: "m1", target: 1, emoji: "👍", on: true }],
  ])("echoes the id of an oversize %s", (_, frame) => {
    expect(refusalOf(json(frame), 20)).toStrictEqual(refused("too_large", "m1"));
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
    ["edit", { type: "edit", id: "m1", target: 1, text: "hi" }],
    ["delete", { type: "delete", id: "m1", target: 1 }],
    ["react", { type: "react", id: "m1", target: 1, emoji: "👍", on: true }],
    ["typing", { type: "typing" }],
    ["history", { type: "history", limit: 5 }],
    ["read", { type: "read", seq: 3 }],
    ["rename", { type: "rename", name: "ada" }],
  ])("refuses a %s frame with a `__proto__` or `constructor` key", (_, frame) => {
    const entries = Object.entries(frame);
    const expected = "id" in frame ? refused("bad_request", frame.id) : refused("bad_request");
    expect(refusalOf(objectText([...entries, ["__proto__", { isAdmin: true }]]))).toStrictEqual(expected);
    expect(refusalOf(objectText([...entries, ["constructor", { prototype: {} }]]))).toStrictEqual(expected);
  });

  it("leaves Object.prototype untouched by a `__proto__` key", () => {
    parse('{"type":"typing","__proto__":{"polluted":true}}');
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });
});
