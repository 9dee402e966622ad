/**
 * Refusing a frame: a typed error to that connection only. A connection that
 * has been refused more than the abuse limit within the abuse window is
 * closed with 1008 (policy violation); nothing else is affected.
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
  const { abuseErrorLimit, abuseWindowMs } = room.limits;
  if (room.presence.countError(ws, Date.now(), abuseErrorLimit, abuseWindowMs)) {
    onDisconnect(room, ws);
    ws.close(CLOSE_CODE.policyViolation, "too many refused frames");
  }
}
