import { describe, expect, it } from "vitest";
import {
  type ChangeInput,
  type Parsed,
  type PostInput,
  parseEditInput,
  parseEmojiSegment,
  parseMessageSeq,
  parsePostInput,
} from "../../protocol/http-params.ts";
import type { FrameRefusal } from "../../protocol/parse-client.ts";

const ADA = "abcdefghijklmnop";
const BOB = "234567qrstuvwxyz";
/** 21 distinct user ids, one more than a message may mention. */
const TWENTY_ONE_IDS = [..."abcdefghijklmnopqrstu"].map((letter) => `${"q".repeat(15)}${letter}`);

/** The value of a parse; fails the test on a refusal. */
function parsedValue<T>(result: Parsed<T>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.code}: ${result.message}`);
  return result.value;
}

function refused(code: FrameRefusal["code"]): FrameRefusal {
  return { ok: false, code, message: expect.stringMatching(/\S/) };
}

/** Values of `mentions` the contract refuses, each breaking one rule. */
const BAD_MENTIONS: [string, unknown][] = [
  ["21 ids", TWENTY_ONE_IDS],
  ["one id twice", [ADA, ADA]],
  ["an id of 15 characters", ["abcdefghijklmno"]],
  ["an upper-case id", ["ABCDEFGHIJKLMNOP"]],
  ["a digit outside base32", ["abcdefghijklmno1"]],
  ["a number", [7]],
  ["a single id, not a list", ADA],
  ["null", null],
];

describe("parsePostInput: replyTo and mentions", () => {
  it("keeps the seq a post answers", () => {
    const input: PostInput = parsedValue(parsePostInput({ text: "yes", replyTo: 12 }));
    expect(input).toStrictEqual({ text: "yes", replyTo: 12 });
  });

  it("keeps the people a post mentions", () => {
    expect(parsedValue(parsePostInput({ text: "hi", mentions: [ADA, BOB] }))).toStrictEqual({
      text: "hi",
      mentions: [ADA, BOB],
    });
  });

  it("accepts replyTo and mentions beside the other fields", () => {
    expect(
      parsedValue(parsePostInput({ text: " hi ", id: "p1", name: "bot", replyTo: 1, mentions: [ADA] })),
    ).toStrictEqual({ text: "hi", id: "p1", name: "bot", replyTo: 1, mentions: [ADA] });
  });

  it("accepts an empty list of mentions", () => {
    expect(parsedValue(parsePostInput({ text: "hi", mentions: [] }))).toStrictEqual({ text: "hi", mentions: [] });
  });

  it("accepts 20 mentions", () => {
    const mentions = TWENTY_ONE_IDS.slice(0, 20);
    expect(parsedValue(parsePostInput({ text: "hi", mentions }))).toStrictEqual({ text: "hi", mentions });
  });

  it.each([
    ["0", 0],
    ["-1", -1],
    ["1.5", 1.5],
    ['"1"', "1"],
    ["null", null],
    ["2 ** 53", 2 ** 53],
  ])("refuses a replyTo of %s as bad_request", (_, replyTo) => {
    expect(parsePostInput({ text: "hi", replyTo })).toStrictEqual(refused("bad_request"));
  });

  it.each(BAD_MENTIONS)("refuses mentions with %s as bad_request", (_, mentions) => {
    expect(parsePostInput({ text: "hi", mentions })).toStrictEqual(refused("bad_request"));
  });

  it("refuses a post with a target, which only an edit of a message has", () => {
    expect(parsePostInput({ text: "hi", target: 3 })).toStrictEqual(refused("bad_request"));
  });
});

describe("parseEditInput", () => {
  it("reads an edit of the message at the path's seq, its text trimmed", () => {
    const input: ChangeInput = parsedValue(parseEditInput({ text: "  fixed\n" }, 7));
    expect(input).toStrictEqual({ type: "edit", target: 7, text: "fixed" });
  });

  it("keeps the client's idempotency key and the mentions", () => {
    expect(parsedValue(parseEditInput({ text: "hi", id: "e1", mentions: [BOB] }, 7))).toStrictEqual({
      type: "edit",
      target: 7,
      text: "hi",
      id: "e1",
      mentions: [BOB],
    });
  });

  it("accepts 4000 code points of text", () => {
    expect(parsedValue(parseEditInput({ text: "🎉".repeat(4000) }, 7))).toMatchObject({ text: "🎉".repeat(4000) });
  });

  it.each([
    ["an array", []],
    ["null", null],
    ["a string", "fixed"],
  ])("refuses a body that is %s", (_, body) => {
    expect(parseEditInput(body, 7)).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["empty", ""],
    ["blank", " \t\n"],
    ["missing", undefined],
    ["a number", 1],
    ["a lone surrogate", "a\ud800"],
  ])("refuses text that is %s as bad_request", (_, text) => {
    expect(parseEditInput(text === undefined ? {} : { text }, 7)).toStrictEqual(refused("bad_request"));
  });

  it("refuses text of 4001 code points as too_large", () => {
    expect(parseEditInput({ text: "🎉".repeat(4001) }, 7)).toStrictEqual(refused("too_large"));
  });

  it.each([
    ["empty", ""],
    ["65 code points", "x".repeat(65)],
    ["a number", 5],
  ])("refuses an id that is %s", (_, id) => {
    expect(parseEditInput({ text: "hi", id }, 7)).toStrictEqual(refused("bad_request"));
  });

  it.each(BAD_MENTIONS)("refuses mentions with %s", (_, mentions) => {
    expect(parseEditInput({ text: "hi", mentions }, 7)).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["target", { target: 3 }],
    ["replyTo", { replyTo: 3 }],
    ["name", { name: "bot" }],
    ["__proto__", JSON.parse('{"__proto__":{}}')],
  ])("refuses a body with a `%s` field", (_, extra) => {
    expect(parseEditInput({ text: "hi", ...extra }, 7)).toStrictEqual(refused("bad_request"));
  });
});

describe("parseMessageSeq", () => {
  it.each([
    ["1", 1],
    ["42", 42],
    ["9007199254740991", Number.MAX_SAFE_INTEGER],
  ])("reads the seq %s", (segment, seq) => {
    expect(parseMessageSeq(segment)).toStrictEqual({ ok: true, value: seq });
  });

  it.each([
    ["0, which no message has", "0"],
    ["negative", "-1"],
    ["signed", "+1"],
    ["fractional", "1.5"],
    ["in exponent form", "1e3"],
    ["hexadecimal", "0x10"],
    ["not a number", "abc"],
    ["empty", ""],
    ["padded with a space", " 1"],
    ["beyond the safe integers", "9007199254740992"],
  ])("refuses a seq that is %s", (_, segment) => {
    expect(parseMessageSeq(segment)).toStrictEqual(refused("bad_request"));
  });
});

describe("parseEmojiSegment", () => {
  it.each([
    ["a thumbs up", "👍"],
    ["a red heart", "❤️"],
    ["a ZWJ sequence with a skin tone", "👩🏽‍💻"],
    ["a flag", "🇫🇷"],
    ["a keycap", "1️⃣"],
  ])("reads %s, percent-encoded", (_, emoji) => {
    expect(parseEmojiSegment(encodeURIComponent(emoji))).toStrictEqual({ ok: true, value: emoji });
  });

  it("reads the thumbs up from its UTF-8 escapes", () => {
    expect(parseEmojiSegment("%F0%9F%91%8D")).toStrictEqual({ ok: true, value: "👍" });
  });

  it.each([
    ["a malformed escape", "%ZZ"],
    ["an escape cut short", "%F0%9F%91"],
    ["a letter", "x"],
    ["two emoji", "👍👍"],
    ["two emoji, percent-encoded", encodeURIComponent("👍👍")],
    ["a keycap's digit alone", "1"],
    ["an emoji and a space", "%F0%9F%91%8D%20"],
    ["empty", ""],
  ])("refuses %s", (_, segment) => {
    expect(parseEmojiSegment(segment)).toStrictEqual(refused("bad_request"));
  });
});
