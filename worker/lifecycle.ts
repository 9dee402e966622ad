/**
 * A connection's life in the room: admission (capacity, abuse cool-downs),
 * who the user appears as, the welcome, the join the others see, renames,
 * the leave, and the close handshake the Hibernation API leaves to the
 * application.
 */
import {
  CLOSE_CODE,
  ERROR_CODE,
  encodeFrame,
  type KeyRefusal,
  type Refusal,
  SERVER_FRAME,
  SUBPROTOCOL,
  type User,
  type WelcomeFrame,
} from "../protocol/frames.ts";
import { type ConnectRequest, parseConnectRequest } from "../protocol/http-params.ts";
import type { CooldownSubject } from "./budgets.ts";
import { callState, leaveOnClose } from "./calls.ts";
import { clientAddressOf, HttpError } from "./http.ts";
import { addressBar, type ReadBar, readBar, redeemKey } from "./moderation.ts";
import type { RoomParts } from "./room-parts.ts";
import { guestName, newUserId } from "./users.ts";

/**
 * Opening a connection: who the user is (from their token, or a fresh id),
 * what they are called, the welcome (with the history they missed), and the
 * join the others see. Everything after the token is checked or issued runs
 * without an await, so no other event can interleave with it. Above
 * RELAY_THRESHOLD connections the room takes no more sockets of its own:
 * it answers `307` with `Edgechat-Relay`, and the Worker opens the
 * connection on a relay instead.
 */
export async function acceptConnection(room: RoomParts, request: Request): Promise<Response> {
  if (room.relays.full(room.presence.connectionCount)) {
    return new Response(null, { status: 307, headers: { [RELAY_HEADER]: "1" } });
  }
  const parsed = parseConnectRequest(new URL(request.url).searchParams, request.headers.get("Sec-WebSocket-Protocol"));
  if (!parsed.ok) throw HttpError.from(parsed);
  const address = clientAddressOf(request);
  // A client that offered edgechat.v2 fails the handshake unless the server selects it.
  const headers: HeadersInit = parsed.value.v2 ? { "Sec-WebSocket-Protocol": SUBPROTOCOL.v2 } : {};
  const admitted = await admitConnection(room, parsed.value, address);
  if (!admitted.ok) return refusedSocket(admitted.bar, admitted.keyRefused, headers);
  const { user } = admitted;
  const { 0: client, 1: server } = new WebSocketPair();
  room.ctx.acceptWebSocket(server);
  const { first } = room.presence.connect(server, user, address, parsed.value.v2);
  room.fanout.opened(server);
  room.fanout.send(server, welcomeOf(room, admitted, parsed.value.since));
  if (first) room.arrivals.joined(user);
  return new Response(null, { status: 101, webSocket: client, headers });
}

/** The header of the room's answer that sends a connection to a relay. */
export const RELAY_HEADER = "Edgechat-Relay";

/** A connection the room admitted: who it is, and what its welcome must say. */
export interface Admitted {
  ok: true;
  user: User;
  /** The token the welcome gives. */
  issued: string;
  returning: boolean;
  keyRefused: KeyRefusal | null;
}

/** A connection refused for who it is: it is told why on a socket that then closes. */
export interface Barred {
  ok: false;
  bar: ReadBar;
  keyRefused: KeyRefusal | null;
}

/**
 * Admits a connection, to the room's own sockets or to a relay: its
 * capacity, the abuse cool-downs, the token, bans, the key it offers, and
 * who the user appears as. A refusal that is no bar on the user throws.
 */
export async function admitConnection(
  room: RoomParts,
  request: ConnectRequest,
  address: string,
): Promise<Admitted | Barred> {
  const { name, token, key } = request;
  ensureCapacity(room);
  const claimed = token === undefined ? null : await room.tokens.userOf(token);
  const refusal = admit(room, claimed, address, Date.now());
  if (refusal !== null) throw HttpError.from(refusal);
  const userId = claimed ?? newUserId();
  const issued = claimed !== null && token !== undefined ? token : await room.tokens.tokenFor(userId);
  // Others may have connected while the token was checked.
  ensureCapacity(room);
  const now = Date.now();
  const banned = claimed === null ? addressBar(room, address, now) : null;
  if (banned !== null) return { ok: false, bar: banned, keyRefused: null };
  const keyRefused = key === undefined ? null : redeemKey(room, userId, key, now);
  const bar = readBar(room, userId);
  if (bar !== null) return { ok: false, bar, keyRefused };
  const user = presentUser(room, userId, claimed !== null, name, now);
  return { ok: true, user, issued, returning: claimed !== null, keyRefused };
}

/** The first frame of an admitted connection: the room, the user, their history, and the owned room's and call's state. */
export function welcomeOf(room: RoomParts, admitted: Admitted, since: number | undefined): WelcomeFrame {
  const { user, issued, returning, keyRefused } = admitted;
  const opening = welcome(room, user, issued, since, returning);
  const call = callState(room);
  return { ...opening, ...ownedRoomOf(room, user.id, keyRefused, Date.now()), ...(call ? { call } : {}) };
}

/**
 * A connection the room refuses for who it is (banned, or not a key holder
 * in a key-only room): accepted, told why in an `error` frame, and closed
 * with the code that says it, since a browser cannot read an upgrade's
 * status. It is never a hibernatable socket of the room, and nobody sees it.
 */
export function refusedSocket(bar: ReadBar, keyRefused: KeyRefusal | null, headers: HeadersInit): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  const why = keyRefused === null ? bar.refusal.message : `${bar.refusal.message}: ${KEY_REFUSAL_TEXT[keyRefused]}`;
  server.send(encodeFrame({ type: SERVER_FRAME.error, code: bar.refusal.code, message: why }));
  server.close(bar.closeCode, why.slice(0, 120));
  return new Response(null, { status: 101, webSocket: client, headers });
}

/** What a person reads about a key that granted nothing; it never repeats the key. */
const KEY_REFUSAL_TEXT: Record<KeyRefusal, string> = {
  invalid: "this invite link is not valid (it may have been revoked)",
  expired: "this invite link has expired",
  used_up: "this invite link has been used as many times as it allows",
};

/** The welcome's fields of an owned room: the user's role, the settings, their mute, and a key that did nothing. */
function ownedRoomOf(room: RoomParts, userId: string, keyRefused: KeyRefusal | null, now: number) {
  const settings = room.owners.settings;
  if (settings === null) return keyRefused === null ? {} : { keyRefused };
  const { role, mutedUntil } = room.owners.standingOf(userId);
  return {
    role,
    settings,
    ...(mutedUntil !== undefined && mutedUntil > now ? { mutedUntil } : {}),
    ...(keyRefused === null ? {} : { keyRefused }),
  };
}

/** The first frame of a connection; only a returning user can have a read position. */
function welcome(
  room: RoomParts,
  you: User,
  token: string,
  since: number | undefined,
  returning: boolean,
): WelcomeFrame {
  const { events, more, truncated } = room.history.catchUp(since, room.limits.resumeLimit);
  return {
    type: SERVER_FRAME.welcome,
    room: room.name,
    you,
    token,
    online: onlineFirst(room, you),
    onlineCount: room.arrivals.online,
    lastSeq: room.history.lastSeq,
    ...(returning ? readPositionOf(room, you.id) : {}),
    history: events,
    ...(more ? { more } : {}),
    ...(truncated ? { truncated } : {}),
  };
}

/** Who is online, `you` first, whether the room holds your connection or one of its relays does. */
function onlineFirst(room: RoomParts, you: User): User[] {
  const limit = room.limits.presenceLimit;
  const listed = room.presence.list(limit, you.id);
  return listed[0]?.id === you.id ? listed : [you, ...listed].slice(0, limit);
}

function readPositionOf(room: RoomParts, userId: string): { read?: number } {
  const read = room.reads.of(userId);
  return read === null ? {} : { read };
}

/** Refuses a new connection or event stream with 503 room_full once the room holds MAX_CONNECTIONS of them. */
export function ensureCapacity(room: RoomParts): void {
  if (room.presence.connectionCount + room.events.count >= room.limits.maxConnections) {
    throw new HttpError(ERROR_CODE.roomFull, "this room is at capacity; try again later");
  }
}

/**
 * Whether a connection or post may act as `claimed` (the user its token
 * proves), or as a new identity when it has none: refused while that user,
 * or new identities from `address`, are in a cool-down after abuse, and
 * refused when `address` has made more new identities than its rate allows,
 * so that a client dropping its token cannot mint users without bound.
 * Null when admitted; a new identity is counted then.
 */
export function admit(room: RoomParts, claimed: string | null, address: string, now: number): Refusal | null {
  const subject: CooldownSubject = claimed === null ? { newUsersFrom: address } : { user: claimed };
  const barredFor = room.cooldowns.remaining(subject, now);
  if (barredFor > 0) {
    const message = "closed for abuse a moment ago; wait before coming back";
    return { code: ERROR_CODE.rateLimited, message, retryAfter: barredFor };
  }
  if (claimed !== null) return null;
  const take = room.newIdentities.take(address, now);
  if (take.ok) return null;
  const limit = room.limits.newIdentitiesPerMinute;
  const message = `more than ${limit} new identities a minute from this address; come back with your token, or wait`;
  return { code: ERROR_CODE.rateLimited, message, retryAfter: take.retryAfter };
}

/**
 * Who a user appears as when they connect or post: the name they give now,
 * else the one they have online, else the one the room remembers of a
 * returning user, else their guest name. An online user is renamed on every
 * connection; only a chosen name is stored, as a guest's is derived from the id.
 */
export function presentUser(
  room: RoomParts,
  userId: string,
  returning: boolean,
  chosenName: string | undefined,
  now: number,
): User {
  const online = room.presence.user(userId);
  const known = returning ? room.users.lastName(userId) : null;
  const user: User = { id: userId, name: chosenName ?? online?.name ?? known ?? guestName(userId) };
  if (online !== undefined) renameUser(room, userId, user.name);
  if (chosenName !== undefined || known !== null) room.users.remember(userId, user.name, now);
  return user;
}

/** Renames an online user on all their connections; a name equal to the current one changes nothing and sends nothing. */
export function renameUser(room: RoomParts, userId: string, name: string): void {
  const previous = room.presence.rename(userId, name);
  if (previous === null || previous === name) return;
  room.users.remember(userId, name, Date.now());
  room.fanout.broadcast({ type: SERVER_FRAME.rename, user: { id: userId, name }, previous });
}

/** A connection closed, failed or was closed by the room; a user's last one makes them leave. */
export function onDisconnect(room: RoomParts, ws: WebSocket): void {
  leaveOnClose(room, ws);
  const gone = room.presence.disconnect(ws);
  if (gone === null || !gone.last) return;
  room.arrivals.left(gone.user);
  const now = Date.now();
  room.limiter.settle(gone.user.id, gone.sendBucket, now);
  room.limiter.prune(now);
  room.newIdentities.prune(now);
}

/** Codes a peer may report but no endpoint may send (RFC 6455 section 7.4.1). */
export function isReservedCloseCode(code: number): boolean {
  return code === 1005 || code === 1006 || code === 1015;
}

/**
 * Completes a close the client started, echoing its code where that is
 * allowed. The room must send the reciprocal Close frame itself, on every
 * compatibility date, or the client hangs in CLOSING until it times out and
 * reports 1006 (web_socket_auto_reply_to_close covers only sockets accepted
 * with `accept()`, not hibernatable ones).
 */
export function completeClose(ws: WebSocket, code: number): void {
  try {
    ws.close(isReservedCloseCode(code) ? CLOSE_CODE.normal : code, "");
  } catch {
    // A code the runtime will not send back (or a socket already closed): close plainly.
    try {
      ws.close(CLOSE_CODE.normal, "");
    } catch {
      // Already closed: nothing left to complete.
    }
  }
}
