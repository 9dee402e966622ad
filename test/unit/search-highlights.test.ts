import { describe, expect, it } from "vitest";
import { matchedRuns } from "../../client/ui/search-panel.ts";

/** The runs as text, with what matched in [brackets]. */
function marked(text: string, highlights: [number, number][]): string {
  return matchedRuns(text, highlights)
    .map((run) => (run.match ? `[${run.text}]` : run.text))
    .join("");
}

describe("matchedRuns", () => {
  it("marks the ranges a search matched", () => {
    expect(marked("deploy the app", [[0, 6]])).toBe("[deploy] the app");
    expect(
      marked("a cat and a cat", [
        [2, 5],
        [12, 15],
      ]),
    ).toBe("a [cat] and a [cat]");
  });

  it("counts in code points, so emoji and characters beyond the BMP are not split", () => {
    expect(marked("launch 🚀 today", [[7, 8]])).toBe("launch [🚀] today");
    expect(marked("𠮷野家で東京", [[4, 6]])).toBe("𠮷野家で[東京]");
  });

  it("marks a whole text and an empty one", () => {
    expect(marked("东京", [[0, 2]])).toBe("[东京]");
    expect(matchedRuns("", [])).toEqual([]);
  });

  it("takes ranges in order, and never repeats or loses a character", () => {
    expect(
      marked("abcdef", [
        [3, 5],
        [0, 2],
      ]),
    ).toBe("[ab]c[de]f");
    expect(
      marked("abcdef", [
        [0, 3],
        [2, 5],
      ]),
    ).toBe("[abc][de]f");
    expect(marked("abc", [[1, 10]])).toBe("a[bc]");
    expect(marked("abc", [[5, 8]])).toBe("abc");
  });

  it("leaves a text without highlights as one plain run", () => {
    expect(matchedRuns("nothing matched", [])).toEqual([{ text: "nothing matched", match: false }]);
  });
});
