/**
 * Turns a frame from the server into a typed frame, or null when it does not
 * match the contract. Clients (the SDK, tests, the load generator) parse with
 * this so that a server bug surfaces as a refusal, never as a wrong value.
 */
import { ERROR_CODE, type ErrorCode, type Message, SERVER_FRAME, type ServerFrame, type User } from "./frames.ts";

type Fields = Record<string, unknown>;

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ERROR_CODE));

/** Parses one server frame; null when it is not a frame of the contract. */
export function parseServerFrame(raw: string): ServerFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: not a frame of this protocol, reported as null.
    return null;
  }
  if (!isObject(value)) return null;
  return isServerFrame(value) ? value : null;
}

const SERVER_FRAME_TYPES: ReadonlySet<string> = new Set(Object.values(SERVER_FRAME));

/**
 * Whether `raw` is a frame of a type this version does not know: a JSON
 * object whose `type` is a string the contract does not name. The contract
 * tells clients to ignore those, so that a newer server's frames (edits,
 * batches) leave an older client working; a frame of a known type that
 * breaks its shape is still a contract violation.
 */
export function isFrameOfUnknownType(raw: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: not a frame at all.
    return false;
  }
  return isObject(value) && typeof value.type === "string" && !SERVER_FRAME_TYPES.has(value.type);
}

function isServerFrame(f: Fields): f is Fields & ServerFrame {
  switch (f.type) {
    case SERVER_FRAME.welcome:
      return (
        typeof f.room === "string" &&
        isUser(f.you) &&
        typeof f.token === "string" &&
        isArrayOf(f.online, isUser) &&
        isCount(f.onlineCount) &&
        isCount(f.lastSeq) &&
        isArrayOf(f.history, isMessage) &&
        isOptionalTrue(f.more) &&
        isOptionalTrue(f.truncated)
      );
    case SERVER_FRAME.message:
      return isMessage(f);
    case SERVER_FRAME.ack:
      return typeof f.id === "string" && isStoredSeq(f.seq) && isCount(f.ts);
    case SERVER_FRAME.join:
    case SERVER_FRAME.leave:
      return isUser(f.user) && isCount(f.online);
    case SERVER_FRAME.presence:
      return isArrayOf(f.online, isUser) && isCount(f.onlineCount);
    case SERVER_FRAME.rename:
      return isUser(f.user) && typeof f.previous === "string";
    case SERVER_FRAME.typing:
      return isUser(f.user);
    case SERVER_FRAME.occupancy:
      return isCount(f.online);
    case SERVER_FRAME.history:
      return (
        isArrayOf(f.messages, isMessage) &&
        typeof f.hasMore === "boolean" &&
        (f.hasNewer === undefined || typeof f.hasNewer === "boolean") &&
        isOptionalString(f.ref)
      );
    case SERVER_FRAME.error:
      return (
        isErrorCode(f.code) &&
        typeof f.message === "string" &&
        isOptionalString(f.id) &&
        isOptionalString(f.ref) &&
        (f.retryAfter === undefined || isCount(f.retryAfter))
      );
    default:
      return false;
  }
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** A stored message's seq: they start at 1 in every room. */
function isStoredSeq(value: unknown): value is number {
  return isCount(value) && value >= 1;
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

function isOptionalTrue(value: unknown): boolean {
  return value === undefined || value === true;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && ERROR_CODES.has(value);
}

function isUser(value: unknown): value is User {
  return isObject(value) && typeof value.id === "string" && typeof value.name === "string";
}

function isMessage(value: unknown): value is Message {
  return (
    isObject(value) &&
    isStoredSeq(value.seq) &&
    typeof value.id === "string" &&
    isUser(value.user) &&
    typeof value.text === "string" &&
    isCount(value.ts)
  );
}

function isArrayOf<T>(value: unknown, isItem: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.every(isItem);
}
