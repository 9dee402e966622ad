/**
 * A room's call: a WebRTC mesh, with the room as its signalling server.
 * Who is in the call lives in their sockets' attachments (CallSeat), which
 * survive hibernation; the start, every join and leave, and the end are
 * events in the log. Signals go to one named peer and are never stored or
 * broadcast; media never passes through the room.
 */
import {
  type CallEventFrame,
  type CallFrame,
  type CallState,
  CLIENT_FRAME,
  ERROR_CODE,
  type MediaFrame,
  type Peer,
  type Refusal,
  SERVER_FRAME,
  type SignalFrame,
  type User,
} from "../protocol/frames.ts";
import type { Outcome } from "./history.ts";
import { writeBar } from "./moderation.ts";
import type { CallSeat } from "./presence.ts";
import type { RoomParts } from "./room-parts.ts";
import { randomBase32 } from "./users.ts";

const PEER_ID_LENGTH = 8;

/** What a `call` frame came to, and, after a join, the `peers` frame its connection is owed once the ack is out. */
export type CallOutcome = Outcome & { peers?: () => void };

/** Who is in the room's call, or null when none is on. */
export function callState(room: RoomParts): CallState | null {
  const seats = room.presence.seats();
  const [first] = seats;
  if (first === undefined) return null;
  return {
    call: first.seat.call,
    since: first.seat.callSince,
    peers: seats.map(({ seat, connection }) => peerOf(seat, connection)),
  };
}

/** `call`: join (or start) the call with this connection, or leave it; each a `call` event once per (user, id). */
export function onCallFrame(room: RoomParts, ws: WebSocket, user: User, frame: CallFrame, now: number): CallOutcome {
  const prior = room.history.priorAck(user.id, frame.id);
  if (prior !== null) return { ok: true, ack: prior, event: null };
  const unchanged = { ok: true, ack: { type: SERVER_FRAME.ack, id: frame.id, unchanged: true }, event: null } as const;
  const seat = room.presence.seatOf(ws);
  if (frame.action === "leave") {
    if (seat === null) return unchanged;
    const event = leave(room, ws, user, seat, frame.id, now);
    return { ok: true, ack: { type: SERVER_FRAME.ack, id: frame.id, seq: event.seq, ts: now }, event };
  }
  if (seat !== null) return unchanged;
  const refusal = joinRefusal(room, user.id, now);
  if (refusal !== null) return { ok: false, refusal: { ...refusal, id: frame.id } };
  const current = callState(room);
  const joined: CallSeat = {
    peer: randomBase32(PEER_ID_LENGTH),
    call: current?.call ?? randomBase32(PEER_ID_LENGTH),
    callSince: current?.since ?? now,
    since: now,
    audio: frame.audio,
    video: frame.video,
    screen: false,
  };
  room.presence.seat(ws, joined);
  const action = current === null ? "start" : "join";
  const fields = {
    action,
    call: joined.call,
    peer: joined.peer,
    participants: (current?.peers.length ?? 0) + 1,
  } as const;
  const seq = room.history.appendRoomEvent(user, frame.id, { kind: "call", fields }, now);
  const event: CallEventFrame = { type: SERVER_FRAME.call, seq, ts: now, user, ...fields };
  const peers = () =>
    room.fanout.send(ws, {
      type: SERVER_FRAME.peers,
      you: joined.peer,
      call: joined.call,
      since: joined.callSince,
      peers: current?.peers ?? [],
    });
  return { ok: true, ack: { type: SERVER_FRAME.ack, id: frame.id, seq, ts: now }, event, peers };
}

/**
 * A connection in the call closed: it leaves, as with a `leave` frame, and
 * the event is broadcast. The room numbers it under an id of its own.
 */
export function leaveOnClose(room: RoomParts, ws: WebSocket): void {
  const seat = room.presence.seatOf(ws);
  const user = room.presence.userOf(ws);
  if (seat === null || user === undefined) return;
  room.fanout.broadcast(leave(room, ws, user, seat, `call-left-${seat.peer}`, Date.now()));
}

function leave(
  room: RoomParts,
  ws: WebSocket,
  user: User,
  seat: CallSeat,
  clientId: string,
  now: number,
): CallEventFrame {
  room.presence.seat(ws, null);
  const participants = room.presence.seats().length;
  const fields = {
    action: participants === 0 ? "end" : "leave",
    call: seat.call,
    peer: seat.peer,
    participants,
  } as const;
  const seq = room.history.appendRoomEvent(user, clientId, { kind: "call", fields }, now);
  return { type: SERVER_FRAME.call, seq, ts: now, user, ...fields };
}

/** Why a user may not join the call now: the room's write rules in a room with owners, or a full call. */
function joinRefusal(room: RoomParts, userId: string, now: number): Refusal | null {
  const barred = writeBar(room, userId, false, now);
  if (barred !== null) return barred;
  const limit = room.limits.maxCallParticipants;
  if (room.presence.seats().length >= limit) {
    return { code: ERROR_CODE.limitReached, message: `this call is full: ${limit} people` };
  }
  return null;
}

/** `media` and `signal`: from a participant, within its signalling budget; the refusal, or null once relayed. */
export function onCallSignal(
  room: RoomParts,
  ws: WebSocket,
  user: User,
  frame: MediaFrame | SignalFrame,
): Refusal | null {
  const seat = room.presence.seatOf(ws);
  if (seat === null) return { code: ERROR_CODE.forbidden, message: "join the call first" };
  const budget = room.signals.take(ws, Date.now());
  if (!budget.ok) {
    const message = `more than ${room.limits.signalRatePerSecond} call signals per second`;
    return { code: ERROR_CODE.rateLimited, message, retryAfter: budget.retryAfter };
  }
  if (frame.type === CLIENT_FRAME.media) {
    const { type: _type, ...media } = frame;
    room.presence.seat(ws, { ...seat, ...media });
    for (const other of room.presence.seats()) {
      if (other.ws !== ws) room.fanout.send(other.ws, { type: SERVER_FRAME.media, peer: seat.peer, ...media });
    }
    return null;
  }
  const target = room.presence.seats().find((other) => other.ws !== ws && other.seat.peer === frame.to);
  if (target === undefined) return { code: ERROR_CODE.notFound, message: "no one in the call has that peer id" };
  const { type: _type, to: _to, ...signal } = frame;
  room.fanout.send(target.ws, { type: SERVER_FRAME.signal, from: seat.peer, user, ...signal });
  return null;
}

function peerOf(seat: CallSeat, connection: { userId: string; name: string }): Peer {
  const { peer, since, audio, video, screen } = seat;
  return { peer, user: { id: connection.userId, name: connection.name }, since, audio, video, screen };
}
