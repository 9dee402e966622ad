/**
 * The room's answers to the HTTP routes of rooms with owners, which the
 * Worker forwards once it has checked the request: claiming the room,
 * redeeming a key, who may read a key-only room and the read tickets of its
 * event streams, and every owner action, taken as the user of the Bearer
 * token after any key beside it is redeemed for them. Refusals are values,
 * as Durable Object RPC keeps no error's fields.
 */
import {
  ERROR_CODE,
  FRAME_LIMITS,
  type KeyInfo,
  type LogEvent,
  type Refusal,
  type Role,
  type Settings,
  type User,
} from "../protocol/frames.ts";
import type { Credentials, ModerationRequest, SettingsInput } from "../protocol/owner-http-params.ts";
import { isAtLeast } from "../protocol/role-rank.ts";
import { readRefusal } from "../protocol/roles.ts";
import { sendRateRefusal } from "./frames.ts";
import { admit, presentUser } from "./lifecycle.ts";
import {
  addressBar,
  applyOwnerEvent,
  claimRoom,
  forbidden,
  guestWriteBar,
  readBar,
  redeemKey,
  writeBar,
} from "./moderation.ts";
import { type Answer, auditPage, listKeys, memberList, mintKey } from "./owner-requests.ts";
import type { StreamReader } from "./presence.ts";
import type { KeyRequest } from "./room-keys.ts";
import { inTransaction, type RoomParts } from "./room-parts.ts";
import { newUserId } from "./users.ts";

/** An owner action over HTTP, as the Worker parsed it. */
export type OwnerAction =
  | { kind: "settings"; input: SettingsInput }
  | { kind: "moderate"; input: ModerationRequest }
  | { kind: "revoke"; key: string }
  | { kind: "mint"; input: KeyRequest }
  | { kind: "keys" }
  | { kind: "audit"; before?: number; limit?: number };

export type OwnerActionResult =
  | { settings: Settings }
  | { event: LogEvent }
  | { key: KeyInfo; secret: string }
  | { keys: KeyInfo[] }
  | { events: LogEvent[]; hasMore: boolean };

const NEEDS_TOKEN = "this action needs the token of the user who takes it (Authorization: Bearer)";

/** `POST /api/rooms` and `.../claim`: the owner key of a room that had no owner, or `conflict`. */
export function claim(room: RoomParts): Answer<{ room: string; key: string }> {
  const claimed = inTransaction(room, () => claimRoom(room, Date.now()));
  if (claimed === null)
    return { ok: false, refusal: { code: ERROR_CODE.conflict, message: "this room already has an owner" } };
  room.fanout.broadcast(claimed.event);
  return { ok: true, value: { room: room.name, key: claimed.secret } };
}

/**
 * Who may read, for a request that reads: in an open room anyone (null
 * reader); in a key-only room the user of a token who may, or a key of
 * reader or above (checked, not redeemed).
 */
export async function readerOf(room: RoomParts, { token, key }: Credentials): Promise<Answer<StreamReader>> {
  const settings = room.owners.settings;
  if (settings === null || readRefusal("guest", settings) === null) return { ok: true, value: null };
  const userId = token === undefined ? null : await room.tokens.userOf(token);
  if (userId !== null) {
    const bar = readBar(room, userId);
    if (bar === null) return { ok: true, value: { userId } };
    if (room.owners.standingOf(userId).banned) return { ok: false, refusal: bar.refusal };
  }
  if (key !== undefined) {
    const checked = room.keys.check(key, Date.now());
    if (checked.ok && isAtLeast(checked.key.role, "reader")) return { ok: true, value: { keyId: checked.key.id } };
  }
  return { ok: false, refusal: forbidden("This room is for people with an invite link: send a reader's token or key") };
}

/** `POST .../tickets`: a ticket that opens event streams for a few minutes, for whoever may read now. */
export async function issueTicket(
  room: RoomParts,
  credentials: Credentials,
): Promise<Answer<{ ticket: string; expiresAt: number }>> {
  const reader = await readerOf(room, credentials);
  if (!reader.ok) return reader;
  const expiresAt = Date.now() + FRAME_LIMITS.ticketLifetimeMs;
  // In an open room anyone may read; the ticket then names nobody and is only proof of nothing, so none is needed.
  if (reader.value === null)
    return { ok: false, refusal: { code: ERROR_CODE.badRequest, message: "this room's stream needs no ticket" } };
  return { ok: true, value: { ticket: await room.tokens.ticketFor(reader.value, expiresAt), expiresAt } };
}

/** `GET .../settings`: the settings (null without an owner) and the caller's role. */
export async function settingsFor(
  room: RoomParts,
  credentials: Credentials,
): Promise<Answer<{ settings: Settings | null; role: Role }>> {
  const reader = await readerOf(room, credentials);
  if (!reader.ok) return reader;
  const userId = credentials.token === undefined ? null : await room.tokens.userOf(credentials.token);
  const keyRole = credentials.key === undefined ? null : keyRoleOf(room, credentials.key);
  const role = userId !== null ? room.owners.roleOf(userId) : (keyRole ?? "guest");
  return { ok: true, value: { settings: room.owners.settings, role } };
}

/** `GET .../ice`: whether the caller may join the room's call, as the `call` frame would judge it. */
export async function callAccess(room: RoomParts, { token }: Credentials): Promise<Answer<null>> {
  if (room.owners.settings === null) return { ok: true, value: null };
  const userId = token === undefined ? null : await room.tokens.userOf(token);
  const now = Date.now();
  // Without a token the caller is judged as a guest, as a new connection would be.
  const refusal = userId === null ? guestWriteBar(room, now) : writeBar(room, userId, false, now);
  return refusal === null ? { ok: true, value: null } : { ok: false, refusal };
}

/** `GET .../members`, for whoever may read. */
export async function membersFor(room: RoomParts, credentials: Credentials) {
  const reader = await readerOf(room, credentials);
  if (!reader.ok) return reader;
  return { ok: true as const, value: { members: memberList(room, Date.now()) } };
}

/**
 * `POST .../redeem`: the key's role for the token's user, or for a new user
 * (counted like any new identity), and their token. A key that grants
 * nothing is `forbidden`, with the reason and never the key.
 */
export async function redeem(
  room: RoomParts,
  { token, key }: Credentials,
  name: string | undefined,
  address: string,
): Promise<Answer<{ user: User; role: Role; token: string }>> {
  if (key === undefined)
    return { ok: false, refusal: { code: ERROR_CODE.badRequest, message: "send the key in Edgechat-Key" } };
  const claimed = token === undefined ? null : await room.tokens.userOf(token);
  const now = Date.now();
  const refusal =
    admit(room, claimed, address, now) ?? (claimed === null ? addressBar(room, address, now)?.refusal : null) ?? null;
  if (refusal !== null) return { ok: false, refusal };
  const userId = claimed ?? newUserId();
  const result = inTransaction(room, () => {
    const refused = redeemKey(room, userId, key, now);
    if (refused !== null)
      return { ok: false as const, refusal: forbidden(`this key grants nothing: ${refused.replace("_", " ")}`) };
    if (room.owners.standingOf(userId).banned)
      return { ok: false as const, refusal: forbidden("You are banned from this room") };
    return { ok: true as const, user: presentUser(room, userId, claimed !== null, name, now) };
  });
  if (!result.ok) return result;
  return {
    ok: true,
    value: {
      user: result.user,
      role: room.owners.roleOf(userId),
      token: token ?? (await room.tokens.tokenFor(userId)),
    },
  };
}

/** An owner action, as the user of the Bearer token; a key beside the token is redeemed for them first. */
export async function act(
  room: RoomParts,
  action: OwnerAction,
  { token, key }: Credentials,
  address: string,
): Promise<Answer<OwnerActionResult>> {
  const userId = token === undefined ? null : await room.tokens.userOf(token);
  if (userId === null) return { ok: false, refusal: forbidden(NEEDS_TOKEN) };
  const now = Date.now();
  const admitted = admit(room, userId, address, now);
  if (admitted !== null) return { ok: false, refusal: admitted };
  const writes =
    action.kind === "settings" || action.kind === "moderate" || action.kind === "revoke" || action.kind === "mint";
  if (writes) {
    const take = room.limiter.take(userId, now, "post");
    if (!take.ok) return { ok: false, refusal: sendRateRefusal(room, take.retryAfter) };
  }
  return inTransaction(room, (): Answer<OwnerActionResult> => {
    if (key !== undefined) redeemKey(room, userId, key, now);
    if (room.owners.standingOf(userId).banned)
      return { ok: false, refusal: forbidden("You are banned from this room") };
    const actor = presentUser(room, userId, true, undefined, now);
    return takeAction(room, actor, action, now);
  });
}

function takeAction(room: RoomParts, actor: User, action: OwnerAction, now: number): Answer<OwnerActionResult> {
  switch (action.kind) {
    case "mint":
      return mintKey(room, actor, action.input, now);
    case "keys": {
      const keys = listKeys(room, actor);
      return keys.ok ? { ok: true, value: { keys: keys.value } } : keys;
    }
    case "audit":
      return auditPage(room, actor, action.before, action.limit);
    case "settings":
      return stored(
        room,
        actor,
        { type: "settings", id: action.input.id ?? crypto.randomUUID(), ...action.input },
        now,
      );
    case "moderate":
      return stored(
        room,
        actor,
        { type: "moderate", ...action.input, id: action.input.id ?? crypto.randomUUID() },
        now,
      );
    case "revoke":
      return stored(room, actor, { type: "revoke", id: crypto.randomUUID(), key: action.key }, now);
    default:
      return assertNever(action);
  }
}

/** Stores an owner event as its frame would, broadcasts it, and answers with the event (or, for settings, the settings). */
function stored(
  room: RoomParts,
  actor: User,
  frame: Parameters<typeof applyOwnerEvent>[2],
  now: number,
): Answer<OwnerActionResult> {
  const outcome = applyOwnerEvent(room, actor, frame, now);
  if (!outcome.ok) {
    const { id: _id, ...refusal }: Refusal = outcome.refusal;
    return { ok: false, refusal };
  }
  if (outcome.event !== null) room.fanout.broadcast(outcome.event);
  outcome.enforce?.();
  if (frame.type === "settings") {
    const settings = room.owners.settings;
    if (settings === null) throw new Error("settings were stored in a room without an owner");
    return { ok: true, value: { settings } };
  }
  // A repeat of a used id answers with the event it first stored.
  const event =
    outcome.event ?? ("seq" in outcome.ack ? room.history.catchUp(outcome.ack.seq - 1, 1).events[0] : undefined);
  if (event === undefined)
    return { ok: false, refusal: { code: ERROR_CODE.notFound, message: "the event of this id is no longer retained" } };
  return { ok: true, value: { event } };
}

function keyRoleOf(room: RoomParts, key: string): Role | null {
  const checked = room.keys.check(key, Date.now());
  return checked.ok ? checked.key.role : null;
}

function assertNever(_value: never): never {
  throw new Error("an owner action without a handler");
}
