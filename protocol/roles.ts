/**
 * Who may do what in a room with owners: the one statement of the rules in
 * docs/protocol.md ("What each role may do"). The Room enforces them; the
 * web client reads them to offer only what the person may do. Each check
 * returns null when allowed, or the sentence a refused person reads.
 */
import { MODERATION_ACTION, type ModerationAction, type Role, type SettingName, type Settings } from "./frames.ts";
import { isAtLeast, mayDeleteAny, rankOf } from "./role-rank.ts";

/** What a person may still be refused for while holding a role: a mute, in ms since the epoch. */
export interface Standing {
  role: Role;
  mutedUntil?: number;
}

/** Whether someone may read the room (connect, page, search, follow, list members). */
export function readRefusal(role: Role, settings: Settings): string | null {
  if (settings.read === "keys" && !isAtLeast(role, "reader")) return "This room is for people with an invite link";
  return null;
}

/** Whether someone may send, edit or delete their own messages, react and type. */
export function writeRefusal({ role, mutedUntil }: Standing, settings: Settings, now: number): string | null {
  if (mutedUntil !== undefined && mutedUntil > now) return `You are muted for ${untilText(mutedUntil - now)}`;
  if (isAtLeast(role, "moderator")) return null;
  if (settings.locked) return "This room is locked: only moderators can write";
  if (role === "reader") return "You can read this room but not write in it";
  if (settings.write === "moderators") return "Only moderators can write here";
  if (settings.write === "members" && !isAtLeast(role, "member")) return "Only members can write here";
  return null;
}

/** Whether slow mode holds this person back. */
export function isSlowed(role: Role, settings: Settings): boolean {
  return settings.slowMode > 0 && !isAtLeast(role, "moderator");
}

/** Whether someone may delete a message that is not theirs. */
export function deleteAnyRefusal(role: Role): string | null {
  return mayDeleteAny(role) ? null : "Only moderators can delete other people's messages";
}

/** The settings moderators may change; the others are the owners'. */
const MODERATOR_SETTINGS: ReadonlySet<SettingName> = new Set(["topic", "slowMode", "locked"]);

/** Whether someone may change these settings. */
export function settingsRefusal(role: Role, changed: readonly SettingName[]): string | null {
  if (!isAtLeast(role, "moderator")) return "Only moderators can change this room's settings";
  if (role !== "owner" && changed.some((name) => !MODERATOR_SETTINGS.has(name))) {
    return "Only owners can change who may read and who may write";
  }
  return null;
}

/**
 * Whether `actor` may take `action` on a user holding `subject`, and, for
 * `role`, give them `newRole`: only on someone below oneself, and a role
 * below one's own (owners may give any, `owner` included).
 */
export function moderationRefusal(actor: Role, action: ModerationAction, subject: Role, newRole?: Role): string | null {
  if (!isAtLeast(actor, "moderator")) return "Only moderators can do that";
  if (rankOf(subject) >= rankOf(actor)) return `You cannot ${action} someone whose role is not below yours`;
  if (action === MODERATION_ACTION.role && newRole !== undefined && !mayGrant(actor, newRole)) {
    return `You cannot give the role ${newRole}`;
  }
  return null;
}

/** Whether someone may make a key for `role`, or revoke or list one. */
export function keyRefusal(actor: Role, role: Role): string | null {
  if (!isAtLeast(actor, "moderator")) return "Only moderators can manage invite links";
  return mayGrant(actor, role) ? null : `You cannot manage links for the role ${role}`;
}

/** Whether someone may read the moderation record. */
export function auditRefusal(role: Role): string | null {
  return isAtLeast(role, "moderator") ? null : "Only moderators can read the moderation record";
}

/** A role below one's own, or any role for an owner. */
function mayGrant(actor: Role, role: Role): boolean {
  return actor === "owner" || rankOf(role) < rankOf(actor);
}

/** A duration as a person reads it: "12 s", "4 min", "3 h", "2 days". */
export function untilText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.ceil(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.ceil(hours / 24)} days`;
}
