/**
 * The room's answers to client frames. Raw data is admitted first: a
 * heartbeat is answered, a frame that breaks the protocol is refused with
 * its typed error, and a valid frame beyond the connection's frame budget is
 * refused with `rate_limited`. An admitted frame goes to its handler with
 * the sender's user, looked up once.
 */
import {
  CLIENT_FRAME,
  CLOSE_CODE,
  type ClientFrame,
  ERROR_CODE,
  type ErrorFrame,
  type EventFrame,
  FRAME_LIMITS,
  HEARTBEAT,
  type HistoryRequestFrame,
  type OwnerRequestFrame,
  type ReadFrame,
  type Refusal,
  SERVER_FRAME,
  type SearchFrame,
  type ServerFrame,
  type User,
} from "../protocol/frames.ts";
import { pageQueryOf } from "../protocol/http-params.ts";
import { parseCallFrame } from "../protocol/parse-calls.ts";
import { echoOf, parseClientFrame } from "../protocol/parse-client.ts";
import { type CallOutcome, onCallFrame, onCallSignal } from "./calls.ts";
import { onDisconnect, renameUser } from "./lifecycle.ts";
import { applyMessageEvent, applyOwnerEvent, type OwnerOutcome, writeBar } from "./moderation.ts";
import { auditPage, listKeys, memberList, mintKey } from "./owner-requests.ts";
import { isRelayEndpoint } from "./relays.ts";
import type { RoomParts } from "./room-parts.ts";

/**
 * Admits raw data from `ws` and hands an admitted frame to its handler; a
 * relayed listener's stand-in comes with its user, which the room's
 * presence does not hold.
 */
export function onFrame(
  room: RoomParts,
  ws: WebSocket,
  data: string | ArrayBuffer,
  user: User | undefined = room.presence.userOf(ws),
): void {
  if (user === undefined) return;
  if (data === HEARTBEAT.ping) {
    room.fanout.pong(ws);
    return;
  }
  const parsed = parseClientFrame(data, room.limits.maxFrameBytes, parseCallFrame);
  if (!parsed.ok) {
    refuse(room, ws, parsed);
    return;
  }
  const { frame } = parsed;
  if (isRelayEndpoint(ws) && isCallFrame(frame)) {
    const message = "calls are open to the room's own connections; this one is held by a relay of a large room";
    refuse(room, ws, { code: ERROR_CODE.forbidden, message, ...echoOf(frame) });
    return;
  }
  // Call signals have a budget of their own: one join in a call of five sends some fifty at once.
  const budget = isCallSignal(frame) ? { ok: true as const } : room.frames.take(ws, Date.now());
  if (!budget.ok) {
    refuse(room, ws, {
      code: ERROR_CODE.rateLimited,
      message: `more than ${room.limits.frameRatePerSecond} frames per second`,
      retryAfter: budget.retryAfter,
      ...echoOf(frame),
    });
    return;
  }
  dispatch(room, ws, user, frame);
}

/** Every client frame type and the handler it goes to. */
function dispatch(room: RoomParts, ws: WebSocket, user: User, frame: ClientFrame): void {
  switch (frame.type) {
    case CLIENT_FRAME.send:
    case CLIENT_FRAME.edit:
    case CLIENT_FRAME.delete:
    case CLIENT_FRAME.react:
    case CLIENT_FRAME.settings:
    case CLIENT_FRAME.moderate:
    case CLIENT_FRAME.revoke:
    case CLIENT_FRAME.call:
      onEvent(room, ws, user, frame);
      break;
    case CLIENT_FRAME.media:
    case CLIENT_FRAME.signal: {
      const refusal = onCallSignal(room, ws, user, frame);
      // A signal to a peer that has just left is a race of normal use, not abuse: it is answered and not counted.
      if (refusal?.code === ERROR_CODE.notFound) room.fanout.send(ws, errorFrame(refusal));
      else if (refusal !== null) refuse(room, ws, refusal);
      break;
    }
    case CLIENT_FRAME.mint:
    case CLIENT_FRAME.keys:
    case CLIENT_FRAME.audit:
    case CLIENT_FRAME.members:
      onOwnerRequest(room, ws, user, frame);
      break;
    case CLIENT_FRAME.typing:
      onTyping(room, ws, user);
      break;
    case CLIENT_FRAME.history:
      onHistoryRequest(room, ws, frame);
      break;
    case CLIENT_FRAME.search:
      onSearch(room, ws, frame);
      break;
    case CLIENT_FRAME.read:
      onRead(room, ws, user, frame);
      break;
    case CLIENT_FRAME.rename:
      renameUser(room, user.id, frame.name);
      break;
    default:
      assertNever(frame);
  }
}

/**
 * Every frame that stores an event (`send`, `edit`, `delete`, `react`, and
 * in rooms with owners `settings`, `moderate` and `revoke`): rate-limit,
 * check what the room allows the user, store the event once per (user, id),
 * then ack the sender and broadcast it, and only then close the sockets a
 * moderation action ends, so that they hear of it first. The Durable
 * Object's output gate holds the ack and the broadcast until the write is
 * durable, so nothing is acknowledged that a crash could lose. A refusal
 * stores nothing.
 */
function onEvent(room: RoomParts, ws: WebSocket, user: User, frame: EventFrame): void {
  const now = Date.now();
  const take = room.limiter.take(user.id, now, spentBy(ws));
  if (!take.ok) {
    refuse(room, ws, { ...sendRateRefusal(room, take.retryAfter), id: frame.id });
    return;
  }
  const outcome = storeEvent(room, ws, user, frame, now);
  if (!outcome.ok) {
    refuse(room, ws, outcome.refusal);
    return;
  }
  room.fanout.send(ws, outcome.ack);
  if (outcome.event !== null) room.fanout.broadcast(outcome.event);
  outcome.enforce?.();
  outcome.peers?.();
}

function storeEvent(
  room: RoomParts,
  ws: WebSocket,
  user: User,
  frame: EventFrame,
  now: number,
): OwnerOutcome & CallOutcome {
  switch (frame.type) {
    case CLIENT_FRAME.settings:
    case CLIENT_FRAME.moderate:
    case CLIENT_FRAME.revoke:
      return applyOwnerEvent(room, user, frame, now);
    case CLIENT_FRAME.call:
      return onCallFrame(room, ws, user, frame, now);
    default:
      return applyMessageEvent(room, user, frame, now);
  }
}

function isCallFrame(frame: ClientFrame): boolean {
  return frame.type === CLIENT_FRAME.call || isCallSignal(frame);
}

function isCallSignal(frame: ClientFrame): boolean {
  return frame.type === CLIENT_FRAME.media || frame.type === CLIENT_FRAME.signal;
}

/**
 * `mint` (which counts against the send rate, as it writes), and `keys`,
 * `audit` and `members` (which draw on the budget of bytes answered): each
 * answered to this connection only, with its `ref`.
 */
function onOwnerRequest(room: RoomParts, ws: WebSocket, user: User, frame: OwnerRequestFrame): void {
  const { ref } = frame;
  const now = Date.now();
  if (frame.type === CLIENT_FRAME.mint) {
    const take = room.limiter.take(user.id, now, spentBy(ws));
    if (!take.ok) {
      refuse(room, ws, { ...sendRateRefusal(room, take.retryAfter), ref });
      return;
    }
    const { type: _type, ref: _ref, ...request } = frame;
    const minted = mintKey(room, user, request, now);
    if (minted.ok) room.fanout.send(ws, { type: SERVER_FRAME.minted, ref, ...minted.value });
    else refuse(room, ws, { ...minted.refusal, ref });
    return;
  }
  if (frame.type === CLIENT_FRAME.members) {
    answerWithinBudget(room, ws, { ref }, () => ({ type: SERVER_FRAME.members, ref, members: memberList(room, now) }));
    return;
  }
  const answer =
    frame.type === CLIENT_FRAME.keys ? listKeys(room, user) : auditPage(room, user, frame.before, frame.limit);
  if (!answer.ok) {
    refuse(room, ws, { ...answer.refusal, ref });
    return;
  }
  const value = answer.value;
  answerWithinBudget(room, ws, { ref }, () =>
    Array.isArray(value) ? { type: SERVER_FRAME.keys, ref, keys: value } : { type: SERVER_FRAME.audit, ref, ...value },
  );
}

/**
 * Where a spend of the send rate is kept: in the user's socket attachments,
 * or, for a relayed listener, whose sockets are its relay's, in storage.
 */
function spentBy(ws: WebSocket): "socket" | "post" {
  return isRelayEndpoint(ws) ? "post" : "socket";
}

/** The refusal of a frame beyond the user's send rate, which sends, edits, deletes and reactions share. */
export function sendRateRefusal(room: RoomParts, retryAfter: number): Refusal {
  const message = `more than ${room.limits.sendRatePerSecond} messages, edits, deletions and reactions per second`;
  return { code: ERROR_CODE.rateLimited, message, retryAfter };
}

/** `typing`: relayed to the other users at most once per interval per user, never stored. */
function onTyping(room: RoomParts, ws: WebSocket, user: User): void {
  const now = Date.now();
  // Someone who may not write has nothing to be typing; it is dropped like a typing frame within its interval.
  if (writeBar(room, user.id, false, now) !== null) return;
  if (!room.presence.claimTyping(ws, now, room.limits.typingIntervalMs)) return;
  room.fanout.broadcast({ type: SERVER_FRAME.typing, user }, user.id);
}

/**
 * `history`: a page of older (`before`) or newer (`after`) messages, or the
 * newest page, within the connection's budget of bytes answered.
 */
function onHistoryRequest(room: RoomParts, ws: WebSocket, frame: HistoryRequestFrame): void {
  const ref = frame.ref === undefined ? {} : { ref: frame.ref };
  answerWithinBudget(room, ws, ref, () => {
    const page = room.history.page(pageQueryOf(frame), frame.limit ?? FRAME_LIMITS.historyPageDefault);
    return { type: SERVER_FRAME.history, ...ref, ...page };
  });
}

/** `search`: the newest hits below `before`, within the budget of bytes answered that `history` draws on too. */
function onSearch(room: RoomParts, ws: WebSocket, frame: SearchFrame): void {
  answerWithinBudget(room, ws, { ref: frame.ref }, () => {
    const { hits, hasMore } = room.history.search(frame.q, frame.before, frame.limit ?? FRAME_LIMITS.searchPageDefault);
    return { type: SERVER_FRAME.results, ref: frame.ref, hits, hasMore };
  });
}

/**
 * Answers a `history` or `search` request while the connection's budget of
 * bytes answered lasts, spending what the answer took; refused with
 * `rate_limited` (the request's `ref` echoed) once it is spent.
 */
function answerWithinBudget(room: RoomParts, ws: WebSocket, ref: { ref?: string }, answer: () => ServerFrame): void {
  const now = Date.now();
  const budget = room.answers.check(ws, now);
  if (!budget.ok) {
    const message = `more than ${room.limits.historyBytesPerSecond} bytes of history and search per second`;
    refuse(room, ws, { code: ERROR_CODE.rateLimited, message, retryAfter: budget.retryAfter, ...ref });
    return;
  }
  room.answers.spend(ws, room.fanout.sendCounted(ws, answer()), now);
}

/** `read`: moves the user's read position forward, and tells their other connections. */
function onRead(room: RoomParts, ws: WebSocket, user: User, frame: ReadFrame): void {
  const moved = room.reads.move(user.id, frame.seq, room.history.lastSeq);
  if (moved === null) return;
  for (const socket of room.presence.socketsOf(user.id)) {
    if (socket !== ws) room.fanout.send(socket, { type: SERVER_FRAME.read, seq: moved });
  }
}

/**
 * Refusing a frame: a typed error to that connection only. A connection that
 * has been refused more than the abuse limit within the abuse window is
 * closed with 1008 (policy violation), and its user, and new identities from
 * its address, are barred from the room for the abuse cool-down; nothing
 * else is affected.
 */
export function refuse(room: RoomParts, ws: WebSocket, refusal: Refusal): void {
  room.fanout.send(ws, errorFrame(refusal));
  const { abuseErrorLimit, abuseWindowMs, abuseCooldownMs } = room.limits;
  const now = Date.now();
  const abusive = room.presence.countError(ws, now, abuseErrorLimit, abuseWindowMs);
  if (abusive !== null) {
    room.cooldowns.bar([{ user: abusive.userId }, { newUsersFrom: abusive.address }], now + abuseCooldownMs, now);
    room.fanout.flush();
    onDisconnect(room, ws);
    ws.close(CLOSE_CODE.policyViolation, "too many refused frames");
  }
}

/**
 * The answer to a frame whose handling failed unexpectedly (a storage
 * failure, a bug): `internal_error` to that connection only, which stays
 * open. It does not count towards abuse: the fault is the room's.
 */
export function answerInternalError(room: RoomParts, ws: WebSocket, data: string | ArrayBuffer): void {
  const parsed = typeof data === "string" ? parseClientFrame(data, room.limits.maxFrameBytes, parseCallFrame) : null;
  const echo = parsed?.ok ? echoOf(parsed.frame) : {};
  const message = "the room failed to handle this frame; nothing of it was stored";
  room.fanout.send(ws, errorFrame({ code: ERROR_CODE.internalError, message, ...echo }));
}

function errorFrame({ code, message, id, ref, retryAfter }: Refusal): ErrorFrame {
  return {
    type: SERVER_FRAME.error,
    code,
    message,
    ...(id === undefined ? {} : { id }),
    ...(ref === undefined ? {} : { ref }),
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
}

function assertNever(_frame: never): never {
  throw new Error("a client frame type without a handler");
}
