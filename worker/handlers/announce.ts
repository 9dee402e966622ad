/**
 * Telling the room who came and went. Presence is exact up to the presence
 * limit: every join and leave is broadcast. Above it the room is "large":
 * joins and leaves go unannounced and a throttled occupancy count replaces
 * them, so a connection storm costs linear, not quadratic, work. Falling back
 * to the limit sends everyone the full list once, and exact presence resumes.
 */
import { SERVER_FRAME, type User } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";

/** A user's first connection opened. */
export function announceJoin(room: RoomParts, user: User): void {
  const online = room.presence.userCount;
  if (online <= room.limits.presenceLimit) {
    room.fanout.broadcast({ type: SERVER_FRAME.join, user, online }, user.id);
  } else {
    room.occupancy.changed(Date.now());
  }
}

/** A user's last connection closed. */
export function announceLeave(room: RoomParts, user: User): void {
  const online = room.presence.userCount;
  const limit = room.limits.presenceLimit;
  if (online + 1 <= limit) {
    room.fanout.broadcast({ type: SERVER_FRAME.leave, user, online });
  } else if (online <= limit) {
    room.fanout.broadcast({ type: SERVER_FRAME.presence, online: room.presence.list(limit), onlineCount: online });
  } else {
    room.occupancy.changed(Date.now());
  }
}
