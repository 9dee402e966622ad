/**
 * The requests of a room with owners that are answered to the asker alone:
 * minting a key, the keys one may manage, the moderation record and the
 * member list. Each is a value or a refusal, for a frame and its HTTP twin
 * alike.
 */
import { FRAME_LIMITS, type KeyInfo, type LogEvent, type Member, type Refusal, type User } from "../protocol/frames.ts";
import { auditRefusal, keyRefusal } from "../protocol/roles.ts";
import { forbidden, nameOf } from "./moderation.ts";
import type { KeyRequest } from "./room-keys.ts";
import type { RoomParts } from "./room-parts.ts";

export type Answer<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

const NO_OWNER = "this room has no owner";

/** `mint`: a key for a role the actor may grant; its secret is in this answer only. */
export function mintKey(
  room: RoomParts,
  actor: User,
  request: KeyRequest,
  now: number,
): Answer<{ key: KeyInfo; secret: string }> {
  if (room.owners.settings === null) return { ok: false, refusal: forbidden(NO_OWNER) };
  const refusal = keyRefusal(room.owners.roleOf(actor.id), request.role);
  if (refusal !== null) return { ok: false, refusal: forbidden(refusal) };
  const minted = room.keys.mint(request, actor, now);
  return minted.ok ? { ok: true, value: { key: minted.key, secret: minted.secret } } : minted;
}

/** `keys`: the keys the actor may revoke, newest first. */
export function listKeys(room: RoomParts, actor: User): Answer<KeyInfo[]> {
  if (room.owners.settings === null) return { ok: false, refusal: forbidden(NO_OWNER) };
  const role = room.owners.roleOf(actor.id);
  const refusal = keyRefusal(role, "reader");
  if (refusal !== null) return { ok: false, refusal: forbidden(refusal) };
  return { ok: true, value: room.keys.list((keyRole) => keyRefusal(role, keyRole) === null) };
}

/** `audit`: settings and moderation events, and moderators' deletions, newest first. */
export function auditPage(
  room: RoomParts,
  actor: User,
  before: number | undefined,
  limit: number | undefined,
): Answer<{ events: LogEvent[]; hasMore: boolean }> {
  if (room.owners.settings === null) return { ok: false, refusal: forbidden(NO_OWNER) };
  const refusal = auditRefusal(room.owners.roleOf(actor.id));
  if (refusal !== null) return { ok: false, refusal: forbidden(refusal) };
  return { ok: true, value: room.history.audit(before, limit ?? FRAME_LIMITS.auditPageDefault) };
}

/** `members`: users with a role, a mute or a ban, highest role first; none in a room without owners. */
export function memberList(room: RoomParts, now: number): Member[] {
  if (room.owners.settings === null) return [];
  return room.owners.members((userId) => nameOf(room, userId), now);
}
