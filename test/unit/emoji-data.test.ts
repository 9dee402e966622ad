import { describe, expect, it } from "vitest";
import { EMOJI, EMOJI_GROUPS, QUICK_REACTIONS, SEARCH_LIMIT, searchEmoji } from "../../client/ui/emoji-data.ts";

/** One RGI emoji and nothing else: a sequence every platform's emoji font draws as a single glyph. */
const ONE_RGI_EMOJI = /^\p{RGI_Emoji}$/v;

function glyphsOf(query: string, limit?: number): string[] {
  return searchEmoji(query, limit).map(({ emoji }) => emoji);
}

describe("the emoji set", () => {
  it("is a curated set of between 120 and 200", () => {
    expect(EMOJI.length).toBeGreaterThanOrEqual(120);
    expect(EMOJI.length).toBeLessThanOrEqual(200);
  });

  it.each(EMOJI.map((entry) => [entry.name, entry.emoji]))("%s (%s) is exactly one RGI emoji", (_, emoji) => {
    expect(emoji).toMatch(ONE_RGI_EMOJI);
  });

  it("spells text-default symbols with their emoji variation selector", () => {
    const heart = EMOJI.find(({ name }) => name === "red heart");
    expect(heart?.emoji).toBe("\u2764\uFE0F");
  });

  it("gives every emoji a distinct name", () => {
    const names = EMOJI.map(({ name }) => name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("lists every emoji once", () => {
    const glyphs = EMOJI.map(({ emoji }) => emoji);
    expect(new Set(glyphs).size).toBe(glyphs.length);
  });

  it("writes keywords as lower-case single words", () => {
    for (const { keywords } of EMOJI) {
      expect(keywords.length).toBeGreaterThan(0);
      for (const keyword of keywords) expect(keyword).toMatch(/^[^\sA-Z]+$/);
    }
  });

  it("puts every emoji in a named group", () => {
    for (const group of EMOJI_GROUPS) {
      expect(group.name).not.toBe("");
      expect(group.emoji.length).toBeGreaterThan(0);
    }
    expect(EMOJI_GROUPS.flatMap((group) => group.emoji)).toEqual(EMOJI);
  });

  it("offers six quick reactions, each one of the set", () => {
    expect(QUICK_REACTIONS.map(({ emoji }) => emoji)).toEqual(["👍", "❤️", "😂", "🎉", "😮", "😢"]);
    for (const reaction of QUICK_REACTIONS) expect(EMOJI).toContain(reaction);
  });
});

describe("searchEmoji", () => {
  it("finds an emoji by a word of its name", () => {
    expect(glyphsOf("thumbs")).toEqual(["👍", "👎"]);
  });

  it("finds an emoji by a keyword", () => {
    expect(glyphsOf("tada")).toEqual(["🎉"]);
    expect(glyphsOf("lol")).toContain("😂");
  });

  it("ignores case and surrounding spaces", () => {
    expect(glyphsOf("  THUMBS Up ")).toEqual(["👍"]);
    expect(glyphsOf("ok hand")).toEqual(["👌"]);
  });

  it("needs every word of the query to match", () => {
    expect(glyphsOf("face joy")).toEqual(["😂"]);
    expect(glyphsOf("thumbs sideways")).toEqual([]);
  });

  it("matches the start of a word", () => {
    expect(glyphsOf("umbre")).toEqual(["🏖️"]);
  });

  it("ranks a name that starts with the query before words that do", () => {
    const found = glyphsOf("heart");
    expect(found.slice(0, 2)).toEqual(["❣️", "💘"]);
    expect(found).toContain("😍");
  });

  it("ranks word-start matches before matches inside a word", () => {
    const found = glyphsOf("ok");
    const inside = found.indexOf("😉"); // "joke"
    expect(inside).toBeGreaterThan(found.indexOf("👌"));
    expect(inside).toBeGreaterThan(found.indexOf("👍"));
    expect(inside).toBeGreaterThan(found.indexOf("🆗"));
  });

  it("keeps the picker's order among equal matches", () => {
    const found = searchEmoji("cry");
    const order = found.map((entry) => EMOJI.indexOf(entry));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("finds an emoji pasted into the search first", () => {
    expect(glyphsOf("❤️")[0]).toBe("❤️");
  });

  it("matches nothing for a blank query", () => {
    expect(searchEmoji("")).toEqual([]);
    expect(searchEmoji("   ")).toEqual([]);
  });

  it("says nothing matches rather than guessing", () => {
    expect(searchEmoji("xyzzy")).toEqual([]);
  });

  it("returns at most the limit", () => {
    expect(searchEmoji("face", 3)).toHaveLength(3);
    expect(searchEmoji("e").length).toBe(SEARCH_LIMIT);
    expect(searchEmoji("face", 0)).toEqual([]);
  });
});
