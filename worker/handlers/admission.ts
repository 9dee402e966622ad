/** Whether a new connection or event stream may open, checked before any work is spent on it. */
import type { CooldownSubject } from "../cooldowns.ts";
import { HttpError } from "../http-error.ts";
import { ERROR_CODE } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";

/** Refuses a new connection or event stream with 503 room_full once the room holds MAX_CONNECTIONS of them. */
export function ensureCapacity(room: RoomParts): void {
  if (room.presence.connectionCount + room.events.count >= room.limits.maxConnections) {
    throw new HttpError(503, ERROR_CODE.roomFull, "this room is at capacity; try again later");
  }
}

/** Refuses with 429 rate_limited a user (or a new identity from an address) in a cool-down after abuse. */
export function ensureNotBarred(room: RoomParts, subject: CooldownSubject, now: number): void {
  const retryAfter = room.cooldowns.remaining(subject, now);
  if (retryAfter > 0) {
    throw new HttpError(429, ERROR_CODE.rateLimited, "closed for abuse a moment ago; wait before coming back", {
      retryAfter,
    });
  }
}
