/**
 * The contract's rules for the values inside client frames (docs/protocol.md):
 * how text is counted, and what a client id, a `ref`, a seq, a display name,
 * a list of mentions, a reaction's emoji and a search query must be. Restated on their own,
 * importing nothing from protocol/, for test/unit/support/client-frame-contract.ts.
 */

export const MAX_TEXT_CODE_POINTS = 4000;
export const MAX_NAME_CODE_POINTS = 32;
export const MAX_ID_CODE_POINTS = 64;
export const MAX_REF_CODE_POINTS = 64;
export const MAX_MENTIONS = 20;
export const MAX_QUERY_CODE_POINTS = 200;

/** A lone surrogate: the `u` flag matches a well-formed pair as one code point, so only halves match. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Control characters (C0, DEL, C1), line and paragraph separators,
 * unassigned code points, and format characters (bidi embeddings,
 * overrides and isolates, zero-width spaces) other than the zero-width
 * non-joiner and joiner, which a name may hold.
 */
const NAME_FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\p{Cn}]/u;
const FORMAT = /\p{Cf}/gu;
const ZERO_WIDTH_JOINERS: readonly string[] = ["\u200C", "\u200D"];
/** The contract's own words for a reaction: exactly one emoji of Unicode's recommended set. */
const ONE_RGI_EMOJI = /^\p{RGI_Emoji}$/v;
/** A user id: 16 base32 characters, in the lower-case alphabet the room writes them in. */
const USER_ID = /^[a-z2-7]{16}$/;

const encoder = new TextEncoder();

/** Code points in `text`; a lone surrogate counts as one. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Bytes of `text` once sent as UTF-8, where a lone surrogate becomes U+FFFD. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** A display name as the contract keeps it (trimmed, NFC), or null when it is not one. */
export function displayName(raw: string): string | null {
  if (!isWellFormedText(raw)) return null;
  const name = raw.trim().normalize("NFC");
  const length = codePoints(name);
  if (length < 1 || length > MAX_NAME_CODE_POINTS || NAME_FORBIDDEN.test(name)) return null;
  const formats = name.match(FORMAT) ?? [];
  return formats.every((character) => ZERO_WIDTH_JOINERS.includes(character)) ? name : null;
}

export function isRef(ref: unknown): ref is string {
  if (typeof ref !== "string" || !isWellFormedText(ref)) return false;
  const length = codePoints(ref);
  return length >= 1 && length <= MAX_REF_CODE_POINTS;
}

export function isClientId(id: unknown): id is string {
  if (typeof id !== "string" || !isWellFormedText(id)) return false;
  const length = codePoints(id);
  return length >= 1 && length <= MAX_ID_CODE_POINTS;
}

/** A seq as a client may name one: a non-negative integer that a double holds exactly. */
export function isSeqPosition(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER;
}

/** A stored message's seq, as `target` and `replyTo` name one: an integer of 1 or more. */
export function isMessageSeq(value: unknown): value is number {
  return isSeqPosition(value) && value >= 1;
}

/** What is wrong with `mentions`, or null: an array of at most 20 user ids, without repeats. */
export function mentionsFault(mentions: unknown): string | null {
  if (!Array.isArray(mentions)) return "mentions is not an array";
  if (mentions.length > MAX_MENTIONS) return "more than 20 mentions";
  if (!mentions.every(isUserId)) return "a mention is not a user id";
  return new Set(mentions).size === mentions.length ? null : "a user is mentioned twice";
}

export function isMentionList(mentions: unknown): mentions is string[] {
  return mentionsFault(mentions) === null;
}

export function isUserId(value: unknown): value is string {
  return typeof value === "string" && USER_ID.test(value);
}

/** A reaction's emoji as the contract keeps it (NFC), when it is exactly one RGI emoji; otherwise null. */
export function oneEmoji(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const emoji = value.normalize("NFC");
  return ONE_RGI_EMOJI.test(emoji) ? emoji : null;
}

/**
 * A search query as the contract keeps it (trimmed, 1 to 200 code points of
 * well-formed text, every character of it text to find), or its refusal:
 * `too_large` past 200 code points, `bad_request` for anything else.
 */
export function searchQuery(
  q: unknown,
): { ok: true; value: string } | { ok: false; code: "bad_request" | "too_large" } {
  if (typeof q !== "string" || !isWellFormedText(q)) return { ok: false, code: "bad_request" };
  const trimmed = q.trim();
  if (trimmed === "") return { ok: false, code: "bad_request" };
  if (codePoints(trimmed) > MAX_QUERY_CODE_POINTS) return { ok: false, code: "too_large" };
  return { ok: true, value: trimmed };
}
