/**
 * What happens to raw data from a connection before any handler sees it: a
 * heartbeat is answered, a frame that breaks the protocol is refused with
 * its typed error, and a valid frame beyond the connection's frame budget is
 * refused with `rate_limited`. Only an admitted frame reaches a handler.
 */

import { parseClientFrame } from "../parse-client-frame.ts";
import { CLIENT_FRAME, type ClientFrame, ERROR_CODE, HEARTBEAT } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";
import { refuse } from "./refuse.ts";

export function admitFrame(room: RoomParts, ws: WebSocket, data: string | ArrayBuffer): ClientFrame | null {
  if (room.presence.userOf(ws) === undefined) return null;
  if (data === HEARTBEAT.ping) {
    room.fanout.pong(ws);
    return null;
  }
  const parsed = parseClientFrame(data, room.limits.maxFrameBytes);
  if (!parsed.ok) {
    refuse(room, ws, parsed);
    return null;
  }
  const budget = room.frames.take(ws, Date.now());
  if (!budget.ok) {
    const { frame } = parsed;
    refuse(room, ws, {
      code: ERROR_CODE.rateLimited,
      message: `more than ${room.limits.frameRatePerSecond} frames per second`,
      retryAfter: budget.retryAfter,
      ...(frame.type === CLIENT_FRAME.send ? { id: frame.id } : {}),
    });
    return null;
  }
  return parsed.frame;
}
