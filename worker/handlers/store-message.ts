import type { Message, User } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";

/**
 * Stores a message once per (user, client id). A repeat returns the message
 * already stored, so a retry never makes a second one; `created` says which.
 * The caller broadcasts a created message, after answering its sender.
 */
export function storeMessage(
  room: RoomParts,
  user: User,
  clientId: string,
  text: string,
  now: number,
): { message: Message; created: boolean } {
  const stored = room.history.find(user.id, clientId);
  if (stored !== null) return { message: stored, created: false };
  return { message: room.history.append(user, clientId, text, now), created: true };
}
