/**
 * The frames of rooms with owners, checked at the boundary: `settings`,
 * `moderate`, `revoke`, `mint`, `keys`, `audit` and `members`, and the
 * keys, key ids and read tickets that travel beside them. The HTTP twins
 * (protocol/http-params.ts) parse their bodies with the same functions, so
 * a rule is stated once. Only functions of parse-client.ts are used here,
 * and only when called, so the two files may import each other.
 */
import {
  type AuditRequestFrame,
  CLIENT_FRAME,
  FRAME_LIMITS,
  type MintFrame,
  MODERATION_ACTION,
  type ModerateFrame,
  type ModerationInput,
  READ_SETTINGS,
  type RevokeFrame,
  ROLES,
  type Role,
  type Settings,
  type SettingsFrame,
  WRITE_SETTINGS,
} from "./frames.ts";
import {
  CLIENT_ID_RULE,
  type ClientFrameResult,
  codePointLength,
  type FrameRefusal,
  isRef,
  isSeqPosition,
  isUserId,
  isValidClientId,
} from "./parse-client.ts";

type Fields = Record<string, unknown>;

/** A key: 32 base32 characters, 160 random bits. */
const KEY = /^[a-z2-7]{32}$/;
/** A key's public id: 8 base32 characters. */
const KEY_ID = /^[a-z2-7]{8}$/;
/** What one line of text may not hold: controls, line and paragraph separators. */
const NOT_ONE_LINE = /[\p{Cc}\p{Zl}\p{Zp}]/u;

export const REF_RULE = `\`ref\` must be a string of 1 to ${FRAME_LIMITS.maxRefLength} characters`;

/** Whether a string is shaped like a key; only the room knows whether it is one. */
export function isKey(value: unknown): value is string {
  return typeof value === "string" && KEY.test(value);
}

/** Whether a string is shaped like a key id. */
export function isKeyId(value: unknown): value is string {
  return typeof value === "string" && KEY_ID.test(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** `settings`: at least one setting, each valid. */
export function parseSettings(fields: Fields): ClientFrameResult {
  const id = parseId(fields.id);
  if (!id.ok) return id;
  const changes = parseSettingChanges(fields, id.value);
  if (!changes.ok) return changes;
  const frame: SettingsFrame = { type: CLIENT_FRAME.settings, id: id.value, ...changes.value };
  return { ok: true, frame };
}

/** The settings a `settings` frame or a `PATCH .../settings` body changes; `id` is echoed in a refusal. */
export function parseSettingChanges(
  fields: Fields,
  id?: string,
): { ok: true; value: Partial<Settings> } | FrameRefusal {
  const refuse = (message: string) => badRequest(message, id);
  const changes: Partial<Settings> = {};
  const { topic, read, write, slowMode, locked } = fields;
  if (topic !== undefined) {
    const text = oneLine(topic, 0, FRAME_LIMITS.maxTopicLength);
    if (text === null) return refuse(`\`topic\` must be one line of at most ${FRAME_LIMITS.maxTopicLength} characters`);
    changes.topic = text;
  }
  if (read !== undefined) {
    if (!isOneOf(read, READ_SETTINGS)) return refuse(`\`read\` must be one of ${READ_SETTINGS.join(", ")}`);
    changes.read = read;
  }
  if (write !== undefined) {
    if (!isOneOf(write, WRITE_SETTINGS)) return refuse(`\`write\` must be one of ${WRITE_SETTINGS.join(", ")}`);
    changes.write = write;
  }
  if (slowMode !== undefined) {
    if (!isIntegerIn(slowMode, 0, FRAME_LIMITS.maxSlowModeSeconds)) {
      return refuse(`\`slowMode\` must be a whole number of seconds from 0 to ${FRAME_LIMITS.maxSlowModeSeconds}`);
    }
    changes.slowMode = slowMode;
  }
  if (locked !== undefined) {
    if (typeof locked !== "boolean") return refuse("`locked` must be true or false");
    changes.locked = locked;
  }
  if (Object.keys(changes).length === 0) return refuse("`settings` must change at least one setting");
  return { ok: true, value: changes };
}

/** `moderate`: an action, the user it is taken on, and what the action needs. */
export function parseModerate(fields: Fields): ClientFrameResult {
  const id = parseId(fields.id);
  if (!id.ok) return id;
  const action = parseModeration(fields, id.value);
  if (!action.ok) return action;
  const frame: ModerateFrame = { type: CLIENT_FRAME.moderate, id: id.value, ...action.value };
  return { ok: true, frame };
}

/** The fields of a moderation action, as a `moderate` frame and a `POST .../moderation` body carry them. */
export function parseModeration(fields: Fields, id?: string): { ok: true; value: ModerationInput } | FrameRefusal {
  const refuse = (message: string) => badRequest(message, id);
  const { action, user, duration, addressFor, role } = fields;
  if (!isUserId(user)) return refuse("`user` must be a user id");
  const reason = optionalReason(fields.reason, id);
  if (!reason.ok) return reason;
  const base = { user, ...reason.value };
  const onlyFor = (field: string, allowed: string) => refuse(`\`${field}\` goes only with the action ${allowed}`);
  if (duration !== undefined && action !== MODERATION_ACTION.mute) return onlyFor("duration", "mute");
  if (addressFor !== undefined && action !== MODERATION_ACTION.ban) return onlyFor("addressFor", "ban");
  if (role !== undefined && action !== MODERATION_ACTION.role) return onlyFor("role", "role");
  switch (action) {
    case MODERATION_ACTION.mute:
      if (!isIntegerIn(duration, FRAME_LIMITS.minDurationMs, FRAME_LIMITS.maxMuteMs)) {
        return refuse(`\`duration\` must be ms from ${FRAME_LIMITS.minDurationMs} to ${FRAME_LIMITS.maxMuteMs}`);
      }
      return { ok: true, value: { ...base, action, duration } };
    case MODERATION_ACTION.ban:
      if (addressFor === undefined) return { ok: true, value: { ...base, action } };
      if (!isIntegerIn(addressFor, FRAME_LIMITS.minDurationMs, FRAME_LIMITS.maxAddressBarMs)) {
        return refuse(
          `\`addressFor\` must be ms from ${FRAME_LIMITS.minDurationMs} to ${FRAME_LIMITS.maxAddressBarMs}`,
        );
      }
      return { ok: true, value: { ...base, action, addressFor } };
    case MODERATION_ACTION.role:
      if (!isRole(role)) return refuse(`\`role\` must be one of ${ROLES.join(", ")}`);
      return { ok: true, value: { ...base, action, role } };
    case MODERATION_ACTION.unmute:
    case MODERATION_ACTION.kick:
    case MODERATION_ACTION.unban:
      return { ok: true, value: { ...base, action } };
    default:
      return refuse("`action` must be one of mute, unmute, kick, ban, unban, role");
  }
}

/** `revoke`: the id of the key to revoke. */
export function parseRevoke(fields: Fields): ClientFrameResult {
  const id = parseId(fields.id);
  if (!id.ok) return id;
  if (!isKeyId(fields.key)) return badRequest("`key` must be a key id (8 base32 characters)", id.value);
  const frame: RevokeFrame = { type: CLIENT_FRAME.revoke, id: id.value, key: fields.key };
  return { ok: true, frame };
}

/** `mint`: the key's role and its bounds. */
export function parseMint(fields: Fields): ClientFrameResult {
  if (!isRef(fields.ref)) return badRequest(REF_RULE);
  const ref = fields.ref;
  const bounds = parseKeyRequest(fields);
  if (!bounds.ok) return { ...bounds, ref };
  const frame: MintFrame = { type: CLIENT_FRAME.mint, ref, ...bounds.value };
  return { ok: true, frame };
}

/** What a key is made for, as a `mint` frame and a `POST .../keys` body carry it. */
export function parseKeyRequest(fields: Fields): { ok: true; value: Omit<MintFrame, "type" | "ref"> } | FrameRefusal {
  const { role, expiresIn, uses, label } = fields;
  if (!isRole(role) || role === "guest") return badRequest("`role` must be one of owner, moderator, member, reader");
  const key: Omit<MintFrame, "type" | "ref"> = { role };
  if (expiresIn !== undefined) {
    if (!isIntegerIn(expiresIn, FRAME_LIMITS.minKeyLifetimeMs, FRAME_LIMITS.maxKeyLifetimeMs)) {
      const { minKeyLifetimeMs, maxKeyLifetimeMs } = FRAME_LIMITS;
      return badRequest(`\`expiresIn\` must be ms from ${minKeyLifetimeMs} to ${maxKeyLifetimeMs}`);
    }
    key.expiresIn = expiresIn;
  }
  if (uses !== undefined) {
    if (!isIntegerIn(uses, 1, FRAME_LIMITS.maxKeyUses)) {
      return badRequest(`\`uses\` must be a whole number from 1 to ${FRAME_LIMITS.maxKeyUses}`);
    }
    key.uses = uses;
  }
  if (label !== undefined) {
    const text = oneLine(label, 1, FRAME_LIMITS.maxKeyLabelLength);
    if (text === null)
      return badRequest(`\`label\` must be one line of 1 to ${FRAME_LIMITS.maxKeyLabelLength} characters`);
    key.label = text;
  }
  return { ok: true, value: key };
}

/** `audit`: an optional `before` and `limit`. */
export function parseAudit(fields: Fields): ClientFrameResult {
  if (!isRef(fields.ref)) return badRequest(REF_RULE);
  const ref = fields.ref;
  const page = parseAuditPage(fields);
  if (!page.ok) return { ...page, ref };
  const frame: AuditRequestFrame = { type: CLIENT_FRAME.audit, ref, ...page.value };
  return { ok: true, frame };
}

/** Where an audit page starts and how long it is. */
export function parseAuditPage(
  fields: Fields,
): { ok: true; value: { before?: number; limit?: number } } | FrameRefusal {
  const { before, limit } = fields;
  const page: { before?: number; limit?: number } = {};
  if (before !== undefined) {
    if (!isSeqPosition(before)) return badRequest("`before` must be a non-negative integer");
    page.before = before;
  }
  if (limit !== undefined) {
    if (!isIntegerIn(limit, 1, FRAME_LIMITS.auditPageMax)) {
      return badRequest(`\`limit\` must be an integer from 1 to ${FRAME_LIMITS.auditPageMax}`);
    }
    page.limit = limit;
  }
  return { ok: true, value: page };
}

/** `keys` and `members`: a `ref` only. */
export function parseRefOnly(fields: Fields, type: typeof CLIENT_FRAME.keys | typeof CLIENT_FRAME.members) {
  if (!isRef(fields.ref)) return badRequest(REF_RULE);
  return { ok: true, frame: { type, ref: fields.ref } } satisfies ClientFrameResult;
}

/** A moderator's reason, when given: one line of 1 to 200 characters. */
export function optionalReason(value: unknown, id?: string): { ok: true; value: { reason?: string } } | FrameRefusal {
  if (value === undefined) return { ok: true, value: {} };
  const reason = oneLine(value, 1, FRAME_LIMITS.maxReasonLength);
  if (reason === null) {
    return badRequest(`\`reason\` must be one line of 1 to ${FRAME_LIMITS.maxReasonLength} characters`, id);
  }
  return { ok: true, value: { reason } };
}

/** One line of text, trimmed and NFC-normalised, of `min` to `max` code points; null when it is not. */
function oneLine(value: unknown, min: number, max: number): string | null {
  if (typeof value !== "string" || !value.isWellFormed()) return null;
  const text = value.trim().normalize("NFC");
  if (NOT_ONE_LINE.test(text)) return null;
  const length = codePointLength(text);
  return length >= min && length <= max ? text : null;
}

function parseId(id: unknown): { ok: true; value: string } | FrameRefusal {
  return typeof id === "string" && isValidClientId(id) ? { ok: true, value: id } : badRequest(CLIENT_ID_RULE);
}

function isOneOf<T extends string>(value: unknown, values: readonly T[]): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

function badRequest(message: string, id?: string): FrameRefusal {
  return { ok: false, code: "bad_request", message, ...(id === undefined ? {} : { id }) };
}
