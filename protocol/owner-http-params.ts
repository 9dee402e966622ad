/**
 * What a caller sends to the HTTP routes of rooms with owners, checked with
 * the rules of the frames they are twins of (protocol/parse-owners.ts): the
 * `Edgechat-Key` header, the bodies of settings, moderation, key and
 * redeem requests, an audit page, a key id in a path, a read ticket and a
 * moderator's deletion reason in a query.
 */
import type { ModerationInput, SettingsFrame } from "./frames.ts";
import type { Parsed } from "./http-params.ts";
import { CLIENT_ID_RULE, type FrameRefusal, isPlainObject, isValidClientId, parseDisplayName } from "./parse-client.ts";
import {
  isKeyId,
  optionalReason,
  parseAuditPage,
  parseKeyRequest,
  parseModeration,
  parseSettingChanges,
} from "./parse-owners.ts";

/** Who asks, as the Room reads it: the token's user, and a key to redeem for them or to read with. */
export interface Credentials {
  token?: string;
  key?: string;
}

export type SettingsInput = Omit<SettingsFrame, "type" | "id"> & { id?: string };
export type ModerationRequest = ModerationInput & { id?: string };

/** A key as it travels over HTTP; the same bound on length as on a socket, and never echoed. */
const KEY_HEADER = /^[\x21-\x7e]{1,64}$/;
const TICKET = /^[\x21-\x7e]{1,160}$/;

/** `Edgechat-Key: <key>`; absent when there is no such header. */
export function parseKeyHeader(header: string | null): Parsed<string | undefined> {
  if (header === null) return { ok: true, value: undefined };
  const key = header.trim();
  return KEY_HEADER.test(key) ? { ok: true, value: key } : badRequest("`Edgechat-Key` must be a room key");
}

/** The body of `PATCH /api/rooms/:room/settings`: the fields of a `settings` frame, `id` optional. */
export function parseSettingsBody(body: unknown): Parsed<SettingsInput> {
  if (!isPlainObject(body)) return badRequest("the body must be a JSON object");
  const { id, ...fields } = body;
  const extra = Object.keys(fields).find((key) => !["topic", "read", "write", "slowMode", "locked"].includes(key));
  if (extra !== undefined) return badRequest(`unexpected field \`${extra.slice(0, 32)}\``);
  const checkedId = optionalId(id);
  if (!checkedId.ok) return checkedId;
  const changes = parseSettingChanges(fields);
  return changes.ok ? { ok: true, value: { ...changes.value, ...checkedId.value } } : changes;
}

const MODERATION_FIELDS: ReadonlySet<string> = new Set(["action", "user", "duration", "addressFor", "role", "reason"]);

/** The body of `POST /api/rooms/:room/moderation`: the fields of a `moderate` frame, `id` optional. */
export function parseModerationBody(body: unknown): Parsed<ModerationRequest> {
  if (!isPlainObject(body)) return badRequest("the body must be a JSON object");
  const { id, ...fields } = body;
  const extra = Object.keys(fields).find((key) => !MODERATION_FIELDS.has(key));
  if (extra !== undefined) return badRequest(`unexpected field \`${extra.slice(0, 32)}\``);
  const checkedId = optionalId(id);
  if (!checkedId.ok) return checkedId;
  const action = parseModeration(fields);
  return action.ok ? { ok: true, value: { ...action.value, ...checkedId.value } } : action;
}

/** The body of `POST /api/rooms/:room/keys`: the fields of a `mint` frame. */
export function parseKeyBody(body: unknown) {
  if (!isPlainObject(body)) return badRequest("the body must be a JSON object");
  const extra = Object.keys(body).find((key) => !["role", "expiresIn", "uses", "label"].includes(key));
  if (extra !== undefined) return badRequest(`unexpected field \`${extra.slice(0, 32)}\``);
  return parseKeyRequest(body);
}

/** The optional body of `POST /api/rooms/:room/redeem`: `{"name"?}`. */
export function parseRedeemBody(body: unknown): Parsed<{ name?: string }> {
  if (body === undefined) return { ok: true, value: {} };
  if (!isPlainObject(body)) return badRequest("the body must be a JSON object");
  const extra = Object.keys(body).find((key) => key !== "name");
  if (extra !== undefined) return badRequest(`unexpected field \`${extra.slice(0, 32)}\``);
  if (body.name === undefined) return { ok: true, value: {} };
  const name = parseDisplayName(body.name);
  return name.ok ? { ok: true, value: { name: name.value } } : name;
}

/** `?before=&limit=` of `GET /api/rooms/:room/audit`. */
export function parseAuditQuery(params: URLSearchParams): Parsed<{ before?: number; limit?: number }> {
  const fields: Record<string, unknown> = {};
  for (const name of ["before", "limit"]) {
    const values = params.getAll(name);
    if (values.length > 1) return badRequest(`\`${name}\` given twice`);
    const [value] = values;
    if (value !== undefined) fields[name] = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  }
  return parseAuditPage(fields);
}

/** The `:id` of `DELETE /api/rooms/:room/keys/:id`. */
export function parseKeyIdSegment(segment: string): Parsed<string> {
  return isKeyId(segment) ? { ok: true, value: segment } : badRequest("a key is named by its id, 8 base32 characters");
}

/** `?ticket=` of an event stream, when given. */
export function parseTicketParam(params: URLSearchParams): Parsed<string | undefined> {
  const values = params.getAll("ticket");
  if (values.length > 1) return badRequest("`ticket` given twice");
  const [ticket] = values;
  if (ticket === undefined) return { ok: true, value: undefined };
  return TICKET.test(ticket) ? { ok: true, value: ticket } : badRequest("`ticket` must be a read ticket");
}

/** `?reason=` of a moderator's `DELETE /api/rooms/:room/messages/:seq`, when given. */
export function parseReasonParam(params: URLSearchParams): Parsed<{ reason?: string }> {
  const values = params.getAll("reason");
  if (values.length > 1) return badRequest("`reason` given twice");
  const reason = optionalReason(values[0]);
  return reason.ok ? { ok: true, value: reason.value } : reason;
}

function optionalId(id: unknown): Parsed<{ id?: string }> {
  if (id === undefined) return { ok: true, value: {} };
  return typeof id === "string" && isValidClientId(id) ? { ok: true, value: { id } } : badRequest(CLIENT_ID_RULE);
}

function badRequest(message: string): FrameRefusal {
  return { ok: false, code: "bad_request", message };
}
