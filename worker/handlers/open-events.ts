/**
 * `GET /api/rooms/:room/events`: a Server-Sent Events stream. It opens with
 * a `welcome` event, replays the messages after Last-Event-ID exactly as a
 * WebSocket resume with `since` does, then carries the room's broadcasts.
 * Replay and registration happen in one synchronous step, so no message can
 * fall between them.
 */
import { sseEvent } from "../event-streams.ts";
import { type EventStreamWelcome, encodeFrame, FRAME_LIMITS, type Message, SERVER_FRAME } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";
import { ensureCapacity } from "./admission.ts";

/** How long an EventSource waits before reconnecting after the stream drops. */
const RECONNECT_MS = 2000;

export function openEvents(room: RoomParts, since: number | undefined): Response {
  ensureCapacity(room);
  const welcome: EventStreamWelcome = {
    room: room.name,
    onlineCount: room.presence.userCount,
    lastSeq: room.history.lastSeq,
  };
  let replay: Message[];
  if (since === undefined) {
    replay = room.history.latest(FRAME_LIMITS.welcomeHistory);
  } else {
    const window = room.history.resume(since, room.limits.resumeLimit);
    replay = window.messages;
    if (window.more) welcome.more = true;
    if (window.truncated) welcome.truncated = true;
  }
  let opening = `retry: ${RECONNECT_MS}\n\n${sseEvent(SERVER_FRAME.welcome, encodeFrame(welcome))}`;
  for (const message of replay) {
    opening += sseEvent(SERVER_FRAME.message, encodeFrame({ type: SERVER_FRAME.message, ...message }), message.seq);
  }
  return new Response(room.events.open(opening), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Accel-Buffering": "no",
    },
  });
}
