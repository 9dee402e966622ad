import { SERVER_FRAME } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";

/** `typing`: relayed to the other users at most once per interval per user, never stored. */
export function onTyping(room: RoomParts, ws: WebSocket): void {
  const user = room.presence.userOf(ws);
  if (user === undefined || !room.presence.claimTyping(ws, Date.now(), room.limits.typingIntervalMs)) return;
  room.fanout.broadcast({ type: SERVER_FRAME.typing, user }, user.id);
}
