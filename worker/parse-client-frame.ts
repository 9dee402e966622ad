/**
 * Turns a raw WebSocket frame from a client into a typed frame or a typed
 * refusal. Every field is checked for real; nothing is cast.
 */
import { CLIENT_FRAME, type ClientFrame, ERROR_CODE, FRAME_LIMITS, type HistoryRequestFrame } from "./protocol.ts";
import { isValidClientId, normalizeDisplayName, normalizeMessageText } from "./text-rules.ts";

export type FrameRefusal = {
  ok: false;
  code: typeof ERROR_CODE.badRequest | typeof ERROR_CODE.tooLarge | typeof ERROR_CODE.invalidName;
  message: string;
  /** The `id` of the refused `send`, when it had a valid one. */
  id?: string;
};

export type ClientFrameResult = { ok: true; frame: ClientFrame } | FrameRefusal;

type Fields = Record<string, unknown>;

/**
 * An oversize frame up to this many times the limit is still read for the
 * `id` to echo (a 4000-character text of escaped control characters can
 * exceed 16 KiB); a larger one is refused unread.
 */
const RECOVER_ID_FACTOR = 4;

const ALLOWED_KEYS: Record<ClientFrame["type"], ReadonlySet<string>> = {
  send: new Set(["type", "id", "text"]),
  typing: new Set(["type"]),
  history: new Set(["type", "before", "after", "limit"]),
  rename: new Set(["type", "name"]),
};

/** Parses one client frame; `maxFrameBytes` is the deployment's frame limit. */
export function parseClientFrame(raw: string | ArrayBuffer, maxFrameBytes: number): ClientFrameResult {
  if (typeof raw !== "string") return badRequest("binary frames are not part of the protocol; send JSON text");
  if (exceedsUtf8Bytes(raw, maxFrameBytes)) {
    const refusal: FrameRefusal = {
      ok: false,
      code: ERROR_CODE.tooLarge,
      message: `frame is larger than ${maxFrameBytes} bytes`,
    };
    return withSendId(
      refusal,
      raw.length <= maxFrameBytes * RECOVER_ID_FACTOR ? sendIdOf(parseOrNull(raw)) : undefined,
    );
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
    return withSendId(badRequest(`unexpected field \`${extra.slice(0, 32)}\` in \`${type}\``), sendIdOf(value));
  }
  switch (type) {
    case CLIENT_FRAME.send:
      return parseSend(value);
    case CLIENT_FRAME.typing:
      return { ok: true, frame: { type } };
    case CLIENT_FRAME.history:
      return parseHistory(value);
    case CLIENT_FRAME.rename:
      return parseRename(value);
    default:
      return assertNever(type);
  }
}

function parseSend(fields: Fields): ClientFrameResult {
  const { id, text } = fields;
  if (typeof id !== "string" || !isValidClientId(id)) {
    return badRequest(`\`id\` must be a string of 1 to ${FRAME_LIMITS.maxClientIdLength} characters`);
  }
  if (typeof text !== "string") return { ...badRequest("`text` must be a string"), id };
  const result = normalizeMessageText(text);
  if (result.ok) return { ok: true, frame: { type: CLIENT_FRAME.send, id, text: result.value } };
  if (result.reason === "too_long") {
    return {
      ok: false,
      code: ERROR_CODE.tooLarge,
      message: `\`text\` is longer than ${FRAME_LIMITS.maxTextLength} characters`,
      id,
    };
  }
  const why = result.reason === "empty" ? "is empty" : "is not well-formed Unicode";
  return { ...badRequest(`\`text\` ${why}`), id };
}

function parseHistory(fields: Fields): ClientFrameResult {
  const { before, after, limit } = fields;
  if (before !== undefined && after !== undefined) return badRequest("`history` takes `before` or `after`, not both");
  const frame: HistoryRequestFrame = { type: CLIENT_FRAME.history };
  if (before !== undefined) {
    if (!isSeq(before)) return badRequest("`before` must be a non-negative integer");
    frame.before = before;
  }
  if (after !== undefined) {
    if (!isSeq(after)) return badRequest("`after` must be a non-negative integer");
    frame.after = after;
  }
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || typeof limit !== "number" || limit < 1 || limit > FRAME_LIMITS.historyPageMax) {
      return badRequest(`\`limit\` must be an integer from 1 to ${FRAME_LIMITS.historyPageMax}`);
    }
    frame.limit = limit;
  }
  return { ok: true, frame };
}

function parseRename(fields: Fields): ClientFrameResult {
  const { name } = fields;
  if (typeof name !== "string") return badRequest("`name` must be a string");
  const result = normalizeDisplayName(name);
  if (!result.ok) {
    return {
      ok: false,
      code: ERROR_CODE.invalidName,
      message: `a name is 1 to ${FRAME_LIMITS.maxNameLength} characters with no control characters`,
    };
  }
  return { ok: true, frame: { type: CLIENT_FRAME.rename, name: result.value } };
}

/**
 * The valid `id` of something shaped like a `send`, so that a refusal can
 * name the message it refers to and the client can mark that one failed.
 */
function sendIdOf(value: unknown): string | undefined {
  if (!isPlainObject(value) || value.type !== CLIENT_FRAME.send) return undefined;
  const { id } = value;
  return typeof id === "string" && isValidClientId(id) ? id : undefined;
}

function withSendId(refusal: FrameRefusal, id: string | undefined): FrameRefusal {
  return id === undefined ? refusal : { ...refusal, id };
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

function isPlainObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isClientFrameType(value: unknown): value is ClientFrame["type"] {
  return typeof value === "string" && Object.hasOwn(ALLOWED_KEYS, value);
}

/** A sequence number as a client may name one: a non-negative safe integer. */
export function isSeq(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Whether `text` takes more than `limit` bytes as UTF-8, without encoding it.
 * A lone surrogate counts as the three bytes of its replacement character.
 */
export function exceedsUtf8Bytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > limit) return true;
  }
  return false;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function assertNever(value: never): never {
  throw new Error(`unhandled frame type ${String(value)}`);
}
