/**
 * How roles rank, apart from the rest of the rules (roles.ts), so that
 * what every visitor's page needs of them stays small: the room page
 * bundles this, and loads the rules with the tools of an owned room.
 */
import { ROLES, type Role } from "./frames.ts";

/** A role's standing: guest 0 up to owner 4. */
export function rankOf(role: Role): number {
  return ROLES.length - 1 - ROLES.indexOf(role);
}

/** Whether `role` is at least `floor`. */
export function isAtLeast(role: Role, floor: Role): boolean {
  return rankOf(role) >= rankOf(floor);
}

/** Whether a role may delete messages that are not its holder's: moderators and up. */
export function mayDeleteAny(role: Role): boolean {
  return isAtLeast(role, "moderator");
}
