import { describe, expect, it } from "vitest";
import {
  codePointLength,
  isStoredSeqPosition,
  isUserId,
  isValidClientId,
  normalizeDisplayName,
  normalizeEmoji,
  normalizeMessageText,
  normalizeRoomName,
  parseMentions,
} from "../../protocol/parse-client.ts";

describe("normalizeRoomName", () => {
  it("keeps a plain lower-case name", () => {
    expect(normalizeRoomName("general")).toBe("general");
  });

  it("lower-cases, so General and general are one room", () => {
    expect(normalizeRoomName("General")).toBe("general");
  });

  it("accepts letters of any script", () => {
    expect(normalizeRoomName("技术")).toBe("技术");
    expect(normalizeRoomName("ΑΘΗΝΑ")).toBe("αθηνα");
  });

  it("percent-decodes before checking", () => {
    expect(normalizeRoomName("%E6%8A%80%E6%9C%AF")).toBe("技术");
    expect(normalizeRoomName("%47eneral")).toBe("general");
  });

  it("normalises to NFC after decoding, so composed and decomposed spellings are one room", () => {
    expect(normalizeRoomName("cafe%CC%81")).toBe("café");
    expect(normalizeRoomName("caf%C3%A9")).toBe("café");
  });

  it("accepts digits, hyphens and underscores", () => {
    expect(normalizeRoomName("room_2-b")).toBe("room_2-b");
    expect(normalizeRoomName("٣")).toBe("٣");
  });

  it.each([
    ["an encoded slash", "%2F"],
    ["an encoded path climb", "..%2f"],
    ["a double-encoded slash", "%252F"],
    ["a dot", "a.b"],
  ])("refuses %s", (_, segment) => {
    expect(normalizeRoomName(segment)).toBeNull();
  });

  it.each([
    ["a truncated escape", "%E6%8A"],
    ["a lone percent sign", "50%"],
    ["a non-hex escape", "%zz"],
    ["an escape of a lone surrogate", "%ED%A0%80"],
  ])("refuses a malformed percent-escape: %s", (_, segment) => {
    expect(normalizeRoomName(segment)).toBeNull();
  });

  it("accepts 64 characters and refuses 65, counting code points", () => {
    expect(normalizeRoomName("a".repeat(64))).toBe("a".repeat(64));
    expect(normalizeRoomName("a".repeat(65))).toBeNull();
    expect(normalizeRoomName("技".repeat(64))).toBe("技".repeat(64));
    expect(normalizeRoomName("技".repeat(65))).toBeNull();
  });

  it.each([
    ["a NUL", "a%00b"],
    ["a line feed", "a%0Ab"],
    ["DEL", "a%7Fb"],
  ])("refuses control characters: %s", (_, segment) => {
    expect(normalizeRoomName(segment)).toBeNull();
  });

  it.each([
    ["an encoded space", "a%20b"],
    ["a raw space", "a b"],
    ["a leading space", "%20general"],
  ])("refuses spaces: %s", (_, segment) => {
    expect(normalizeRoomName(segment)).toBeNull();
  });

  it("refuses the empty name", () => {
    expect(normalizeRoomName("")).toBeNull();
  });

  it("refuses emoji, which are neither letters nor digits", () => {
    expect(normalizeRoomName("🎉")).toBeNull();
  });

  it.each([
    ["Devanagari, with its vowel signs and virama", "हिन्दी"],
    ["Tamil, with its pulli", "தமிழ்"],
    ["Thai, with its tone marks", "สวัสดี"],
    ["Arabic with harakat", "مَرْحَبًا"],
  ])("accepts combining marks after a letter: %s", (_, name) => {
    expect(normalizeRoomName(encodeURIComponent(name))).toBe(name);
  });

  it("keeps the dot above that lower-casing İstanbul leaves after its i", () => {
    expect(normalizeRoomName(encodeURIComponent("İstanbul"))).toBe("i\u0307stanbul");
    expect(normalizeRoomName("istanbul")).toBe("istanbul");
  });

  it("accepts a digit with a mark after it", () => {
    expect(normalizeRoomName(encodeURIComponent("1\u20e3"))).toBe("1\u20e3");
  });

  it.each([
    ["a name that starts with a mark", "\u0301a"],
    ["a name that is only marks", "\u093f\u0902"],
    ["a mark after a hyphen", "a-\u0301"],
    ["a mark after an underscore", "a_\u0301"],
  ])("refuses %s", (_, name) => {
    expect(normalizeRoomName(encodeURIComponent(name))).toBeNull();
  });

  it.each([
    ["a right-to-left override", "a\u202eb"],
    ["a left-to-right isolate", "a\u2066b"],
    ["a zero-width space", "a\u200bb"],
    ["a zero-width joiner", "a\u200db"],
    ["a soft hyphen", "a\u00adb"],
    ["a byte-order mark", "\ufeffa"],
  ])("refuses format characters in a name: %s", (_, name) => {
    expect(normalizeRoomName(encodeURIComponent(name))).toBeNull();
  });

  it("counts marks towards the 64 code points", () => {
    expect(normalizeRoomName(encodeURIComponent("कि".repeat(32)))).toBe("कि".repeat(32));
    expect(normalizeRoomName(encodeURIComponent(`${"कि".repeat(32)}a`))).toBeNull();
  });
});

describe("normalizeDisplayName", () => {
  it.each([
    ["a zero-width space", "Ada\u200bLovelace"],
    ["a word joiner", "Ada\u2060"],
    ["a soft hyphen", "Ada\u00adL"],
    ["a byte-order mark inside", "Ada\ufeffL"],
    ["an unassigned code point", "Ada\u0378"],
  ])("refuses format and unassigned characters: %s", (_, name) => {
    expect(normalizeDisplayName(name)).toStrictEqual({ ok: false, reason: "malformed" });
  });

  it("keeps the zero-width non-joiner that Persian spelling needs", () => {
    expect(normalizeDisplayName("می\u200cخواهم")).toStrictEqual({ ok: true, value: "می\u200cخواهم" });
  });

  it.each([["हिन्दी"], ["தமிழ்"], ["สวัสดี"]])("accepts names with combining marks: %s", (name) => {
    expect(normalizeDisplayName(name)).toStrictEqual({ ok: true, value: name });
  });

  it("trims", () => {
    expect(normalizeDisplayName("  Ada \n")).toStrictEqual({ ok: true, value: "Ada" });
  });

  it("keeps case and inner spaces", () => {
    expect(normalizeDisplayName("Ada Lovelace")).toStrictEqual({ ok: true, value: "Ada Lovelace" });
  });

  it("normalises to NFC", () => {
    expect(normalizeDisplayName("Jose\u0301")).toStrictEqual({ ok: true, value: "José" });
  });

  it.each([["\u2028"], ["\u2029"]])("refuses a line or paragraph separator inside a name (%j)", (separator) => {
    expect(normalizeDisplayName(`a${separator}b`)).toStrictEqual({ ok: false, reason: "malformed" });
  });

  it("keeps the zero-width joiner that emoji sequences need", () => {
    expect(normalizeDisplayName("👩\u200D💻 dev")).toStrictEqual({ ok: true, value: "👩\u200D💻 dev" });
  });

  it("counts the length in code points after NFC: 32 decomposed pairs are 32 characters", () => {
    expect(normalizeDisplayName("e\u0301".repeat(32))).toStrictEqual({ ok: true, value: "é".repeat(32) });
  });

  it("accepts 32 emoji and refuses 33", () => {
    expect(normalizeDisplayName("🎉".repeat(32))).toStrictEqual({ ok: true, value: "🎉".repeat(32) });
    expect(normalizeDisplayName("🎉".repeat(33))).toStrictEqual({ ok: false, reason: "too_long" });
  });

  it("refuses an empty or blank name", () => {
    expect(normalizeDisplayName("")).toStrictEqual({ ok: false, reason: "empty" });
    expect(normalizeDisplayName(" \t\u3000")).toStrictEqual({ ok: false, reason: "empty" });
  });

  it.each([
    ["NUL", "a\u0000"],
    ["an escape character", "\u001b[31mred"],
    ["a line feed inside", "a\nb"],
    ["DEL", "a\u007f"],
    ["a C1 control", "a\u0085b"],
  ])("refuses control characters: %s", (_, name) => {
    expect(normalizeDisplayName(name)).toStrictEqual({ ok: false, reason: "malformed" });
  });

  it.each([
    ["right-to-left override", "\u202e"],
    ["left-to-right override", "\u202d"],
    ["right-to-left embedding", "\u202b"],
    ["pop directional formatting", "\u202c"],
    ["left-to-right isolate", "\u2066"],
    ["pop directional isolate", "\u2069"],
  ])("refuses the bidi control %s", (_, control) => {
    expect(normalizeDisplayName(`ada${control}x`)).toStrictEqual({ ok: false, reason: "malformed" });
  });

  it("refuses a lone surrogate", () => {
    expect(normalizeDisplayName("ada\udc00")).toStrictEqual({ ok: false, reason: "malformed" });
  });
});

describe("normalizeMessageText", () => {
  it("trims", () => {
    expect(normalizeMessageText("\n  hello  \t")).toStrictEqual({ ok: true, value: "hello" });
  });

  it("keeps the text otherwise as sent, without normalising it", () => {
    expect(normalizeMessageText("e\u0301 <b>x</b>")).toStrictEqual({ ok: true, value: "e\u0301 <b>x</b>" });
  });

  it("refuses empty and blank text", () => {
    expect(normalizeMessageText("")).toStrictEqual({ ok: false, reason: "empty" });
    expect(normalizeMessageText(" \n\u00a0")).toStrictEqual({ ok: false, reason: "empty" });
  });

  it("accepts 4000 code points and refuses 4001", () => {
    expect(normalizeMessageText("🎉".repeat(4000))).toStrictEqual({ ok: true, value: "🎉".repeat(4000) });
    expect(normalizeMessageText("🎉".repeat(4001))).toStrictEqual({ ok: false, reason: "too_long" });
  });

  it("counts the length after trimming", () => {
    expect(normalizeMessageText(`   ${"a".repeat(4000)}   `)).toStrictEqual({ ok: true, value: "a".repeat(4000) });
  });

  it("refuses a lone surrogate", () => {
    expect(normalizeMessageText("hi \ud83c")).toStrictEqual({ ok: false, reason: "malformed" });
  });
});

describe("isValidClientId", () => {
  it("accepts 1 to 64 code points", () => {
    expect(isValidClientId("a")).toBe(true);
    expect(isValidClientId("🎉".repeat(64))).toBe(true);
  });

  it("refuses 0 and 65 code points", () => {
    expect(isValidClientId("")).toBe(false);
    expect(isValidClientId("🎉".repeat(65))).toBe(false);
  });

  it("refuses a lone surrogate", () => {
    expect(isValidClientId("\ud800")).toBe(false);
  });
});

describe("codePointLength", () => {
  it("counts ASCII characters one each", () => {
    expect(codePointLength("hello")).toBe(5);
  });

  it("counts an astral emoji, two UTF-16 units, as one", () => {
    expect(codePointLength("🎉")).toBe(1);
    expect(codePointLength("a🎉b")).toBe(3);
  });

  it("counts a CJK character as one", () => {
    expect(codePointLength("技术")).toBe(2);
  });

  it("counts a combining mark as its own code point", () => {
    expect(codePointLength("e\u0301")).toBe(2);
  });

  it("counts each part of a joined emoji sequence", () => {
    expect(codePointLength("👩‍👩‍👧")).toBe(5);
  });

  it("counts a lone surrogate as one, wherever it stands", () => {
    expect(codePointLength("\ud800")).toBe(1);
    expect(codePointLength("\udc00\ud800")).toBe(2);
    expect(codePointLength("a\ud800")).toBe(2);
  });

  it("counts the empty string as zero", () => {
    expect(codePointLength("")).toBe(0);
  });
});

describe("isUserId", () => {
  it.each(["abcdefghijklmnop", "234567234567abcd"])("accepts %s: 16 base32 characters", (id) => {
    expect(isUserId(id)).toBe(true);
  });

  it.each([
    ["15 characters", "abcdefghijklmno"],
    ["17 characters", "abcdefghijklmnopq"],
    ["upper case", "ABCDEFGHIJKLMNOP"],
    ["a 1, outside base32", "abcdefghijklmno1"],
    ["a number", 1234567890123456],
    ["null", null],
  ])("refuses %s", (_, id) => {
    expect(isUserId(id)).toBe(false);
  });
});

describe("isStoredSeqPosition", () => {
  it.each([1, 2, Number.MAX_SAFE_INTEGER])("accepts %d", (seq) => {
    expect(isStoredSeqPosition(seq)).toBe(true);
  });

  it.each([0, -1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, "1", null])("refuses %j", (seq) => {
    expect(isStoredSeqPosition(seq)).toBe(false);
  });
});

describe("parseMentions", () => {
  it("keeps the list in its order", () => {
    const ids = ["bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa"];
    expect(parseMentions(ids)).toStrictEqual({ ok: true, value: ids });
  });

  it("echoes the frame's id in a refusal", () => {
    expect(parseMentions(["x"], "m1")).toMatchObject({ ok: false, code: "bad_request", id: "m1" });
  });

  it("echoes nothing without an id", () => {
    expect(parseMentions("x")).not.toHaveProperty("id");
  });
});

describe("normalizeEmoji", () => {
  it.each(["👍", "❤️", "👩🏽‍💻", "🇫🇷", "1️⃣", "🏴󠁧󠁢󠁥󠁮󠁧󠁿"])("keeps %s", (emoji) => {
    expect(normalizeEmoji(emoji)).toBe(emoji);
  });

  it.each([
    ["text", "ok"],
    ["two emoji", "👍👍"],
    ["a keycap's digit alone", "1"],
    ["a heart without its variation selector", "❤"],
    ["a lone surrogate", "\ud83d"],
    ["a long run of joiners", `👍${"\u200d".repeat(80)}`],
    ["a number", 1],
    ["undefined", undefined],
  ])("refuses %s", (_, emoji) => {
    expect(normalizeEmoji(emoji)).toBeNull();
  });
});
