/**
 * The room's answers to the HTTP API, which the Worker forwards after
 * checking the request: the room's vital signs, a post (the HTTP twin of a
 * WebSocket `send`), edits, deletions and reactions (the twins of `edit`,
 * `delete` and `react`), and a Server-Sent Events stream.
 */
import {
  CLIENT_FRAME,
  ERROR_CODE,
  type EventStreamWelcome,
  encodeFrame,
  type Message,
  type Refusal,
  SERVER_FRAME,
} from "../protocol/frames.ts";
import type { ChangeInput, PostInput } from "../protocol/http-params.ts";
import { sendRateRefusal } from "./frames.ts";
import { admit, ensureCapacity, presentUser } from "./lifecycle.ts";
import { addressBar, applyMessageEvent, redeemKey } from "./moderation.ts";
import { type StreamReader, sseEvent } from "./presence.ts";
import { inTransaction, type RoomParts } from "./room-parts.ts";
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

/** What an edit, deletion or reaction over HTTP comes to: the message as it is now, or a refusal (a value, as above). */
export type ChangeResult = { ok: true; message: Message } | { ok: false; refusal: Refusal };

/** How long an EventSource waits before reconnecting after the stream drops. */
const RECONNECT_MS = 2000;

/** `GET /api/rooms/:room`: what the room is like right now. */
export function roomInfo(room: RoomParts): RoomInfo {
  return {
    room: room.name,
    online: room.arrivals.online,
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
export async function acceptPost(
  room: RoomParts,
  input: PostInput,
  clientAddress: string,
  key?: string,
): Promise<PostResult> {
  const claimed = input.token === undefined ? null : await room.tokens.userOf(input.token);
  const userId = claimed ?? newUserId();
  const now = Date.now();
  const refusal =
    admit(room, claimed, clientAddress, now) ??
    (claimed === null ? addressBar(room, clientAddress, now)?.refusal : null) ??
    null;
  if (refusal !== null) return { ok: false, refusal };
  const take = room.limiter.take(claimed ?? `address:${clientAddress}`, now, "post");
  if (!take.ok) return { ok: false, refusal: sendRateRefusal(room, take.retryAfter) };
  const { name, token: _token, ...message } = input;
  // One transaction, as for a frame: a failure stores nothing of the post.
  const stored = inTransaction(room, (): ChangeResult & { created?: boolean } => {
    if (key !== undefined) redeemKey(room, userId, key, now);
    const user = presentUser(room, userId, claimed !== null, name, now);
    const frame = { type: CLIENT_FRAME.send, ...message, id: input.id ?? crypto.randomUUID() };
    const outcome = applyMessageEvent(room, user, frame, now);
    if (!outcome.ok) return outcome;
    if (!("seq" in outcome.ack)) throw new Error("a send was answered as changing nothing");
    if (outcome.event !== null) room.fanout.broadcast(outcome.event);
    return { ok: true, message: currentMessage(room, outcome.ack.seq), created: outcome.event !== null };
  });
  if (!stored.ok) return stored;
  // Signed once the post is stored: a refused post needs no token.
  const token = await room.tokens.tokenFor(userId);
  return { ok: true, created: stored.created === true, message: stored.message, token };
}

/**
 * `PATCH` and `DELETE /api/rooms/:room/messages/:seq`, `PUT` and `DELETE
 * .../reactions/:emoji`: the same rules, rate and idempotency as the frames
 * they are twins of. A change needs an identity: without a valid token it
 * is `forbidden`, as no fresh user has a message to change.
 */
export async function acceptChange(
  room: RoomParts,
  input: ChangeInput,
  token: string | undefined,
  clientAddress: string,
  key?: string,
): Promise<ChangeResult> {
  const userId = token === undefined ? null : await room.tokens.userOf(token);
  if (userId === null) {
    const message = "editing, deleting and reacting need the token of the user who does it";
    return { ok: false, refusal: { code: ERROR_CODE.forbidden, message } };
  }
  const now = Date.now();
  const refusal = admit(room, userId, clientAddress, now);
  if (refusal !== null) return { ok: false, refusal };
  const take = room.limiter.take(userId, now, "post");
  if (!take.ok) return { ok: false, refusal: sendRateRefusal(room, take.retryAfter) };
  return inTransaction(room, (): ChangeResult => {
    if (key !== undefined) redeemKey(room, userId, key, now);
    const user = presentUser(room, userId, true, undefined, now);
    const outcome = applyMessageEvent(room, user, { ...input, id: input.id ?? crypto.randomUUID() }, now);
    if (!outcome.ok) return outcome;
    if (outcome.event !== null) room.fanout.broadcast(outcome.event);
    // A repeat of a used id answers with the message its first event was about, whatever the path names.
    const about = "seq" in outcome.ack ? room.history.messageOfEvent(outcome.ack.seq) : input.target;
    return { ok: true, message: currentMessage(room, about ?? input.target) };
  });
}

function currentMessage(room: RoomParts, seq: number): Message {
  const message = room.history.message(seq);
  if (message === null) throw new Error("a message just stored or changed is not retained");
  return message;
}

/**
 * `GET /api/rooms/:room/events`: a Server-Sent Events stream. It opens with
 * a `welcome` event, replays the events after `since` exactly as a
 * WebSocket welcome does, then carries the room's broadcasts. Replay and
 * registration happen in one synchronous step, so no event can fall
 * between them.
 */
export function openEvents(room: RoomParts, since: number | undefined, reader: StreamReader): Response {
  ensureCapacity(room);
  const { events, more, truncated } = room.history.catchUp(since, room.limits.resumeLimit);
  const welcome: EventStreamWelcome = {
    room: room.name,
    onlineCount: room.arrivals.online,
    lastSeq: room.history.lastSeq,
    ...(more ? { more } : {}),
    ...(truncated ? { truncated } : {}),
  };
  let opening = `retry: ${RECONNECT_MS}\n\n${sseEvent(SERVER_FRAME.welcome, encodeFrame(welcome))}`;
  for (const event of events) opening += sseEvent(event.type, encodeFrame(event), event.seq);
  return new Response(room.events.open(opening, reader), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Accel-Buffering": "no",
    },
  });
}
