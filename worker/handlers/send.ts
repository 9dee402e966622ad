/**
 * `send`: rate-limit, store once per (user, id), then ack the sender and
 * broadcast. The Durable Object's output gate holds the ack and the
 * broadcast until the write is durable, so nothing is acknowledged that a
 * crash could lose.
 */
import { ERROR_CODE, SERVER_FRAME, type SendFrame } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";
import { refuse } from "./refuse.ts";

export function onSend(room: RoomParts, ws: WebSocket, frame: SendFrame): void {
  const user = room.presence.userOf(ws);
  if (user === undefined) return;
  const now = Date.now();
  const take = room.limiter.take(user.id, now);
  if (!take.ok) {
    const message = `more than ${room.limits.sendRatePerSecond} messages per second`;
    refuse(room, ws, { code: ERROR_CODE.rateLimited, message, id: frame.id, retryAfter: take.retryAfter });
    return;
  }
  const { message, created } = room.history.store(user, frame.id, frame.text, now);
  room.fanout.send(ws, { type: SERVER_FRAME.ack, id: message.id, seq: message.seq, ts: message.ts });
  if (created) room.fanout.broadcast({ type: SERVER_FRAME.message, ...message });
}
