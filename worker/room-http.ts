/**
 * The room's answers to the HTTP API, which the Worker forwards after
 * checking the request: the room's vital signs, a post (the HTTP twin of a
 * WebSocket `send`), and a Server-Sent Events stream.
 */
import {
  ERROR_CODE,
  type EventStreamWelcome,
  encodeFrame,
  type Message,
  type Refusal,
  SERVER_FRAME,
} from "../protocol/frames.ts";
import type { PostInput } from "../protocol/http-params.ts";
import { admit, ensureCapacity, presentUser } from "./lifecycle.ts";
import { sseEvent } from "./presence.ts";
import type { RoomParts } from "./room-parts.ts";
import { newUserId } from "./users.ts";

export interface RoomInfo {
  room: string;
  /** Online users (WebSocket), not connections. */
  online: number;
  lastSeq: number;
  /** Open Server-Sent Events streams; they are not online users. */
  listeners: number;
}

/**
 * What a post comes to. A refusal is a value, not a throw: Durable Object
 * RPC keeps only an error's message and name, never its own properties such
 * as a code or `retryAfter` (developers.cloudflare.com/workers/runtime-apis/rpc/error-handling/).
 */
export type PostResult =
  | { ok: true; created: boolean; message: Message; token: string }
  | { ok: false; refusal: Refusal };

/** How long an EventSource waits before reconnecting after the stream drops. */
const RECONNECT_MS = 2000;

/** `GET /api/rooms/:room`: what the room is like right now. */
export function roomInfo(room: RoomParts): RoomInfo {
  return {
    room: room.name,
    online: room.presence.userCount,
    lastSeq: room.history.lastSeq,
    listeners: room.events.count,
  };
}

/**
 * `POST /api/rooms/:room/messages`, with the same rate limit and the same
 * idempotency on (user, id) as a `send`. A post without a valid token makes
 * a fresh user, so those are rate-limited by client address instead: a bot
 * cannot escape the limit by dropping its token.
 */
export async function acceptPost(room: RoomParts, input: PostInput, clientAddress: string): Promise<PostResult> {
  const claimed = input.token === undefined ? null : await room.tokens.userOf(input.token);
  const userId = claimed ?? newUserId();
  const now = Date.now();
  const refusal = admit(room, claimed, clientAddress, now);
  if (refusal !== null) return { ok: false, refusal };
  const take = room.limiter.take(claimed ?? `address:${clientAddress}`, now, "post");
  if (!take.ok) {
    const message = `more than ${room.limits.sendRatePerSecond} messages per second`;
    return { ok: false, refusal: { code: ERROR_CODE.rateLimited, message, retryAfter: take.retryAfter } };
  }
  const user = presentUser(room, userId, claimed !== null, input.name, now);
  const { message, created } = room.history.store(user, input.id ?? crypto.randomUUID(), input.text, now);
  if (created) room.fanout.broadcast({ type: SERVER_FRAME.message, ...message });
  // Signed once the post is stored: a refused post needs no token.
  return { ok: true, created, message, token: await room.tokens.tokenFor(userId) };
}

/**
 * `GET /api/rooms/:room/events`: a Server-Sent Events stream. It opens with
 * a `welcome` event, replays the messages after `since` exactly as a
 * WebSocket welcome does, then carries the room's broadcasts. Replay and
 * registration happen in one synchronous step, so no message can fall
 * between them.
 */
export function openEvents(room: RoomParts, since: number | undefined): Response {
  ensureCapacity(room);
  const { messages, more, truncated } = room.history.catchUp(since, room.limits.resumeLimit);
  const welcome: EventStreamWelcome = {
    room: room.name,
    onlineCount: room.presence.userCount,
    lastSeq: room.history.lastSeq,
    ...(more ? { more } : {}),
    ...(truncated ? { truncated } : {}),
  };
  let opening = `retry: ${RECONNECT_MS}\n\n${sseEvent(SERVER_FRAME.welcome, encodeFrame(welcome))}`;
  for (const message of messages) {
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
