/**
 * Refusing a frame: a typed error to that connection only. A connection that
 * has been refused more than the abuse limit within the abuse window is
 * closed with 1008 (policy violation), and its user, and new identities from
 * its address, are barred from the room for the abuse cool-down; nothing
 * else is affected.
 */
import { CLOSE_CODE, type ErrorCode, type ErrorFrame, SERVER_FRAME } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";
import { onDisconnect } from "./disconnect.ts";

export interface Refusal {
  code: ErrorCode;
  message: string;
  id?: string;
  retryAfter?: number;
}

export function refuse(room: RoomParts, ws: WebSocket, { code, message, id, retryAfter }: Refusal): void {
  const frame: ErrorFrame = { type: SERVER_FRAME.error, code, message };
  if (id !== undefined) frame.id = id;
  if (retryAfter !== undefined) frame.retryAfter = retryAfter;
  room.fanout.send(ws, frame);
  const { abuseErrorLimit, abuseWindowMs, abuseCooldownMs } = room.limits;
  const now = Date.now();
  const abusive = room.presence.countError(ws, now, abuseErrorLimit, abuseWindowMs);
  if (abusive !== null) {
    room.cooldowns.bar([{ user: abusive.userId }, { newUsersFrom: abusive.address }], now + abuseCooldownMs, now);
    onDisconnect(room, ws);
    ws.close(CLOSE_CODE.policyViolation, "too many refused frames");
  }
}
