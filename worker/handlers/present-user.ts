import { guestName } from "../identity.ts";
import type { User } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";
import { renameUser } from "./rename.ts";

/**
 * Who a user appears as when they connect or post: the name they give now,
 * else the one they have online, else the one the room remembers of a
 * returning user, else their guest name. An online user is renamed on every
 * connection; only a chosen name is stored, as a guest's is derived from the id.
 */
export function presentUser(
  room: RoomParts,
  userId: string,
  returning: boolean,
  chosenName: string | undefined,
  now: number,
): User {
  const online = room.presence.user(userId);
  const known = returning ? room.users.lastName(userId) : null;
  const user: User = { id: userId, name: chosenName ?? online?.name ?? known ?? guestName(userId) };
  if (online !== undefined) renameUser(room, userId, user.name);
  if (chosenName !== undefined || known !== null) room.users.remember(userId, user.name, now);
  return user;
}
