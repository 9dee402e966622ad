import { describe, expect, it } from "vitest";
import {
  MAX_MENTIONS,
  MAX_SUGGESTIONS,
  type MentionCandidate,
  mentionedIds,
  mentionQueryAt,
  rankCandidates,
} from "../../client/ui/mention-complete.ts";

/** The query at the caret, marked `|` in the text. */
function queryIn(marked: string) {
  const caret = marked.indexOf("|");
  return mentionQueryAt(marked.replace("|", ""), caret);
}

function people(...names: string[]): MentionCandidate[] {
  return names.map((name, index) => ({ id: `u${index}`, name }));
}

function namesOf(candidates: readonly MentionCandidate[]): string[] {
  return candidates.map(({ name }) => name);
}

describe("mentionQueryAt", () => {
  it("finds the query right after an @ at the start", () => {
    expect(queryIn("@an|")).toEqual({ start: 0, end: 3, query: "an" });
  });

  it("finds an empty query right after the @", () => {
    expect(queryIn("hi @|")).toEqual({ start: 3, end: 4, query: "" });
  });

  it("finds a query after a space, a new line or an opening bracket", () => {
    expect(queryIn("thanks @bo|")?.query).toBe("bo");
    expect(queryIn("first\n@bo|")?.query).toBe("bo");
    expect(queryIn("(@bo|")?.query).toBe("bo");
    expect(queryIn("«@bo|")?.query).toBe("bo");
  });

  it("reads only up to the caret", () => {
    expect(queryIn("@an| later")).toEqual({ start: 0, end: 3, query: "an" });
    expect(queryIn("@ana|lima")?.query).toBe("ana");
  });

  it("takes letters of any script", () => {
    expect(queryIn("@技术|")?.query).toBe("技术");
    expect(queryIn("@José|")?.query).toBe("José");
  });

  it("finds nothing inside a word, as in an e-mail address", () => {
    expect(queryIn("ana@example|")).toBeNull();
  });

  it("finds nothing once a space follows the query", () => {
    expect(queryIn("@ana |")).toBeNull();
  });

  it("finds nothing without an @", () => {
    expect(queryIn("hello|")).toBeNull();
    expect(queryIn("|")).toBeNull();
  });

  it("finds nothing after a doubled @", () => {
    expect(queryIn("@@ana|")).toBeNull();
  });

  it("accepts a query as long as a name (32 characters) and no longer", () => {
    expect(queryIn(`@${"a".repeat(32)}|`)?.query).toHaveLength(32);
    expect(queryIn(`@${"a".repeat(33)}|`)).toBeNull();
  });

  it("counts the query's length in characters, not UTF-16 units", () => {
    expect(queryIn(`@${"😀".repeat(32)}|`)?.query).toBe("😀".repeat(32));
  });
});

describe("rankCandidates", () => {
  it("puts names that start with the query first, then word starts, then the rest", () => {
    const ranked = rankCandidates(people("Joana", "Bea Anders", "Anabel", "Lana"), "an");
    expect(namesOf(ranked)).toEqual(["Anabel", "Bea Anders", "Joana", "Lana"]);
  });

  it("ranks a later word's start before a match inside a word", () => {
    expect(namesOf(rankCandidates(people("Selima", "Ana Lima"), "lim"))).toEqual(["Ana Lima", "Selima"]);
  });

  it("ignores case", () => {
    expect(namesOf(rankCandidates(people("ANA", "bob"), "aN"))).toEqual(["ANA"]);
  });

  it("keeps the callers' order among equals", () => {
    expect(namesOf(rankCandidates(people("Bea", "Ben", "Bo"), "b"))).toEqual(["Bea", "Ben", "Bo"]);
  });

  it("leaves out names that do not match", () => {
    expect(rankCandidates(people("Ana", "Bob"), "zed")).toEqual([]);
  });

  it("suggests everyone, in order, for an empty query", () => {
    expect(namesOf(rankCandidates(people("Bob", "Ana"), ""))).toEqual(["Bob", "Ana"]);
  });

  it("suggests at most eight", () => {
    const many = people(...Array.from({ length: 12 }, (_, index) => `user${index}`));
    expect(rankCandidates(many, "user")).toHaveLength(MAX_SUGGESTIONS);
    expect(MAX_SUGGESTIONS).toBe(8);
  });

  it("lists each id once", () => {
    const twice = [
      { id: "a", name: "Ana" },
      { id: "a", name: "Ana" },
    ];
    expect(rankCandidates(twice, "a")).toEqual([{ id: "a", name: "Ana" }]);
  });

  it("keeps two people of one name apart", () => {
    const namesakes = [
      { id: "a", name: "Ana" },
      { id: "b", name: "Ana" },
    ];
    expect(rankCandidates(namesakes, "an").map(({ id }) => id)).toEqual(["a", "b"]);
  });
});

describe("mentionedIds", () => {
  const ana = { id: "ana-id", name: "Ana Lima" };
  const bo = { id: "bo-id", name: "Bo" };

  it("reports a mention whose @Name is still in the text", () => {
    expect(mentionedIds("hi @Ana Lima, welcome", [ana])).toEqual(["ana-id"]);
  });

  it("forgets a mention whose @Name was deleted or edited", () => {
    expect(mentionedIds("hi Ana Lima", [ana])).toEqual([]);
    expect(mentionedIds("hi @Ana Lim", [ana])).toEqual([]);
  });

  it("does not see a name inside a longer one", () => {
    expect(mentionedIds("ask @Bob", [bo])).toEqual([]);
    expect(mentionedIds("ask @Bo's friend", [bo])).toEqual(["bo-id"]);
  });

  it("does not see a mention glued to a word before it", () => {
    expect(mentionedIds("mail me@Bo", [bo])).toEqual([]);
    expect(mentionedIds("mail me@Bo or @Bo", [bo])).toEqual(["bo-id"]);
  });

  it("reports each id once, in the order accepted", () => {
    expect(mentionedIds("@Bo @Ana Lima @Bo", [bo, ana, bo])).toEqual(["bo-id", "ana-id"]);
  });

  it("reports at most twenty", () => {
    const accepted = Array.from({ length: 25 }, (_, index) => ({ id: `u${index}`, name: `user${index}` }));
    const text = accepted.map(({ name }) => `@${name}`).join(" ");
    expect(mentionedIds(text, accepted)).toEqual(accepted.slice(0, MAX_MENTIONS).map(({ id }) => id));
  });

  it("reports nothing when nobody was accepted", () => {
    expect(mentionedIds("@Bo", [])).toEqual([]);
  });
});
