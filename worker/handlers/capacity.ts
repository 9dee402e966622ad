import { HttpError } from "../http-error.ts";
import { ERROR_CODE } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";

/** Refuses a new connection or event stream with 503 room_full once the room holds MAX_CONNECTIONS of them. */
export function ensureCapacity(room: RoomParts): void {
  if (room.presence.connectionCount + room.events.count >= room.limits.maxConnections) {
    throw new HttpError(503, ERROR_CODE.roomFull, "this room is at capacity; try again later");
  }
}
