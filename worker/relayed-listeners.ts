/**
 * What the Room does for its relays' listeners, each the answer to an RPC
 * from a relay (worker/relay-hub.ts): admitting a listener and writing its
 * welcome, handling a frame it sent with the room's own handlers, counting
 * what a relay holds, and giving a relay the events it missed.
 */
import type { KeyRefusal, User, WelcomeFrame } from "../protocol/frames.ts";
import type { ConnectRequest } from "../protocol/http-params.ts";
import { answerInternalError, onFrame } from "./frames.ts";
import { logUnexpected } from "./http.ts";
import { admitConnection, welcomeOf } from "./lifecycle.ts";
import type { ReadBar } from "./moderation.ts";
import { type BroadcastMark, RelayEndpoint, type RelayedFrame } from "./relays.ts";
import { inTransaction, type RoomParts } from "./room-parts.ts";

/** Who a relayed listener is, as its relay keeps it in the socket's attachment. */
export interface RelayedListener {
  user: User;
  address: string;
}

/** The room's answer to a listener its relay asks to admit: its welcome, and the last broadcast that welcome reflects. */
export type Listening =
  | { ok: true; welcome: WelcomeFrame; from: BroadcastMark; listener: RelayedListener }
  | { ok: false; bar: ReadBar; keyRefused: KeyRefusal | null };

/**
 * Admits a listener of `relay` as the room admits its own connections (a
 * refusal that is no bar throws, as an HttpError); the relay is known from
 * then on and is delivered every broadcast.
 */
export async function listen(
  room: RoomParts,
  relay: string,
  request: ConnectRequest,
  address: string,
): Promise<Listening> {
  const admitted = await admitConnection(room, request, address);
  if (!admitted.ok) return admitted;
  // Counted before its relay's report arrives: in its own welcome, and so that nothing broadcast after it misses the relay.
  room.relays.added(relay);
  const welcome = welcomeOf(room, admitted, request.since);
  return { ok: true, welcome, from: room.fanout.mark, listener: { user: admitted.user, address } };
}

/** The most relayed listeners the room keeps a stand-in for at once; the oldest is dropped first. */
const MAX_ENDPOINTS = 10_000;

/**
 * A frame from a relayed listener, handled as one from the room's own
 * sockets (in one transaction, by the same handlers) through the
 * listener's stand-in; returns what the room answered it, and the close
 * the room asked for, if any.
 */
export function relayedFrame(
  room: RoomParts,
  relay: string,
  listener: RelayedListener,
  data: string | ArrayBuffer,
): { frames: string[]; close: { code: number; reason: string } | null } {
  const endpoint = endpointOf(room, relay, listener.user.id);
  // The stand-in has the part of a WebSocket the handlers use, and no attachment.
  const ws = endpoint as unknown as WebSocket;
  try {
    inTransaction(room, () => onFrame(room, ws, data, listener.user));
  } catch (error) {
    logUnexpected("relayedFrame", error);
    answerInternalError(room, ws, data);
  }
  return endpoint.take();
}

function endpointOf(room: RoomParts, relay: string, userId: string): RelayEndpoint {
  const key = `${relay} ${userId}`;
  const known = room.endpoints.get(key);
  if (known !== undefined) return known;
  if (room.endpoints.size >= MAX_ENDPOINTS) {
    const oldest = room.endpoints.keys().next().value;
    if (oldest !== undefined) room.endpoints.delete(oldest);
  }
  const endpoint = new RelayEndpoint();
  room.endpoints.set(key, endpoint);
  return endpoint;
}

/** A relay says how many listeners it holds now; the room's count follows. */
export function relayReport(room: RoomParts, relay: string, listeners: number): void {
  room.relays.report(relay, listeners);
  room.arrivals.relayedChanged(Date.now());
}

/**
 * The events after `after` up to `through`, for a relay that found a gap,
 * as a resume gives them (messages in their current state); `complete`
 * is false when they are more than RESUME_LIMIT or already trimmed, and
 * the relay then closes its listeners, who resume with `since`.
 */
export function eventsBetween(
  room: RoomParts,
  after: number,
  through: number,
): { frames: RelayedFrame[]; complete: boolean } {
  const { events, more, truncated } = room.history.catchUp(after, room.limits.resumeLimit);
  const frames = events
    .filter((event) => event.seq <= through)
    .map((event) => ({ text: JSON.stringify(event), seq: event.seq, mark: null }));
  const reached = (frames.at(-1)?.seq ?? after) >= through;
  return { frames, complete: !truncated && (reached || !more) };
}
