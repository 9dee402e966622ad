/**
 * Rooms with owners, enforced in the room that orders the log, before
 * anything is fanned out: who may read and write (checked on every frame,
 * post and connection), the actions that store `settings` and `moderation`
 * events, and the sockets and streams an action ends. The rules themselves
 * are protocol/roles.ts; this applies them to the room's state. The socket
 * and HTTP paths share every function here.
 */
import {
  CLIENT_FRAME,
  CLOSE_CODE,
  DEFAULT_SETTINGS,
  ERROR_CODE,
  type KeyRefusal,
  type LogEvent,
  type MessageEventFrame,
  MODERATION_ACTION,
  type ModerateFrame,
  type ModerationEventFrame,
  type Refusal,
  type RevokeFrame,
  SERVER_FRAME,
  type SettingName,
  type SettingsFrame,
  type User,
} from "../protocol/frames.ts";
import { rankOf } from "../protocol/role-rank.ts";
import {
  deleteAnyRefusal,
  isSlowed,
  keyRefusal,
  moderationRefusal,
  readRefusal,
  settingsRefusal,
  untilText,
  writeRefusal,
} from "../protocol/roles.ts";
import type { Outcome } from "./history.ts";
import { onDisconnect } from "./lifecycle.ts";
import type { StreamReader } from "./presence.ts";
import type { RoomParts } from "./room-parts.ts";
import { guestName } from "./users.ts";

/** A refusal of a reader, and the code a socket refused for it is closed with. */
/** How a kick and a ban close the subject's connections, the room's own and its relays' alike. */
export const REMOVALS = {
  kick: { code: CLOSE_CODE.kicked, reason: "removed by a moderator" },
  ban: { code: CLOSE_CODE.banned, reason: "banned from this room" },
} as const;

export interface ReadBar {
  refusal: Refusal;
  closeCode: number;
}

/** An event-storing outcome, and what must follow its broadcast (closing the sockets an action ends). */
export type OwnerOutcome = Outcome & { enforce?: () => void };

const NO_OWNER = "this room has no owner";

/** Why a new identity from `address` may not come in: a moderator's ban of someone who came from there. */
export function addressBar(room: RoomParts, address: string, now: number): ReadBar | null {
  const barredFor = room.cooldowns.remaining({ bannedAddress: address }, now);
  if (barredFor <= 0) return null;
  const message = `Newcomers from your network are banned from this room for ${untilText(barredFor)}`;
  return { refusal: forbidden(message), closeCode: CLOSE_CODE.banned };
}

/** Why a user (null: someone with no identity) may not read the room, or null when they may. */
export function readBar(room: RoomParts, userId: string | null): ReadBar | null {
  const settings = room.owners.settings;
  if (settings === null) return null;
  const standing = userId === null ? null : room.owners.standingOf(userId);
  if (standing?.banned) {
    return { refusal: forbidden("You are banned from this room"), closeCode: CLOSE_CODE.banned };
  }
  const refused = readRefusal(standing?.role ?? "guest", settings);
  return refused === null ? null : { refusal: forbidden(refused), closeCode: CLOSE_CODE.keyRequired };
}

/**
 * Redeems a key for a user: its role becomes theirs when it is above the
 * one they hold, spending a use. Returns why it granted nothing, if it
 * could not be used at all; a key for a role they already have is not an error.
 */
export function redeemKey(room: RoomParts, userId: string, secret: string, now: number): KeyRefusal | null {
  if (room.owners.settings === null) return "invalid";
  const checked = room.keys.check(secret, now);
  if (!checked.ok) return checked.reason;
  const { key } = checked;
  const standing = room.owners.standingOf(userId);
  // A banned identity stays banned; its key is not spent on it.
  if (standing.banned || rankOf(key.role) <= rankOf(standing.role)) return null;
  room.owners.grant(userId, key.role, key.id);
  room.keys.spend(key.id);
  return null;
}

/**
 * Stores a `send`, `edit`, `delete` or `react` once the room's settings,
 * the user's role, mute and slow mode allow it. A refused frame that
 * repeats a stored id is answered with its original ack, as any repeat is.
 */
export function applyMessageEvent(room: RoomParts, user: User, frame: MessageEventFrame, now: number): Outcome {
  const refusal = writeBar(room, user.id, frame.type === CLIENT_FRAME.send, now);
  if (refusal !== null) {
    const prior = room.history.priorAck(user.id, frame.id);
    return prior === null
      ? { ok: false, refusal: { ...refusal, id: frame.id } }
      : { ok: true, ack: prior, event: null };
  }
  const deleteAny = room.owners.settings !== null && deleteAnyRefusal(room.owners.roleOf(user.id)) === null;
  const outcome = room.history.apply(user, frame, now, deleteAny);
  if (outcome.ok && outcome.event?.type === SERVER_FRAME.message) room.owners.noteMessage(user, now);
  return outcome;
}

/** Why a user may not write now (`sending`: a new message, which slow mode spaces out), or null. */
export function writeBar(room: RoomParts, userId: string, sending: boolean, now: number): Refusal | null {
  const settings = room.owners.settings;
  if (settings === null) return null;
  const standing = room.owners.standingOf(userId);
  if (standing.banned) return forbidden("You are banned from this room");
  // Over HTTP a writer need not have connected: who may not read may not write either.
  const refused = readRefusal(standing.role, settings) ?? writeRefusal(standing, settings, now);
  if (refused !== null) return forbidden(refused);
  if (!sending || !isSlowed(standing.role, settings)) return null;
  const wait = room.owners.lastMessageAt(userId) + settings.slowMode * 1000 - now;
  if (wait <= 0) return null;
  return {
    code: ERROR_CODE.rateLimited,
    message: `Slow mode: you can send again in ${untilText(wait)}`,
    retryAfter: wait,
  };
}

/** Why someone without an identity may not write (or call), or null. */
export function guestWriteBar(room: RoomParts, now: number): Refusal | null {
  const settings = room.owners.settings;
  if (settings === null) return null;
  const refused = readRefusal("guest", settings) ?? writeRefusal({ role: "guest" }, settings, now);
  return refused === null ? null : forbidden(refused);
}

/** Stores a `settings`, `moderate` or `revoke` frame's event, once per (user, id), if the actor may. */
export function applyOwnerEvent(
  room: RoomParts,
  actor: User,
  frame: SettingsFrame | ModerateFrame | RevokeFrame,
  now: number,
): OwnerOutcome {
  const prior = room.history.priorAck(actor.id, frame.id);
  if (prior !== null) return { ok: true, ack: prior, event: null };
  const settings = room.owners.settings;
  if (settings === null) return refused(frame.id, forbidden(NO_OWNER));
  switch (frame.type) {
    case CLIENT_FRAME.settings:
      return changeSettings(room, actor, frame, now);
    case CLIENT_FRAME.moderate:
      return moderate(room, actor, frame, now);
    case CLIENT_FRAME.revoke:
      return revoke(room, actor, frame, now);
    default:
      return assertNever(frame);
  }
}

function changeSettings(room: RoomParts, actor: User, frame: SettingsFrame, now: number): OwnerOutcome {
  const { type: _type, id, ...changes } = frame;
  const names = Object.keys(changes) as SettingName[];
  const refusal = settingsRefusal(room.owners.roleOf(actor.id), names);
  if (refusal !== null) return refused(id, forbidden(refusal));
  const { settings, changed } = room.owners.change(changes);
  if (changed.length === 0) return { ok: true, ack: { type: SERVER_FRAME.ack, id, unchanged: true }, event: null };
  const fields = { settings, changed };
  const seq = room.history.appendRoomEvent(actor, id, { kind: "settings", fields }, now);
  const event: LogEvent = { type: SERVER_FRAME.settings, seq, ts: now, user: actor, ...fields };
  return { ok: true, ack: ackOf(id, seq, now), event, enforce: () => closeLostReaders(room) };
}

function moderate(room: RoomParts, actor: User, frame: ModerateFrame, now: number): OwnerOutcome {
  const { id, user: subjectId } = frame;
  if (!room.users.lastName(subjectId) && room.presence.user(subjectId) === undefined) {
    return refused(id, { code: ERROR_CODE.notFound, message: "this room has never seen that user" });
  }
  const newRole = frame.action === MODERATION_ACTION.role ? frame.role : undefined;
  const refusal = moderationRefusal(room.owners.roleOf(actor.id), frame.action, room.owners.roleOf(subjectId), newRole);
  if (refusal !== null) return refused(id, forbidden(refusal));
  const fields: Omit<ModerationEventFrame, "type" | "seq" | "ts" | "user"> = {
    action: frame.action,
    subject: { id: subjectId, name: nameOf(room, subjectId) },
    ...(frame.reason === undefined ? {} : { reason: frame.reason }),
  };
  let enforce: (() => void) | undefined;
  switch (frame.action) {
    case MODERATION_ACTION.mute:
      fields.until = now + frame.duration;
      room.owners.mute(subjectId, fields.until);
      break;
    case MODERATION_ACTION.unmute:
      room.owners.mute(subjectId, null);
      break;
    case MODERATION_ACTION.kick:
      enforce = () => closeUser(room, subjectId, REMOVALS.kick.code, REMOVALS.kick.reason);
      break;
    case MODERATION_ACTION.ban:
      room.owners.ban(subjectId, true);
      if (frame.addressFor !== undefined) fields.addressUntil = barAddresses(room, subjectId, now, frame.addressFor);
      enforce = () => {
        closeUser(room, subjectId, REMOVALS.ban.code, REMOVALS.ban.reason);
        room.events.closeUnless((reader) => !(reader !== null && "userId" in reader && reader.userId === subjectId));
      };
      break;
    case MODERATION_ACTION.unban:
      room.owners.ban(subjectId, false);
      break;
    case MODERATION_ACTION.role:
      fields.role = frame.role;
      room.owners.grant(subjectId, frame.role, null);
      enforce = () => closeLostReaders(room);
      break;
    default:
      return assertNever(frame);
  }
  const seq = room.history.appendRoomEvent(actor, id, { kind: "moderation", fields }, now);
  const event: LogEvent = { type: SERVER_FRAME.moderation, seq, ts: now, user: actor, ...fields };
  return { ok: true, ack: ackOf(id, seq, now), event, ...(enforce === undefined ? {} : { enforce }) };
}

function revoke(room: RoomParts, actor: User, frame: RevokeFrame, now: number): OwnerOutcome {
  const role = room.keys.roleOf(frame.key);
  if (role === null) return refused(frame.id, { code: ERROR_CODE.notFound, message: "this room has no such key" });
  const refusal = keyRefusal(room.owners.roleOf(actor.id), role);
  if (refusal !== null) return refused(frame.id, forbidden(refusal));
  room.keys.remove(frame.key);
  room.owners.revokeGrants(frame.key, actor.id);
  const fields = { action: MODERATION_ACTION.revoke, key: frame.key, role };
  const seq = room.history.appendRoomEvent(actor, frame.id, { kind: "moderation", fields }, now);
  const event: LogEvent = { type: SERVER_FRAME.moderation, seq, ts: now, user: actor, ...fields };
  return { ok: true, ack: ackOf(frame.id, seq, now), event, enforce: () => closeLostReaders(room) };
}

/**
 * Gives a room its owner: its first settings, stored as a `settings` event
 * without a user, and an owner key. Null when the room already has one.
 */
export function claimRoom(room: RoomParts, now: number): { secret: string; event: LogEvent } | null {
  if (!room.owners.claim()) return null;
  const minted = room.keys.mint({ role: "owner" }, null, now);
  if (!minted.ok) throw new Error("a room without an owner holds keys");
  const fields = { settings: DEFAULT_SETTINGS, changed: Object.keys(DEFAULT_SETTINGS) as SettingName[] };
  const seq = room.history.appendRoomEvent(null, `claim-${crypto.randomUUID()}`, { kind: "settings", fields }, now);
  return { secret: minted.secret, event: { type: SERVER_FRAME.settings, seq, ts: now, ...fields } };
}

/** The name a user goes by now: online, remembered, or their guest name. */
export function nameOf(room: RoomParts, userId: string): string {
  return room.presence.user(userId)?.name ?? room.users.lastName(userId) ?? guestName(userId);
}

/** Whether an event stream's reader may still read the room. */
export function mayStillRead(room: RoomParts, reader: StreamReader): boolean {
  const settings = room.owners.settings;
  if (settings === null) return true;
  if (reader === null) return readRefusal("guest", settings) === null;
  if ("userId" in reader) return readBar(room, reader.userId) === null;
  const role = room.keys.roleOf(reader.keyId);
  return role !== null && readRefusal(role, settings) === null;
}

/** Closes the sockets and streams of everyone who may no longer read the room (4004, or 4003 for a ban). */
function closeLostReaders(room: RoomParts): void {
  if (room.owners.settings?.read !== "keys") return;
  for (const [ws, connection] of [...room.presence.connections()]) {
    const bar = readBar(room, connection.userId);
    if (bar !== null) closeSocket(room, ws, bar.closeCode, bar.refusal.message);
  }
  room.events.closeUnless((reader) => mayStillRead(room, reader));
}

/** Closes every connection of a user with `code`: they leave the room at once. */
function closeUser(room: RoomParts, userId: string, code: number, reason: string): void {
  for (const ws of [...room.presence.socketsOf(userId)]) closeSocket(room, ws, code, reason);
}

function closeSocket(room: RoomParts, ws: WebSocket, code: number, reason: string): void {
  // What waits for the connection (the event that closes it among them) goes before the close.
  room.fanout.flush();
  onDisconnect(room, ws);
  try {
    ws.close(code, reason);
  } catch {
    // Already closing: the user has left either way.
  }
}

/** Bars new identities from the addresses of the user's open connections; returns when the bar ends. */
function barAddresses(room: RoomParts, userId: string, now: number, duration: number): number {
  const until = now + duration;
  const addresses = new Set(
    [...room.presence.connections()].filter(([, c]) => c.userId === userId).map(([, c]) => c.address),
  );
  room.cooldowns.bar(
    [...addresses].map((address) => ({ bannedAddress: address })),
    until,
    now,
  );
  return until;
}

function ackOf(id: string, seq: number, ts: number) {
  return { type: SERVER_FRAME.ack, id, seq, ts } as const;
}

export function forbidden(message: string): Refusal {
  return { code: ERROR_CODE.forbidden, message };
}

function refused(id: string, refusal: Refusal): OwnerOutcome {
  return { ok: false, refusal: { ...refusal, id } };
}

function assertNever(_value: never): never {
  throw new Error("an owner frame without a handler");
}
