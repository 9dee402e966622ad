/**
 * fast-check arbitraries of the client frames that name a stored message or
 * a user: `edit`, `delete` and `react`, and sends with `replyTo` or
 * `mentions`, valid and in every broken shape, with the values on the edges
 * of the contract's rules (seqs of 0 and 1.5, 21 mentions, two emoji, keycaps
 * without their variation selector). They sit apart from
 * test/unit/support/client-frame-arbitraries.ts because what a room answers
 * to them depends on what it holds, which the Room's property model does not
 * follow; the parser's property tests use both.
 */
import fc from "fast-check";
import {
  clientId,
  extraKey,
  FIELD_VALUES,
  messageText,
  objectText,
  oneFieldChanged,
  seq,
  shapedEntries,
  trickyString,
  type ValidFrame,
  validClientFrame,
  wildValue,
} from "./client-frame-arbitraries.ts";
import { SEARCH_AND_READ_VALUES, validSearchOrReadFrame } from "./search-frame-arbitraries.ts";

const BASE32 = [..."abcdefghijklmnopqrstuvwxyz234567"];

/** User ids: a small pool, so that lists repeat some, and any other. */
export const userId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "234567abcdefghij", "zzzzzzzzzzzzzzz7"),
  fc.string({ unit: fc.constantFrom(...BASE32), minLength: 16, maxLength: 16 }),
);

/** Values that are not user ids, several of them one character away from one. */
const NOT_A_USER_ID: readonly unknown[] = [
  "",
  "abcdefghijklmno",
  "abcdefghijklmnopq",
  "ABCDEFGHIJKLMNOP",
  "Abcdefghijklmnop",
  "abcdefghijklmno0",
  "abcdefghijklmno1",
  "abcdefghijklmno8",
  "abcdefghijklmno9",
  " abcdefghijklmno",
  "abcdefghijklmnoé",
  "abcdefghijklmno\u0000",
  7,
  null,
  ["abcdefghijklmnop"],
  { id: "abcdefghijklmnop" },
];

/** A list of mentions the contract accepts: at most 20 distinct user ids. */
export const validMentions: fc.Arbitrary<string[]> = fc.uniqueArray(userId, { maxLength: 20 });

/** Any value for `mentions`: valid lists, and lists one rule away from valid. */
const mentionsValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validMentions },
  { weight: 1, arbitrary: fc.uniqueArray(userId, { minLength: 21, maxLength: 24 }) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(userId, { minLength: 1, maxLength: 20 })
      .chain((ids) => fc.tuple(fc.constant(ids), fc.nat({ max: ids.length - 1 })))
      .map(([ids, at]) => [...ids.slice(0, at), ids[at], ...ids.slice(at)]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.uniqueArray(userId, { maxLength: 19 }), fc.constantFrom(...NOT_A_USER_ID), fc.nat())
      .map(([ids, bad, at]) => {
        const where = at % (ids.length + 1);
        return [...ids.slice(0, where), bad, ...ids.slice(where)];
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom("abcdefghijklmnop", null, 0, {}, { 0: "abcdefghijklmnop" }, true) },
  { weight: 1, arbitrary: wildValue },
);

/**
 * Emoji the contract names or implies as one emoji: plain ones, one with its
 * variation selector, skin tones, ZWJ sequences, flags, a subdivision flag's
 * tag sequence and keycaps.
 */
export const ONE_EMOJI: readonly string[] = [
  "👍",
  "🎉",
  "❤️",
  "©️",
  "👍🏽",
  "👋🏿",
  "👩🏽‍💻",
  "👨‍👩‍👧‍👦",
  "🏳️‍🌈",
  "👩🏽‍❤️‍💋‍👨🏿",
  "🇫🇷",
  "🇯🇵",
  "🏴󠁧󠁢󠁥󠁮󠁧󠁿",
  "1️⃣",
  "#️⃣",
  "*️⃣",
];

/**
 * Text that is not exactly one emoji: words, two emoji, emoji with spaces, a
 * keycap's digit alone or without its variation selector, a heart without
 * it, a lone regional indicator, an unassigned flag, a dangling joiner.
 */
export const NOT_ONE_EMOJI: readonly string[] = [
  "",
  "ok",
  ":+1:",
  "👍👍",
  "❤️❤️",
  "🇫🇷🇯🇵",
  " 👍",
  "👍 ",
  "1",
  "#",
  "1⃣",
  "❤",
  "🇫",
  "🇦🇦",
  "👨‍",
  "‍👨",
  "👍\uFE0F",
  "👍\uFE0E",
  "🏴󠁧󠁢",
  "e\u0301",
  "\ud83d",
  "\udc4d",
];

/** The pieces emoji are made of, and a few that are not, for sequences built at random. */
const EMOJI_PIECES: readonly string[] = [
  "👍",
  "👩",
  "👨",
  "👧",
  "💻",
  "❤",
  "💋",
  "🏳",
  "🌈",
  "\uFE0F",
  "\uFE0E",
  "\u200D",
  "🏽",
  "🏿",
  "🇫",
  "🇷",
  "🇦",
  "1",
  "#",
  "\u20E3",
  "🏴",
  "\u{E0067}",
  "\u{E0062}",
  "\u{E0065}",
  "\u{E006E}",
  "\u{E007F}",
  "e",
  "\u0301",
];

/** Any value for `emoji`; the contract decides which are one emoji. */
const emojiValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ONE_EMOJI) },
  { weight: 1, arbitrary: fc.constantFrom(...ONE_EMOJI).map((emoji) => emoji.normalize("NFD")) },
  { weight: 2, arbitrary: fc.constantFrom(...NOT_ONE_EMOJI) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...EMOJI_PIECES), minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: trickyString({ maxLength: 4 }) },
  { weight: 1, arbitrary: wildValue },
);

/** The seq of a stored message: 1 or more. */
const messageSeq: fc.Arbitrary<number> = seq.filter((value) => value >= 1);

/** Any value for `target` or `replyTo`, the contract's edges among them. */
const targetValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: messageSeq },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 1.5, "1", "7", null, true, [1], { seq: 1 }, 2 ** 53, 1e300) },
  { weight: 1, arbitrary: wildValue },
);

const onValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom("true", "false", 1, 0, null, [true]) },
  { weight: 1, arbitrary: wildValue },
);

const FIELD_AND_EVENT_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  ...FIELD_VALUES,
  replyTo: targetValue,
  target: targetValue,
  mentions: mentionsValue,
  emoji: emojiValue,
  on: onValue,
};

/** Every client frame's fields, optional ones included. */
const ALL_FRAME_FIELDS = {
  send: ["id", "text", "replyTo", "mentions"],
  edit: ["id", "target", "text", "mentions"],
  delete: ["id", "target"],
  react: ["id", "target", "emoji", "on"],
  typing: [],
  history: ["ref", "before", "after", "around", "limit"],
  search: ["ref", "q", "before", "limit"],
  read: ["seq"],
  rename: ["name"],
} as const;

/** Extra keys, among them the fields of the other frame types. */
const anyExtraKey: fc.Arbitrary<string> = fc.oneof(
  extraKey,
  fc.constantFrom(...new Set(Object.values(ALL_FRAME_FIELDS).flat()), "seq", "user", "ts", "unchanged"),
);

/** Mentions when the frame has them, as fields to spread in. */
const optionalMentions = fc
  .option(validMentions, { nil: undefined })
  .map((mentions) => (mentions === undefined ? {} : { mentions }));

/** The contract's default frame limit, which a valid frame stays within. */
const DEFAULT_MAX_FRAME_BYTES = 16_384;

const encoder = new TextEncoder();

/** Valid frames that name a stored message (`target`, `replyTo`) or users (`mentions`), within the default frame limit. */
export const validReferringFrame: fc.Arbitrary<ValidFrame> = fc
  .oneof(
    fc
      .tuple(clientId, messageText, fc.option(messageSeq, { nil: undefined }), optionalMentions)
      .map(([id, text, replyTo, mentions]): ValidFrame => {
        const references = { ...(replyTo === undefined ? {} : { replyTo }), ...mentions };
        return {
          wire: { type: "send", id, text, ...references },
          expected: { type: "send", id, text: text.trim(), ...references },
        };
      }),
    fc.tuple(clientId, messageSeq, messageText, optionalMentions).map(
      ([id, target, text, mentions]): ValidFrame => ({
        wire: { type: "edit", id, target, text, ...mentions },
        expected: { type: "edit", id, target, text: text.trim(), ...mentions },
      }),
    ),
    fc.tuple(clientId, messageSeq).map(
      ([id, target]): ValidFrame => ({
        wire: { type: "delete", id, target },
        expected: { type: "delete", id, target },
      }),
    ),
    fc.tuple(clientId, messageSeq, fc.constantFrom(...ONE_EMOJI), fc.boolean(), fc.boolean()).map(
      ([id, target, emoji, on, decomposed]): ValidFrame => ({
        wire: { type: "react", id, target, emoji: decomposed ? emoji.normalize("NFD") : emoji, on },
        expected: { type: "react", id, target, emoji: emoji.normalize("NFC"), on },
      }),
    ),
  )
  .filter(({ wire }) => encoder.encode(JSON.stringify(wire)).length <= DEFAULT_MAX_FRAME_BYTES);

/** Every valid client frame, of every type. */
export const anyValidClientFrame: fc.Arbitrary<ValidFrame> = fc.oneof(
  validClientFrame,
  validReferringFrame,
  validSearchOrReadFrame,
);

/** A frame shaped like any of the nine client frames, with random field values and random extra keys. */
export const shapedAnyFrameText: fc.Arbitrary<string> = fc
  .constantFrom<keyof typeof ALL_FRAME_FIELDS>(
    "send",
    "edit",
    "delete",
    "react",
    "typing",
    "history",
    "search",
    "read",
    "rename",
  )
  .chain((type) => {
    const values = type === "search" || type === "read" ? SEARCH_AND_READ_VALUES : FIELD_AND_EVENT_VALUES;
    return shapedEntries(type, ALL_FRAME_FIELDS[type], values, anyExtraKey);
  })
  .map(objectText);

/** A valid frame that names a message or users, with one thing changed (see `oneFieldChanged`). */
export const referringFrameOneChangeText: fc.Arbitrary<string> = oneFieldChanged(
  validReferringFrame,
  FIELD_AND_EVENT_VALUES,
  anyExtraKey,
);
