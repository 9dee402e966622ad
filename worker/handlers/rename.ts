import { type RenameRequestFrame, SERVER_FRAME } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";

/** `rename`: the user's new name on all their connections, remembered, and told to everyone. */
export function onRename(room: RoomParts, ws: WebSocket, frame: RenameRequestFrame): void {
  const user = room.presence.userOf(ws);
  if (user !== undefined) renameUser(room, user.id, frame.name);
}

/** Renames an online user; a name equal to the current one changes nothing and sends nothing. */
export function renameUser(room: RoomParts, userId: string, name: string): void {
  const previous = room.presence.rename(userId, name);
  if (previous === null || previous === name) return;
  room.users.remember(userId, name, Date.now());
  room.fanout.broadcast({ type: SERVER_FRAME.rename, user: { id: userId, name }, previous });
}
