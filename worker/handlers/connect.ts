/**
 * Opening a connection: who the user is (from their token, or a fresh id),
 * what they are called, the welcome (with the history they missed), and the
 * join the others see. Everything after the token is checked or issued runs
 * without an await, so no other event can interleave with it.
 */
import { clientAddressOf } from "../client-address.ts";
import { parseConnectParams } from "../connect-params.ts";
import { HttpError } from "../http-error.ts";
import { newUserId } from "../identity.ts";
import { FRAME_LIMITS, SERVER_FRAME, type User, type WelcomeFrame } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";
import { ensureCapacity, ensureNotBarred } from "./admission.ts";
import { announceJoin } from "./announce.ts";
import { presentUser } from "./present-user.ts";

export async function acceptConnection(room: RoomParts, request: Request): Promise<Response> {
  const parsed = parseConnectParams(new URL(request.url).searchParams);
  if (!parsed.ok) throw new HttpError(400, parsed.code, parsed.message);
  const { name, since, token } = parsed.params;
  const address = clientAddressOf(request);
  ensureCapacity(room);
  const claimed = token === undefined ? null : await room.identity.userOf(token);
  ensureNotBarred(room, claimed === null ? { newUsersFrom: address } : { user: claimed }, Date.now());
  const userId = claimed ?? newUserId();
  const issued = claimed !== null && token !== undefined ? token : await room.identity.tokenFor(userId);
  // Others may have connected while the token was checked.
  ensureCapacity(room);

  const user = presentUser(room, userId, claimed !== null, name, Date.now());

  const { 0: client, 1: server } = new WebSocketPair();
  room.ctx.acceptWebSocket(server);
  const { first } = room.presence.connect(server, user, address);
  room.fanout.send(server, welcome(room, user, issued, since));
  if (first) announceJoin(room, user);
  return new Response(null, { status: 101, webSocket: client });
}

function welcome(room: RoomParts, you: User, token: string, since: number | undefined): WelcomeFrame {
  const frame: WelcomeFrame = {
    type: SERVER_FRAME.welcome,
    room: room.name,
    you,
    token,
    online: room.presence.list(room.limits.presenceLimit, you.id),
    onlineCount: room.presence.userCount,
    lastSeq: room.history.lastSeq,
    history: [],
  };
  if (since === undefined) {
    frame.history = room.history.latest(FRAME_LIMITS.welcomeHistory);
    return frame;
  }
  const window = room.history.resume(since, room.limits.resumeLimit);
  frame.history = window.messages;
  if (window.more) frame.more = true;
  if (window.truncated) frame.truncated = true;
  return frame;
}
