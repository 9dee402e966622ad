/**
 * What a client sends, checked at the boundary: the contract's rules for
 * room names, display names, client ids and message text, and the parser
 * that turns a raw WebSocket frame into a typed frame or a typed refusal.
 * Every field is checked for real; nothing is cast. Lengths count Unicode
 * code points, never UTF-16 units. The HTTP API reuses these rules
 * (protocol/http-params.ts), so a rule is never stated twice.
 */
import {
  CLIENT_FRAME,
  type ClientFrame,
  type DeleteFrame,
  type EditFrame,
  ERROR_CODE,
  FRAME_LIMITS,
  type HistoryRequestFrame,
  type ReactFrame,
  type SearchFrame,
  type SendFrame,
} from "./frames.ts";
import {
  optionalReason,
  parseAudit,
  parseMint,
  parseModerate,
  parseRefOnly,
  parseRevoke,
  parseSettings,
} from "./parse-owners.ts";

export type TextRuleResult = { ok: true; value: string } | { ok: false; reason: "empty" | "too_long" | "malformed" };

/** A refusal of something a client sent, with the code its error frame or HTTP answer carries. */
export type FrameRefusal = {
  ok: false;
  code: typeof ERROR_CODE.badRequest | typeof ERROR_CODE.tooLarge | typeof ERROR_CODE.invalidName;
  message: string;
  /** The `id` of the refused `send`, `edit`, `delete` or `react`, when it had a valid one. */
  id?: string;
  /** The `ref` of the refused `history` or `search` request, when it had a valid one. */
  ref?: string;
};

export type ClientFrameResult = { ok: true; frame: ClientFrame } | FrameRefusal;

type Fields = Record<string, unknown>;

/**
 * A room name's characters: letters and digits of any script, each with the
 * combining marks that follow it (so हिन्दी, தமிழ், สวัสดี and the i + U+0307 of
 * a lower-cased İstanbul are names), and `-` or `_`. A mark never starts a
 * name or follows `-` or `_`; the length is counted apart, in code points.
 */
const ROOM_NAME = /^(?:[\p{L}\p{N}]\p{M}*|[_-])+$/u;
/**
 * C0 and C1 controls, the line and paragraph separators (control characters
 * in all but name), format characters (the bidirectional overrides and
 * isolates that let a name masquerade as another, zero-width spaces, soft
 * hyphens) and unassigned code points. The zero-width non-joiner and joiner
 * are format characters that scripts need (Persian, Indic conjuncts, emoji
 * sequences such as 👩‍💻), so they stay allowed.
 */
const NAME_FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\p{Cn}]|(?![\u200C\u200D])\p{Cf}/u;
/** A seq written in a URL: decimal digits only, no sign, no exponent. */
const SEQ_TEXT = /^\d{1,16}$/;
/** A user id, as the room makes them: 16 base32 characters (80 random bits). */
const USER_ID = /^[a-z2-7]{16}$/;
const PEER_ID = /^[a-z2-7]{8}$/;
/** Exactly one emoji of Unicode's recommended set: one glyph, skin tones, ZWJ sequences and flags included. */
const ONE_EMOJI = /^\p{RGI_Emoji}$/v;

/** Why a display name was refused. */
const DISPLAY_NAME_RULE = `\`name\` must be 1 to ${FRAME_LIMITS.maxNameLength} characters with no control characters`;

/**
 * An oversize frame up to this many times the limit is still read for the
 * `id` or `ref` to echo (a 4000-character text of escaped control characters can
 * exceed 16 KiB); a larger one is refused unread.
 */
const RECOVER_ID_FACTOR = 4;

const ALLOWED_KEYS: Record<ClientFrame["type"], ReadonlySet<string>> = {
  send: new Set(["type", "id", "text", "replyTo", "mentions"]),
  edit: new Set(["type", "id", "target", "text", "mentions"]),
  delete: new Set(["type", "id", "target", "reason"]),
  react: new Set(["type", "id", "target", "emoji", "on"]),
  typing: new Set(["type"]),
  history: new Set(["type", "ref", "before", "after", "around", "limit"]),
  search: new Set(["type", "ref", "q", "before", "limit"]),
  read: new Set(["type", "seq"]),
  rename: new Set(["type", "name"]),
  settings: new Set(["type", "id", "topic", "read", "write", "slowMode", "locked"]),
  moderate: new Set(["type", "id", "action", "user", "duration", "addressFor", "role", "reason"]),
  revoke: new Set(["type", "id", "key"]),
  mint: new Set(["type", "ref", "role", "expiresIn", "uses", "label"]),
  keys: new Set(["type", "ref"]),
  audit: new Set(["type", "ref", "before", "limit"]),
  members: new Set(["type", "ref"]),
  call: new Set(["type", "id", "action", "audio", "video"]),
  media: new Set(["type", "audio", "video", "screen"]),
  signal: new Set(["type", "to", "description", "candidate"]),
};

/** Counts code points, so that an emoji or a CJK character is one character. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      length--;
      i++;
    }
  }
  return length;
}

/**
 * Percent-decodes, NFC-normalises and lower-cases a room name from a URL
 * path segment, in that order, as the contract specifies. Returns null for a
 * name the contract refuses.
 */
export function normalizeRoomName(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed percent-escape is simply not a room name.
    return null;
  }
  if (!decoded.isWellFormed()) return null;
  const name = decoded.normalize("NFC").toLowerCase();
  return ROOM_NAME.test(name) && codePointLength(name) <= FRAME_LIMITS.maxRoomNameLength ? name : null;
}

/** Trims and NFC-normalises a display name: 1 to 32 characters, no control characters. */
export function normalizeDisplayName(raw: string): TextRuleResult {
  if (!raw.isWellFormed()) return { ok: false, reason: "malformed" };
  const name = raw.trim().normalize("NFC");
  if (name.length === 0) return { ok: false, reason: "empty" };
  if (NAME_FORBIDDEN.test(name)) return { ok: false, reason: "malformed" };
  if (codePointLength(name) > FRAME_LIMITS.maxNameLength) return { ok: false, reason: "too_long" };
  return { ok: true, value: name };
}

/**
 * Trims message text: 1 to 4000 characters. Text that is not well-formed
 * UTF-16 (a lone surrogate) cannot be stored faithfully and is refused.
 */
export function normalizeMessageText(raw: string): TextRuleResult {
  if (!raw.isWellFormed()) return { ok: false, reason: "malformed" };
  const text = raw.trim();
  if (text.length === 0) return { ok: false, reason: "empty" };
  if (codePointLength(text) > FRAME_LIMITS.maxTextLength) return { ok: false, reason: "too_long" };
  return { ok: true, value: text };
}

/** A client-chosen message id: 1 to 64 characters of well-formed text. */
export function isValidClientId(id: string): boolean {
  return id.length > 0 && id.isWellFormed() && codePointLength(id) <= FRAME_LIMITS.maxClientIdLength;
}

/**
 * A position in a room's log as a client names one (`before`, `after`,
 * `since`): a non-negative safe integer, 0 being "before the first message".
 */
export function isSeqPosition(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** A call's peer id, as the room makes them: 8 base32 characters. */
export function isPeerId(value: unknown): value is string {
  return typeof value === "string" && PEER_ID.test(value);
}

/** A user id as the room makes them; anything else names no user. */
export function isUserId(value: unknown): value is string {
  return typeof value === "string" && USER_ID.test(value);
}

/** The seq of a stored event, as `target` and `replyTo` name one: an integer of 1 or more. */
export function isStoredSeqPosition(value: unknown): value is number {
  return isSeqPosition(value) && value >= 1;
}

/**
 * The people a message mentions: at most 20 distinct user ids. A refusal
 * echoes `id`, the frame's client id.
 */
export function parseMentions(value: unknown, id?: string): { ok: true; value: string[] } | FrameRefusal {
  const valid =
    Array.isArray(value) &&
    value.length <= FRAME_LIMITS.maxMentions &&
    value.every(isUserId) &&
    new Set(value).size === value.length;
  if (valid) return { ok: true, value: [...value] };
  const message = `\`mentions\` must be an array of at most ${FRAME_LIMITS.maxMentions} distinct user ids`;
  return { ...badRequest(message), ...(id === undefined ? {} : { id }) };
}

/** A reaction's emoji: exactly one RGI emoji after NFC; null for anything else. */
export function normalizeEmoji(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 64 || !value.isWellFormed()) return null;
  const emoji = value.normalize("NFC");
  return ONE_EMOJI.test(emoji) ? emoji : null;
}

/** Why an emoji was refused. */
export const EMOJI_RULE = "`emoji` must be exactly one emoji";

/** A position in the log written as URL text (`?since=`, `Last-Event-ID`); null when it is not one. */
export function parseSeqText(text: string): number | null {
  if (!SEQ_TEXT.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/** Why a client id was refused. */
export const CLIENT_ID_RULE = `\`id\` must be a string of 1 to ${FRAME_LIMITS.maxClientIdLength} characters`;

/**
 * The text of a message, as a WebSocket `send` and an HTTP post both carry
 * it: trimmed, 1 to 4000 characters. A refusal echoes `id`, the message's
 * client id, when there is one.
 */
export function parseMessageText(text: unknown, id?: string): { ok: true; value: string } | FrameRefusal {
  const echo = id === undefined ? {} : { id };
  if (typeof text !== "string") return { ...badRequest("`text` must be a string"), ...echo };
  const result = normalizeMessageText(text);
  if (result.ok) return result;
  if (result.reason === "too_long") {
    const message = `\`text\` is longer than ${FRAME_LIMITS.maxTextLength} characters`;
    return { ok: false, code: ERROR_CODE.tooLarge, message, ...echo };
  }
  const why = result.reason === "empty" ? "is empty" : "is not well-formed Unicode";
  return { ...badRequest(`\`text\` ${why}`), ...echo };
}

/**
 * A display name as a client gives one (`rename`, `?name=`, a post's
 * `name`); a refusal, a value that is not a string included, is `invalid_name`.
 */
export function parseDisplayName(raw: unknown): { ok: true; value: string } | FrameRefusal {
  const result = typeof raw === "string" ? normalizeDisplayName(raw) : null;
  return result?.ok ? result : { ok: false, code: ERROR_CODE.invalidName, message: DISPLAY_NAME_RULE };
}

/** How many of a page's bounds (`before`, `after`, `around`) are given; a page takes at most one. */
export function boundsGiven(bounds: { before?: unknown; after?: unknown; around?: unknown }): number {
  return [bounds.before, bounds.after, bounds.around].filter((bound) => bound !== undefined).length;
}

/** The parser of call frames (protocol/parse-calls.ts), which the room passes in and a client never needs. */
export type CallFrameParser = (
  type: typeof CLIENT_FRAME.call | typeof CLIENT_FRAME.media | typeof CLIENT_FRAME.signal,
  fields: Fields,
) => ClientFrameResult;

/**
 * Parses one client frame; `maxFrameBytes` is the deployment's frame limit.
 * Call frames are parsed by `parseCallFrame` (the room's); without it, as
 * in a browser that only checks what it is about to send, they are refused.
 */
export function parseClientFrame(
  raw: string | ArrayBuffer,
  maxFrameBytes: number,
  parseCallFrame?: CallFrameParser,
): ClientFrameResult {
  if (typeof raw !== "string") return badRequest("binary frames are not part of the protocol; send JSON text");
  if (exceedsUtf8Bytes(raw, maxFrameBytes)) {
    const refusal: FrameRefusal = {
      ok: false,
      code: ERROR_CODE.tooLarge,
      message: `frame is larger than ${maxFrameBytes} bytes`,
    };
    return withEcho(refusal, raw.length <= maxFrameBytes * RECOVER_ID_FACTOR ? echoOf(parseOrNull(raw)) : {});
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Malformed JSON is the client's mistake, answered below with a typed error.
    return badRequest("frame is not valid JSON");
  }
  if (!isPlainObject(value)) return badRequest("frame must be a JSON object");
  const type = value.type;
  if (!isClientFrameType(type)) return badRequest("unknown or missing frame `type`");
  const extra = Object.keys(value).find((key) => !ALLOWED_KEYS[type].has(key));
  if (extra !== undefined) {
    return withEcho(badRequest(`unexpected field \`${extra.slice(0, 32)}\` in \`${type}\``), echoOf(value));
  }
  switch (type) {
    case CLIENT_FRAME.send:
      return parseSend(value);
    case CLIENT_FRAME.edit:
      return parseEdit(value);
    case CLIENT_FRAME.delete:
      return parseDelete(value);
    case CLIENT_FRAME.react:
      return parseReact(value);
    case CLIENT_FRAME.typing:
      return { ok: true, frame: { type } };
    case CLIENT_FRAME.history:
      return parseHistory(value);
    case CLIENT_FRAME.search:
      return parseSearch(value);
    case CLIENT_FRAME.read:
      return isSeqPosition(value.seq)
        ? { ok: true, frame: { type, seq: value.seq } }
        : badRequest("`seq` must be a non-negative integer");
    case CLIENT_FRAME.rename:
      return parseRename(value);
    case CLIENT_FRAME.settings:
      return parseSettings(value);
    case CLIENT_FRAME.moderate:
      return parseModerate(value);
    case CLIENT_FRAME.revoke:
      return parseRevoke(value);
    case CLIENT_FRAME.mint:
      return parseMint(value);
    case CLIENT_FRAME.keys:
    case CLIENT_FRAME.members:
      return parseRefOnly(value, type);
    case CLIENT_FRAME.audit:
      return parseAudit(value);
    case CLIENT_FRAME.call:
    case CLIENT_FRAME.media:
    case CLIENT_FRAME.signal:
      return parseCallFrame === undefined
        ? withEcho(badRequest("call frames are parsed by the room"), echoOf(value))
        : parseCallFrame(type, value);
    default:
      return assertNever(type);
  }
}

function parseSend(fields: Fields): ClientFrameResult {
  const { id, replyTo } = fields;
  if (typeof id !== "string" || !isValidClientId(id)) return badRequest(CLIENT_ID_RULE);
  const text = parseMessageText(fields.text, id);
  if (!text.ok) return text;
  const frame: SendFrame = { type: CLIENT_FRAME.send, id, text: text.value };
  if (replyTo !== undefined) {
    if (!isStoredSeqPosition(replyTo)) return { ...badRequest("`replyTo` must be a seq of 1 or more"), id };
    frame.replyTo = replyTo;
  }
  const mentions = optionalMentions(fields.mentions, id);
  if (!mentions.ok) return mentions;
  return { ok: true, frame: { ...frame, ...mentions.value } };
}

function parseEdit(fields: Fields): ClientFrameResult {
  const target = parseTargetOf(fields);
  if (!target.ok) return target;
  const { id } = target;
  const text = parseMessageText(fields.text, id);
  if (!text.ok) return text;
  const mentions = optionalMentions(fields.mentions, id);
  if (!mentions.ok) return mentions;
  const frame: EditFrame = { type: CLIENT_FRAME.edit, id, target: target.value, text: text.value };
  return { ok: true, frame: { ...frame, ...mentions.value } };
}

function parseDelete(fields: Fields): ClientFrameResult {
  const target = parseTargetOf(fields);
  if (!target.ok) return target;
  const reason = optionalReason(fields.reason, target.id);
  if (!reason.ok) return reason;
  const frame: DeleteFrame = { type: CLIENT_FRAME.delete, id: target.id, target: target.value, ...reason.value };
  return { ok: true, frame };
}

function parseReact(fields: Fields): ClientFrameResult {
  const target = parseTargetOf(fields);
  if (!target.ok) return target;
  const { id } = target;
  const emoji = normalizeEmoji(fields.emoji);
  if (emoji === null) return { ...badRequest(EMOJI_RULE), id };
  if (typeof fields.on !== "boolean") return { ...badRequest("`on` must be true or false"), id };
  const frame: ReactFrame = { type: CLIENT_FRAME.react, id, target: target.value, emoji, on: fields.on };
  return { ok: true, frame };
}

/** The `id` and `target` every frame about a stored message carries. */
function parseTargetOf(fields: Fields): { ok: true; id: string; value: number } | FrameRefusal {
  const { id, target } = fields;
  if (typeof id !== "string" || !isValidClientId(id)) return badRequest(CLIENT_ID_RULE);
  if (!isStoredSeqPosition(target)) return { ...badRequest("`target` must be a seq of 1 or more"), id };
  return { ok: true, id, value: target };
}

/** `mentions` when given, as the fields a frame spreads in. */
function optionalMentions(value: unknown, id: string): { ok: true; value: { mentions?: string[] } } | FrameRefusal {
  if (value === undefined) return { ok: true, value: {} };
  const mentions = parseMentions(value, id);
  return mentions.ok ? { ok: true, value: { mentions: mentions.value } } : mentions;
}

function parseHistory(fields: Fields): ClientFrameResult {
  const { ref, before, after, around, limit } = fields;
  if (ref !== undefined && !isRef(ref)) {
    return badRequest(`\`ref\` must be a string of 1 to ${FRAME_LIMITS.maxRefLength} characters`);
  }
  const refuse = (message: string): FrameRefusal => withEcho(badRequest(message), { ref });
  if (boundsGiven(fields) > 1) return refuse("`history` takes one of `before`, `after` and `around`");
  const frame: HistoryRequestFrame = { type: CLIENT_FRAME.history, ...(ref === undefined ? {} : { ref }) };
  if (before !== undefined) {
    if (!isSeqPosition(before)) return refuse("`before` must be a non-negative integer");
    frame.before = before;
  }
  if (after !== undefined) {
    if (!isSeqPosition(after)) return refuse("`after` must be a non-negative integer");
    frame.after = after;
  }
  if (around !== undefined) {
    if (!isSeqPosition(around)) return refuse("`around` must be a non-negative integer");
    frame.around = around;
  }
  if (limit !== undefined) {
    if (!isPageLimit(limit)) return refuse(`\`limit\` must be an integer from 1 to ${FRAME_LIMITS.historyPageMax}`);
    frame.limit = limit;
  }
  return { ok: true, frame };
}

function parseSearch(fields: Fields): ClientFrameResult {
  const { ref, before, limit } = fields;
  if (!isRef(ref)) return badRequest(`\`ref\` must be a string of 1 to ${FRAME_LIMITS.maxRefLength} characters`);
  const refuse = (message: string): FrameRefusal => withEcho(badRequest(message), { ref });
  const q = parseSearchQuery(fields.q);
  if (!q.ok) return withEcho(q, { ref });
  const frame: SearchFrame = { type: CLIENT_FRAME.search, ref, q: q.value };
  if (before !== undefined) {
    if (!isSeqPosition(before)) return refuse("`before` must be a non-negative integer");
    frame.before = before;
  }
  if (limit !== undefined) {
    if (!isSearchLimit(limit)) return refuse(`\`limit\` must be an integer from 1 to ${FRAME_LIMITS.searchPageMax}`);
    frame.limit = limit;
  }
  return { ok: true, frame };
}

/** A search query: 1 to 200 code points of well-formed text, trimmed. Anything in it is text to find. */
export function parseSearchQuery(value: unknown): { ok: true; value: string } | FrameRefusal {
  const rule = `\`q\` must be 1 to ${FRAME_LIMITS.maxSearchLength} characters`;
  if (typeof value !== "string" || !value.isWellFormed()) return badRequest(rule);
  const q = value.trim();
  if (q.length === 0) return badRequest(rule);
  if (codePointLength(q) > FRAME_LIMITS.maxSearchLength) return { ok: false, code: ERROR_CODE.tooLarge, message: rule };
  return { ok: true, value: q };
}

/** A search page size: 1 to the search page maximum. */
export function isSearchLimit(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= FRAME_LIMITS.searchPageMax;
}

/** A request reference a client chose: 1 to 64 characters of well-formed text. */
export function isRef(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.isWellFormed() &&
    codePointLength(value) <= FRAME_LIMITS.maxRefLength
  );
}

/** A page size: 1 to the page maximum. */
export function isPageLimit(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= FRAME_LIMITS.historyPageMax;
}

function parseRename(fields: Fields): ClientFrameResult {
  const { name } = fields;
  if (typeof name !== "string") return badRequest("`name` must be a string");
  const result = parseDisplayName(name);
  return result.ok ? { ok: true, frame: { type: CLIENT_FRAME.rename, name: result.value } } : result;
}

/**
 * What a refusal of something shaped like a frame echoes, so that the client
 * can tell which request failed: the valid `id` of a frame that stores an event, a `history` or `search`
 * request's valid `ref`.
 */
export function echoOf(value: unknown): { id?: string; ref?: string } {
  if (!isPlainObject(value)) return {};
  const { id, ref } = value;
  if (isEventFrameType(value.type)) return typeof id === "string" && isValidClientId(id) ? { id } : {};
  if (isRequestFrameType(value.type)) return isRef(ref) ? { ref } : {};
  return {};
}

function withEcho(refusal: FrameRefusal, { id, ref }: { id?: unknown; ref?: unknown }): FrameRefusal {
  return {
    ...refusal,
    ...(typeof id === "string" ? { id } : {}),
    ...(typeof ref === "string" ? { ref } : {}),
  };
}

function parseOrNull(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // Only read for an id to echo; a frame that is not JSON has none.
    return null;
  }
}

function badRequest(message: string): FrameRefusal {
  return { ok: false, code: ERROR_CODE.badRequest, message };
}

export function isPlainObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The frame types that store an event and carry an idempotency `id`. */
const EVENT_FRAME_TYPES: ReadonlySet<unknown> = new Set([
  CLIENT_FRAME.send,
  CLIENT_FRAME.edit,
  CLIENT_FRAME.delete,
  CLIENT_FRAME.react,
  CLIENT_FRAME.settings,
  CLIENT_FRAME.moderate,
  CLIENT_FRAME.revoke,
  CLIENT_FRAME.call,
]);
/** The frame types answered to the asking connection, matched by `ref`. */
const REQUEST_FRAME_TYPES: ReadonlySet<unknown> = new Set([
  CLIENT_FRAME.history,
  CLIENT_FRAME.search,
  CLIENT_FRAME.mint,
  CLIENT_FRAME.keys,
  CLIENT_FRAME.audit,
  CLIENT_FRAME.members,
]);

function isEventFrameType(value: unknown): boolean {
  return EVENT_FRAME_TYPES.has(value);
}

function isRequestFrameType(value: unknown): boolean {
  return REQUEST_FRAME_TYPES.has(value);
}

function isClientFrameType(value: unknown): value is ClientFrame["type"] {
  return typeof value === "string" && Object.hasOwn(ALLOWED_KEYS, value);
}

/**
 * Whether `text` takes more than `limit` bytes as UTF-8, without encoding it.
 * A lone surrogate counts as the three bytes of its replacement character.
 */
export function exceedsUtf8Bytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return utf8Length(text, limit) > limit;
}

/** The bytes `text` takes as UTF-8, counted without encoding it; counting stops once past `stopAbove`. */
export function utf8Length(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stopAbove; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function assertNever(value: never): never {
  throw new Error(`unhandled frame type ${String(value)}`);
}
