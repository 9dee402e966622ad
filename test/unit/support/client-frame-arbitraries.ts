/**
 * fast-check arbitraries of client frames, shared by the parser's property
 * tests in Node and the Room's property tests inside workerd. Raw frames are
 * built as JSON text field by field, so that keys such as `__proto__` stay
 * ordinary keys and a key may even repeat, as it can on the wire.
 */
import fc from "fast-check";
import type { ContractFrame } from "./client-frame-contract.ts";
import { codePoints, MAX_NAME_CODE_POINTS } from "./client-value-contract.ts";

const encoder = new TextEncoder();

/** Characters that stress the text rules: whitespace, controls, bidi, combining marks, CJK, emoji, lone surrogates. */
const TRICKY_CHARACTERS = [
  " ",
  "\t",
  "\n",
  "\r",
  "\u00a0",
  "\u2028",
  "\u3000",
  "\ufeff",
  "\u0000",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u202e",
  "\u2066",
  "\u200f",
  "\u0301",
  "e\u0301",
  "\u0958",
  "技",
  "Ω",
  "🎉",
  "👩‍👩‍👧",
  "\u{10ffff}",
  '"',
  "\\",
  "{",
];

const trickyCharacter: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_CHARACTERS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)) },
);

/** Any text, lone surrogates included. */
export function trickyString(constraints: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({ unit: trickyCharacter, ...constraints });
}

/** Up to three characters that trimming removes. */
export const whitespace = fc.string({
  unit: fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u3000", "\ufeff"),
  maxLength: 3,
});

/** Ids from a small pool, so that a sequence of sends repeats some, plus any valid id. */
export const clientId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("a", "b", "m-1", "🎉", "x".repeat(64), "🎉".repeat(64)) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 64 }) },
);

/** Message text with something left after trimming, at most 4000 code points once trimmed. */
export const messageText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(whitespace, trickyString({ minLength: 1, maxLength: 40 }), whitespace)
      .map(([lead, core, trail]) => `${lead}${core}${trail}`)
      .filter((text) => text.trim() !== "" && text.isWellFormed()),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("🎉".repeat(4000), `${"a".repeat(3999)}技`, ` ${"x".repeat(4000)}\n`),
  },
);

/** A display name the contract accepts: at most 32 code points once trimmed and NFC-normalised, no controls. */
const displayNameText: fc.Arbitrary<string> = fc
  .tuple(
    whitespace,
    fc.string({
      unit: fc.oneof(
        fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
        fc.constantFrom("技", "Ω", "🎉", "e\u0301", "ß", "\u00a0"),
      ),
      minLength: 1,
      maxLength: MAX_NAME_CODE_POINTS,
    }),
    whitespace,
  )
  .map(([lead, core, trail]) => `${lead}${core}${trail}`)
  .filter((name) => {
    const kept = name.trim().normalize("NFC");
    return kept !== "" && codePoints(kept) <= MAX_NAME_CODE_POINTS;
  });

export const seq: fc.Arbitrary<number> = fc.oneof(fc.nat({ max: 30 }), fc.maxSafeNat());

/** A frame the contract accepts, with the frame the room must see once trimming and normalisation are applied. */
export interface ValidFrame {
  wire: Record<string, unknown>;
  expected: ContractFrame;
}

/** A send that names no other message and no user: an `id` and a `text`. */
export const validSendFrame: fc.Arbitrary<ValidFrame> = fc.record({ id: clientId, text: messageText }).map(
  ({ id, text }): ValidFrame => ({
    wire: { type: "send", id, text },
    expected: { type: "send", id, text: text.trim() },
  }),
);

/**
 * Valid frames whose answer needs no message or user the room already holds:
 * sends without `replyTo` or `mentions`, typing, history requests and renames.
 * test/unit/support/event-frame-arbitraries.ts makes the frames that name a
 * stored message or a user.
 */
export const validClientFrame: fc.Arbitrary<ValidFrame> = fc.oneof(
  validSendFrame,
  fc.constant<ValidFrame>({ wire: { type: "typing" }, expected: { type: "typing" } }),
  fc
    .tuple(
      fc.oneof(
        fc.constant({}),
        seq.map((before) => ({ before })),
        seq.map((after) => ({ after })),
        seq.map((around) => ({ around })),
      ),
      fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
      fc.option(clientId, { nil: undefined }),
    )
    .map(([page, limit, ref]): ValidFrame => {
      const fields = { ...(ref === undefined ? {} : { ref }), ...page, ...(limit === undefined ? {} : { limit }) };
      return { wire: { type: "history", ...fields }, expected: { type: "history", ...fields } };
    }),
  displayNameText.map(
    (name): ValidFrame => ({
      wire: { type: "rename", name },
      expected: { type: "rename", name: name.trim().normalize("NFC") },
    }),
  ),
);

/** Values of every JSON kind, including the numbers and strings that sit on the contract's edges. */
export const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, "", " ", 0, -0, 1, -1, 0.5, 1.5, 100, 101, 2 ** 53, -(2 ** 53), 1e300, [], {}),
  fc.integer(),
  fc.double(),
  trickyString({ maxLength: 70 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Plausible values for a field, with wild ones mixed in. */
export const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof(clientId, trickyString({ maxLength: 66 }), wildValue),
  text: fc.oneof(
    messageText,
    trickyString({ maxLength: 20 }),
    fc.constantFrom("🎉".repeat(4001), ` ${"技".repeat(4001)}`, `${"a".repeat(4000)}\ud800`),
    wildValue,
  ),
  ref: fc.oneof(clientId, trickyString({ maxLength: 66 }), wildValue),
  before: fc.oneof(seq, wildValue),
  after: fc.oneof(seq, wildValue),
  around: fc.oneof(seq, wildValue),
  limit: fc.oneof(fc.integer({ min: -1, max: 102 }), wildValue),
  name: fc.oneof(displayNameText, trickyString({ maxLength: 40 }), wildValue),
};

const FRAME_FIELDS = {
  send: ["id", "text"],
  typing: [],
  history: ["ref", "before", "after", "around", "limit"],
  rename: ["name"],
} as const;

export const extraKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "extra",
  "Type",
  "ID",
  "",
);

/**
 * Entries of a frame of `type` with these `fields`: each present or not, with
 * any of its `values`, sometimes with keys from `extraKeys`.
 */
export function shapedEntries(
  type: string,
  fields: readonly string[],
  values: Record<string, fc.Arbitrary<unknown>>,
  extraKeys: fc.Arbitrary<string>,
): fc.Arbitrary<[string, unknown][]> {
  const present = fields.map((field) =>
    fc.option(fc.tuple(fc.constant(field), values[field] ?? wildValue), { nil: undefined, freq: 4 }),
  );
  return fc
    .tuple(fc.tuple(...present), fc.array(fc.tuple(extraKeys, wildValue), { maxLength: 2 }), fc.nat({ max: 5 }))
    .map(([given, extras, extrasAt]) => {
      const entries: [string, unknown][] = [["type", type]];
      for (const entry of given) if (entry !== undefined) entries.push(entry);
      // Extra keys rarely, so that most shaped frames reach the field checks.
      if (extrasAt === 0) entries.push(...extras);
      return entries;
    });
}

/** JSON object text with these entries in this order; repeated keys stay repeated. */
export function objectText(entries: readonly (readonly [string, unknown])[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(",")}}`;
}

/**
 * One of `frames` with one thing changed: a field removed, a field given
 * another of its `values`, or a key of `extraKeys` added. So each rule is met
 * on its own, with every other field valid.
 */
export function oneFieldChanged(
  frames: fc.Arbitrary<ValidFrame>,
  values: Record<string, fc.Arbitrary<unknown>>,
  extraKeys: fc.Arbitrary<string>,
): fc.Arbitrary<string> {
  return fc
    .tuple(frames, fc.nat(), fc.constantFrom("remove", "replace", "add"))
    .chain(([{ wire }, pick, change]) => {
      const entries = Object.entries(wire);
      const fieldAt = 1 + (pick % (entries.length - 1));
      const [key = "type"] = entries[fieldAt] ?? [];
      if (change === "remove") return fc.constant(entries.filter((_, at) => at !== fieldAt));
      if (change === "add") return fc.tuple(extraKeys, wildValue).map((extra) => [...entries, extra]);
      return (values[key] ?? wildValue).map((value) =>
        entries.map(([name, old]): [string, unknown] => [name, name === key ? value : old]),
      );
    })
    .map(objectText);
}

/**
 * A frame shaped like a send without `replyTo` or `mentions`, a typing, a
 * history request or a rename, with random field values and random extra keys.
 */
export const shapedFrameText: fc.Arbitrary<string> = fc
  .constantFrom<keyof typeof FRAME_FIELDS>("send", "typing", "history", "rename")
  .chain((type) => shapedEntries(type, FRAME_FIELDS[type], FIELD_VALUES, extraKey))
  .map(objectText);

export const binaryFrame: fc.Arbitrary<ArrayBuffer> = fc
  .uint8Array({ maxLength: 64 })
  .map((bytes) => bytes.slice().buffer);

/** Text that is almost never a client frame: random text, JSON of any kind, objects with random keys. */
export const notAFrameText: fc.Arbitrary<string> = fc.oneof(
  trickyString({ maxLength: 30 }),
  fc.json({ maxDepth: 2 }),
  fc.constantFrom("", "null", "[]", "0", '"send"', "{", '{"type":"send"', '{"type":"SEND"}', '{"type":null}', "{}"),
  fc.dictionary(trickyString({ maxLength: 6 }), wildValue, { maxKeys: 3 }).map((value) => JSON.stringify(value)),
);

/**
 * A `send` frame of exactly `bytes` bytes of UTF-8 whose text, once trimmed,
 * is `core`: spaces pad the text, so a frame can sit right on the byte limit.
 */
export function sendFrameOfBytes(bytes: number, id: string, core: string): string {
  const padding = bytes - encoder.encode(sendText(id, core)).length;
  if (padding < 0) throw new Error(`a send with this id and text takes more than ${bytes} bytes`);
  return sendText(id, `${core}${" ".repeat(padding)}`);
}

function sendText(id: string, text: string): string {
  return objectText([
    ["type", "send"],
    ["id", id],
    ["text", text],
  ]);
}

const NEAR_LIMIT_ID = "near-limit";
/** Bytes of a send with the id NEAR_LIMIT_ID and empty text. */
const SEND_ENVELOPE_BYTES = encoder.encode(sendText(NEAR_LIMIT_ID, "")).length;

/** Frames on both sides of a byte limit, filled with one-, two-, three- and four-byte characters. */
export function framesNearLimit(maxFrameBytes: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: -3, max: 3 }), fc.constantFrom("a", "é", "技", "🎉"), fc.boolean())
    .map(([delta, character, asSend]) => {
      const target = maxFrameBytes + delta;
      if (asSend) {
        // As many characters as fit under the text limit; spaces pad the rest of the frame.
        const room = Math.max(0, target - SEND_ENVELOPE_BYTES);
        const core = character.repeat(Math.min(4000, Math.floor(room / encoder.encode(character).length)));
        return sendFrameOfBytes(target, NEAR_LIMIT_ID, core);
      }
      const filler = "x".repeat(Math.max(0, target - 2));
      return `"${filler}"`;
    });
}
