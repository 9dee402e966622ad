/**
 * fast-check arbitraries of the client frames of search and read positions,
 * `search` and `read`, valid and in every broken shape, with the values on
 * the edges of their rules: queries of 200 and 201 code points, blank ones,
 * ones holding a lone surrogate or looking like query syntax, limits of 50
 * and 51, seqs beyond the safe integers. They sit apart from
 * test/unit/support/client-frame-arbitraries.ts because the Room's property
 * model does not follow what a room answers to them; the parser's property
 * tests use them.
 */
import fc from "fast-check";
import {
  clientId,
  extraKey,
  FIELD_VALUES,
  objectText,
  oneFieldChanged,
  seq,
  shapedEntries,
  trickyString,
  type ValidFrame,
  whitespace,
  wildValue,
} from "./client-frame-arbitraries.ts";
import { codePoints } from "./client-value-contract.ts";

const MAX_QUERY = 200;
const MAX_SEARCH_LIMIT = 50;

/** Queries that would be syntax to a full-text engine, which the contract says are text like any other. */
export const QUERY_SYNTAX: readonly string[] = [
  '"deploy failed"',
  "depl*",
  "-deploy",
  "NEAR(deploy fail)",
  "deploy OR fail",
  "deploy AND NOT fail",
  "text:deploy",
  "(deploy)",
  "^deploy",
  "'; DROP TABLE messages; --",
];

/** A query the contract accepts: something left after trimming, at most 200 code points once trimmed. */
export const searchQueryText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(whitespace, trickyString({ minLength: 1, maxLength: 30 }), whitespace)
      .map(([lead, core, trail]) => `${lead}${core}${trail}`)
      .filter((q) => q.trim() !== "" && q.isWellFormed() && codePoints(q.trim()) <= MAX_QUERY),
  },
  { weight: 2, arbitrary: fc.constantFrom(...QUERY_SYNTAX) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "🎉".repeat(MAX_QUERY),
      ` ${"技".repeat(MAX_QUERY)}\n`,
      "e\u0301".repeat(MAX_QUERY / 2),
      `${"a".repeat(MAX_QUERY - 1)}🎉`,
    ),
  },
);

/** A search the contract accepts, and the frame the room must see: its query trimmed. */
export const validSearchFrame: fc.Arbitrary<ValidFrame> = fc
  .tuple(
    clientId,
    searchQueryText,
    fc.option(seq, { nil: undefined }),
    fc.option(fc.integer({ min: 1, max: MAX_SEARCH_LIMIT }), { nil: undefined }),
  )
  .map(([ref, q, before, limit]): ValidFrame => {
    const page = { ...(before === undefined ? {} : { before }), ...(limit === undefined ? {} : { limit }) };
    return {
      wire: { type: "search", ref, q, ...page },
      expected: { type: "search", ref, q: q.trim(), ...page },
    };
  });

export const validReadFrame: fc.Arbitrary<ValidFrame> = seq.map(
  (position): ValidFrame => ({ wire: { type: "read", seq: position }, expected: { type: "read", seq: position } }),
);

export const validSearchOrReadFrame: fc.Arbitrary<ValidFrame> = fc.oneof(validSearchFrame, validReadFrame);

/** Plausible values for the fields of a search or a read, the edges of their rules among them. */
export const SEARCH_AND_READ_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  ...FIELD_VALUES,
  q: fc.oneof(
    { weight: 4, arbitrary: searchQueryText },
    { weight: 2, arbitrary: trickyString({ maxLength: 20 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        "   ",
        "\u3000\ufeff\n",
        "🎉".repeat(MAX_QUERY + 1),
        ` ${"技".repeat(MAX_QUERY + 1)} `,
        "e\u0301".repeat(MAX_QUERY / 2 + 1),
        "deploy\ud800",
        `${"a".repeat(MAX_QUERY)}\udfff`,
      ),
    },
    { weight: 1, arbitrary: wildValue },
  ),
  limit: fc.oneof(
    fc.integer({ min: -1, max: MAX_SEARCH_LIMIT + 2 }),
    fc.constantFrom(0, 1, MAX_SEARCH_LIMIT, MAX_SEARCH_LIMIT + 1, 100, 1.5, "20"),
    wildValue,
  ),
  seq: fc.oneof(seq, fc.constantFrom(-1, 1.5, "3", null, 2 ** 53, 1e300, [3]), wildValue),
};

const SEARCH_AND_READ_FIELDS = {
  search: ["ref", "q", "before", "limit"],
  read: ["seq"],
} as const;

/** Extra keys, among them the fields of the other frame types and each other's. */
const searchExtraKey: fc.Arbitrary<string> = fc.oneof(
  extraKey,
  fc.constantFrom("id", "text", "after", "around", "target", "name", "seq", "ref", "q", "hits", "highlights"),
);

/** A frame shaped like a search or a read, with random field values and random extra keys. */
export const shapedSearchOrReadText: fc.Arbitrary<string> = fc
  .constantFrom<keyof typeof SEARCH_AND_READ_FIELDS>("search", "read")
  .chain((type) => shapedEntries(type, SEARCH_AND_READ_FIELDS[type], SEARCH_AND_READ_VALUES, searchExtraKey))
  .map(objectText);

/** A valid search or read with one thing changed (see `oneFieldChanged`). */
export const searchOrReadOneChangeText: fc.Arbitrary<string> = oneFieldChanged(
  validSearchOrReadFrame,
  SEARCH_AND_READ_VALUES,
  searchExtraKey,
);
