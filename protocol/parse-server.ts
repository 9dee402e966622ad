/**
 * Turns a frame from the server into a typed frame, or null when it does not
 * match the contract. Clients (the SDK, tests, the load generator) parse with
 * this so that a server bug surfaces as a refusal, never as a wrong value.
 */
import {
  type DeleteEventFrame,
  ERROR_CODE,
  type ErrorCode,
  FRAME_LIMITS,
  type KeyInfo,
  type KeyRefusal,
  type LogEvent,
  type Member,
  type Message,
  MODERATION_ACTION,
  type ModerationAction,
  type ModerationEventFrame,
  READ_SETTINGS,
  type Reaction,
  type ReplyPreview,
  SERVER_FRAME,
  type SearchHit,
  type ServerFrame,
  type SettingName,
  type Settings,
  type SettingsEventFrame,
  type User,
  WRITE_SETTINGS,
} from "./frames.ts";
import { isKey, isKeyId, isRole } from "./parse-owners.ts";
import { isCallEvent, isCallServerFrame, isCallState } from "./parse-server-calls.ts";

type Fields = Record<string, unknown>;

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ERROR_CODE));

/** Parses one server frame; null when it is not a frame of the contract (a `batch` is not one frame). */
export function parseServerFrame(raw: string): ServerFrame | null {
  const value = parseObject(raw);
  return value !== null && isServerFrame(value) ? value : null;
}

/**
 * Parses what a connection that selected `edgechat.v2` receives: a `batch`
 * as its frames in order, any other frame as itself alone; null when it is
 * not a frame of the contract, nor a batch of two or more of them.
 */
export function parseServerFrames(raw: string): ServerFrame[] | null {
  const value = parseObject(raw);
  if (value === null) return null;
  if (isServerFrame(value)) return [value];
  const { type, frames } = value;
  const valid =
    type === SERVER_FRAME.batch &&
    Array.isArray(frames) &&
    frames.length > 1 &&
    frames.every((item) => isObject(item) && isServerFrame(item));
  return valid ? frames : null;
}

function parseObject(raw: string): Fields | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: not a frame of this protocol, reported as null.
    return null;
  }
  return isObject(value) ? value : null;
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
        (f.read === undefined || isCount(f.read)) &&
        isArrayOf(f.history, isLogEvent) &&
        isOptionalTrue(f.more) &&
        isOptionalTrue(f.truncated) &&
        (f.role === undefined || isRole(f.role)) &&
        (f.settings === undefined || isSettings(f.settings)) &&
        (f.mutedUntil === undefined || isCount(f.mutedUntil)) &&
        (f.keyRefused === undefined || isOneOf(f.keyRefused, KEY_REFUSALS)) &&
        (f.call === undefined || isCallState(f.call))
      );
    case SERVER_FRAME.message:
    case SERVER_FRAME.edit:
    case SERVER_FRAME.delete:
    case SERVER_FRAME.reaction:
    case SERVER_FRAME.settings:
    case SERVER_FRAME.moderation:
    case SERVER_FRAME.call:
      return isLogEvent(f);
    case SERVER_FRAME.peers:
    case SERVER_FRAME.media:
    case SERVER_FRAME.signal:
      return isCallServerFrame(f);
    case SERVER_FRAME.minted:
      return typeof f.ref === "string" && isKeyInfo(f.key) && isKey(f.secret);
    case SERVER_FRAME.keys:
      return typeof f.ref === "string" && isArrayOf(f.keys, isKeyInfo);
    case SERVER_FRAME.audit:
      return typeof f.ref === "string" && isArrayOf(f.events, isAuditEvent) && typeof f.hasMore === "boolean";
    case SERVER_FRAME.members:
      return typeof f.ref === "string" && isArrayOf(f.members, isMember);
    case SERVER_FRAME.ack:
      return (
        typeof f.id === "string" &&
        (f.unchanged === true
          ? f.seq === undefined && f.ts === undefined
          : f.unchanged === undefined && isStoredSeq(f.seq) && isCount(f.ts))
      );
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
    case SERVER_FRAME.results:
      return typeof f.ref === "string" && isArrayOf(f.hits, isSearchHit) && typeof f.hasMore === "boolean";
    case SERVER_FRAME.read:
      return isCount(f.seq);
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
    isCount(value.ts) &&
    (value.replyTo === undefined || isReplyPreview(value.replyTo)) &&
    (value.mentions === undefined || isArrayOf(value.mentions, isUser)) &&
    (value.editedAt === undefined || isCount(value.editedAt)) &&
    isOptionalTrue(value.deleted) &&
    (value.reactions === undefined || isArrayOf(value.reactions, isReaction)) &&
    (value.deleted === undefined || isDeletedStub(value))
  );
}

/** A deleted message keeps its seq, id, user and ts, and nothing of what it said. */
function isDeletedStub(value: Fields): boolean {
  return (
    value.text === "" &&
    value.replyTo === undefined &&
    value.mentions === undefined &&
    value.editedAt === undefined &&
    value.reactions === undefined
  );
}

/** An event of the log, as broadcast and in a welcome's `history`: it carries its `type`. */
function isLogEvent(value: unknown): value is LogEvent {
  if (!isObject(value)) return false;
  if (value.type === SERVER_FRAME.message) return isMessage(value);
  if (value.type === SERVER_FRAME.settings) return isSettingsEvent(value);
  if (value.type === SERVER_FRAME.moderation) return isModerationEvent(value);
  if (value.type === SERVER_FRAME.call) return isCallEvent(value);
  const common = isStoredSeq(value.seq) && isCount(value.ts) && isStoredSeq(value.target) && isUser(value.user);
  switch (value.type) {
    case SERVER_FRAME.edit:
      return (
        common && typeof value.text === "string" && (value.mentions === undefined || isArrayOf(value.mentions, isUser))
      );
    case SERVER_FRAME.delete:
      return common && isOptionalString(value.reason);
    case SERVER_FRAME.reaction:
      return common && typeof value.emoji === "string" && typeof value.on === "boolean";
    default:
      return false;
  }
}

const KEY_REFUSALS: readonly KeyRefusal[] = ["invalid", "expired", "used_up"];
const SETTING_NAMES: readonly SettingName[] = ["topic", "read", "write", "slowMode", "locked"];
const MODERATION_ACTIONS: readonly ModerationAction[] = Object.values(MODERATION_ACTION);

/** An owned room's settings, every one of them present. */
function isSettings(value: unknown): value is Settings {
  return (
    isObject(value) &&
    typeof value.topic === "string" &&
    isOneOf(value.read, READ_SETTINGS) &&
    isOneOf(value.write, WRITE_SETTINGS) &&
    isCount(value.slowMode) &&
    value.slowMode <= FRAME_LIMITS.maxSlowModeSeconds &&
    typeof value.locked === "boolean"
  );
}

/** The whole settings after a change, and which of them changed (absent `user`: the claim's). */
function isSettingsEvent(value: Fields): value is Fields & SettingsEventFrame {
  return (
    isStoredSeq(value.seq) &&
    isCount(value.ts) &&
    (value.user === undefined || isUser(value.user)) &&
    isSettings(value.settings) &&
    isArrayOf(value.changed, (name): name is SettingName => isOneOf(name, SETTING_NAMES)) &&
    value.changed.length > 0
  );
}

/**
 * A moderation action, with what its action needs: a revocation names the
 * key and its role, every other action a subject; a mute its end, a role
 * change the new role.
 */
function isModerationEvent(value: Fields): value is Fields & ModerationEventFrame {
  const { action } = value;
  if (!isStoredSeq(value.seq) || !isCount(value.ts) || !isUser(value.user) || !isOneOf(action, MODERATION_ACTIONS)) {
    return false;
  }
  const fieldsValid =
    (value.subject === undefined || isUser(value.subject)) &&
    (value.until === undefined || isCount(value.until)) &&
    (value.addressUntil === undefined || isCount(value.addressUntil)) &&
    (value.role === undefined || isRole(value.role)) &&
    isOptionalString(value.reason) &&
    (value.key === undefined || isKeyId(value.key));
  if (!fieldsValid) return false;
  if (action === MODERATION_ACTION.revoke) return value.key !== undefined && value.role !== undefined;
  if (value.subject === undefined) return false;
  if (action === MODERATION_ACTION.mute) return value.until !== undefined;
  return action !== MODERATION_ACTION.role || value.role !== undefined;
}

/** What an audit page holds: settings and moderation events, and deletions of someone else's message. */
function isAuditEvent(value: unknown): value is SettingsEventFrame | ModerationEventFrame | DeleteEventFrame {
  return (
    isObject(value) &&
    (value.type === SERVER_FRAME.settings ||
      value.type === SERVER_FRAME.moderation ||
      value.type === SERVER_FRAME.delete) &&
    isLogEvent(value)
  );
}

function isKeyInfo(value: unknown): value is KeyInfo {
  return (
    isObject(value) &&
    isKeyId(value.id) &&
    isRole(value.role) &&
    value.role !== "guest" &&
    isOptionalString(value.label) &&
    (value.expiresAt === undefined || isCount(value.expiresAt)) &&
    (value.usesLeft === undefined || isCount(value.usesLeft)) &&
    (value.createdBy === undefined || isUser(value.createdBy)) &&
    isCount(value.createdAt)
  );
}

function isMember(value: unknown): value is Member {
  return (
    isObject(value) &&
    isUser(value.user) &&
    isRole(value.role) &&
    (value.mutedUntil === undefined || isCount(value.mutedUntil)) &&
    isOptionalTrue(value.banned)
  );
}

function isOneOf<T extends string>(value: unknown, values: readonly T[]): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}

function isSearchHit(value: unknown): value is SearchHit {
  if (!isObject(value) || !isMessage(value.message) || !Array.isArray(value.highlights)) return false;
  const length = Array.from(value.message.text).length;
  return value.highlights.every(
    (range) =>
      Array.isArray(range) &&
      range.length === 2 &&
      isCount(range[0]) &&
      isCount(range[1]) &&
      range[0] < range[1] &&
      range[1] <= length,
  );
}

function isReplyPreview(value: unknown): value is ReplyPreview {
  return (
    isObject(value) &&
    isStoredSeq(value.seq) &&
    isUser(value.user) &&
    typeof value.text === "string" &&
    isOptionalTrue(value.deleted) &&
    (value.deleted === undefined || value.text === "")
  );
}

function isReaction(value: unknown): value is Reaction {
  return (
    isObject(value) &&
    typeof value.emoji === "string" &&
    isCount(value.count) &&
    value.count >= 1 &&
    Array.isArray(value.users) &&
    value.users.every((user) => typeof user === "string") &&
    value.users.length <= value.count
  );
}

function isArrayOf<T>(value: unknown, isItem: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.every(isItem);
}
