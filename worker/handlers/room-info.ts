import type { RoomParts } from "../room-parts.ts";

export interface RoomInfo {
  room: string;
  /** Online users (WebSocket), not connections. */
  online: number;
  lastSeq: number;
  /** Open Server-Sent Events streams; they are not online users. */
  listeners: number;
}

/** `GET /api/rooms/:room`: what the room is like right now. */
export function roomInfo(room: RoomParts): RoomInfo {
  return {
    room: room.name,
    online: room.presence.userCount,
    lastSeq: room.history.lastSeq,
    listeners: room.events.count,
  };
}
