import { describe, expect, it } from "vitest";
import { type Parsed, parseSearchRequest, type SearchRequest } from "../../protocol/http-params.ts";
import type { FrameRefusal } from "../../protocol/parse-client.ts";

/** The query string `?<query>` as a URL carries it. */
function search(query: string): Parsed<SearchRequest> {
  return parseSearchRequest(new URLSearchParams(query));
}

/** The request `?<query>` names; fails the test on a refusal. */
function requestOf(query: string): SearchRequest {
  const result = search(query);
  if (!result.ok) throw new Error(`expected a request, got ${result.code}: ${result.message}`);
  return result.value;
}

function refused(code: FrameRefusal["code"]): FrameRefusal {
  return { ok: false, code, message: expect.stringMatching(/\S/) };
}

const encoded = (q: string) => `q=${encodeURIComponent(q)}`;

describe("parseSearchRequest: the query", () => {
  it("asks for 20 hits from the newest when only q is given", () => {
    expect(requestOf("q=deploy")).toStrictEqual({ q: "deploy", limit: 20 });
  });

  it("trims q", () => {
    expect(requestOf(encoded("  deploy fail \n"))).toStrictEqual({ q: "deploy fail", limit: 20 });
  });

  it("reads a `+` in q as a space, as a form does", () => {
    expect(requestOf("q=deploy+fail")).toMatchObject({ q: "deploy fail" });
  });

  it.each([["东京"], ["🚀"], ['"deploy"'], ["depl*"], ["NEAR(a b)"], ["a OR b"], ["-x"]])(
    "keeps %s as text to find, never as query syntax",
    (q) => {
      expect(requestOf(encoded(q))).toStrictEqual({ q, limit: 20 });
    },
  );

  it("accepts a q of 200 code points, counting each emoji as one", () => {
    const q = "🎉".repeat(200);
    expect(requestOf(encoded(q))).toMatchObject({ q });
  });

  it("accepts 200 code points surrounded by spaces, which trimming removes", () => {
    const q = "技".repeat(200);
    expect(requestOf(encoded(`  ${q} `))).toMatchObject({ q });
  });

  it("refuses a q of 201 code points as too_large", () => {
    expect(search(encoded("🎉".repeat(201)))).toStrictEqual(refused("too_large"));
  });

  it("refuses a search without q", () => {
    expect(search("")).toStrictEqual(refused("bad_request"));
    expect(search("limit=5")).toStrictEqual(refused("bad_request"));
  });

  it("refuses q given twice, even the same twice", () => {
    expect(search("q=deploy&q=fail")).toStrictEqual(refused("bad_request"));
    expect(search("q=deploy&q=deploy")).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["empty", "q="],
    ["spaces", "q=%20%20%20"],
    ["a tab and a newline", "q=%09%0A"],
    ["ideographic and no-break spaces", "q=%E3%80%80%C2%A0"],
  ])("refuses a q that is %s", (_, query) => {
    expect(search(query)).toStrictEqual(refused("bad_request"));
  });
});

describe("parseSearchRequest: the page", () => {
  it("keeps `before`, for the page after a page's last hit", () => {
    expect(requestOf("q=deploy&before=12")).toStrictEqual({ q: "deploy", before: 12, limit: 20 });
  });

  it("accepts a `before` of 0 and the largest safe integer", () => {
    expect(requestOf("q=deploy&before=0")).toMatchObject({ before: 0 });
    expect(requestOf(`q=deploy&before=${Number.MAX_SAFE_INTEGER}`)).toMatchObject({
      before: Number.MAX_SAFE_INTEGER,
    });
  });

  it.each([1, 50])("accepts a limit of %i", (limit) => {
    expect(requestOf(`q=deploy&limit=${limit}`)).toStrictEqual({ q: "deploy", limit });
  });

  it("keeps `before` and `limit` together", () => {
    expect(requestOf("q=deploy&before=88&limit=2")).toStrictEqual({ q: "deploy", before: 88, limit: 2 });
  });

  it.each([
    ["negative", "before=-1"],
    ["fractional", "before=1.5"],
    ["in exponent notation", "before=1e3"],
    ["signed", "before=%2B3"],
    ["a word", "before=last"],
    ["empty", "before="],
    ["beyond the safe integers", "before=9007199254740993"],
    ["given twice", "before=3&before=4"],
  ])("refuses a `before` that is %s", (_, query) => {
    expect(search(`q=deploy&${query}`)).toStrictEqual(refused("bad_request"));
  });

  it.each([
    ["0", "limit=0"],
    ["51, one over the page maximum", "limit=51"],
    ["100, a history page's maximum", "limit=100"],
    ["negative", "limit=-5"],
    ["fractional", "limit=2.5"],
    ["a word", "limit=all"],
    ["empty", "limit="],
    ["given twice", "limit=5&limit=5"],
  ])("refuses a limit that is %s", (_, query) => {
    expect(search(`q=deploy&${query}`)).toStrictEqual(refused("bad_request"));
  });
});
