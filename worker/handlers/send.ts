/**
 * `send`: rate-limit, deduplicate on (user, id), store under the next seq,
 * then ack the sender and broadcast. The Durable Object's output gate holds
 * the ack and the broadcast until the write is durable, so nothing is
 * acknowledged that a crash could lose.
 */
import { type AckFrame, ERROR_CODE, type Message, SERVER_FRAME, type SendFrame } from "../protocol.ts";
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
  const stored = room.history.find(user.id, frame.id);
  if (stored !== null) {
    room.fanout.send(ws, ackOf(stored));
    return;
  }
  const message = room.history.append(user, frame.id, frame.text, now);
  room.fanout.send(ws, ackOf(message));
  room.fanout.broadcast({ type: SERVER_FRAME.message, ...message });
}

function ackOf({ id, seq, ts }: Message): AckFrame {
  return { type: SERVER_FRAME.ack, id, seq, ts };
}
