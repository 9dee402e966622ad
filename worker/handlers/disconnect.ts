import { announceLeave } from "../handlers/announce.ts";
import type { RoomParts } from "../room-parts.ts";

/** A connection closed, failed or was closed by the room; a user's last one makes them leave. */
export function onDisconnect(room: RoomParts, ws: WebSocket): void {
  const gone = room.presence.disconnect(ws);
  if (gone === null || !gone.last) return;
  announceLeave(room, gone.user);
  room.limiter.prune(Date.now());
}
