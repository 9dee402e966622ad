/**
 * `POST /api/rooms/:room/messages`: the HTTP twin of a WebSocket `send`,
 * with the same rate limit and the same idempotency on (user, id). A post
 * without a valid token makes a fresh user, so those are rate-limited by
 * client address instead: a bot cannot escape the limit by dropping its token.
 */
import { newUserId } from "../identity.ts";
import type { PostInput } from "../post-input.ts";
import { type Message, SERVER_FRAME } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";
import { presentUser } from "./present-user.ts";

export type PostResult =
  | { ok: true; created: boolean; message: Message; token: string }
  | { ok: false; retryAfter: number };

export async function postMessage(room: RoomParts, input: PostInput, clientAddress: string): Promise<PostResult> {
  const claimed = input.token === undefined ? null : await room.identity.userOf(input.token);
  const userId = claimed ?? newUserId();
  const now = Date.now();
  const barred = room.cooldowns.remaining(claimed === null ? { newUsersFrom: clientAddress } : { user: claimed }, now);
  if (barred > 0) return { ok: false, retryAfter: barred };
  const take = room.limiter.take(claimed ?? `address:${clientAddress}`, now);
  if (!take.ok) return { ok: false, retryAfter: take.retryAfter };
  const user = presentUser(room, userId, claimed !== null, input.name, now);
  const { message, created } = room.history.store(user, input.id ?? crypto.randomUUID(), input.text, now);
  if (created) room.fanout.broadcast({ type: SERVER_FRAME.message, ...message });
  // Signed once the post is stored: a refused post needs no token.
  return { ok: true, created, message, token: await room.identity.tokenFor(userId) };
}
