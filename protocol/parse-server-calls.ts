/**
 * The server frames of calls, checked as parse-server.ts checks the others:
 * the `call` event of the log, `peers`, `media`, `signal`, and the `call`
 * of a welcome. A relayed signal is held to the bounds the room puts on a
 * sent one (FRAME_LIMITS.maxSdpLength, maxCandidateLength), so a client
 * never hands its RTCPeerConnection what the room would have refused (an
 * SDP counted in code points, a candidate in UTF-16 units, as the room counts them).
 */
import {
  type CallEventFrame,
  type CallState,
  FRAME_LIMITS,
  type IceCandidate,
  type MediaState,
  type Peer,
  type PeerMediaFrame,
  type PeersFrame,
  type RelayedSignalFrame,
  SERVER_FRAME,
  type SessionDescription,
  type User,
} from "./frames.ts";
import { codePointLength, isPeerId } from "./parse-client.ts";

type Fields = Record<string, unknown>;

const CALL_ACTIONS: ReadonlySet<unknown> = new Set<CallEventFrame["action"]>(["start", "join", "leave", "end"]);
const DESCRIPTION_TYPES: ReadonlySet<unknown> = new Set<SessionDescription["type"]>(["offer", "answer", "rollback"]);

/** A call started, someone joined or left, or it ended: an event of the log. */
export function isCallEvent(value: Fields): value is Fields & CallEventFrame {
  return (
    value.type === SERVER_FRAME.call &&
    isCount(value.seq) &&
    value.seq >= 1 &&
    isCount(value.ts) &&
    isUser(value.user) &&
    CALL_ACTIONS.has(value.action) &&
    typeof value.call === "string" &&
    (value.peer === undefined || isPeerId(value.peer)) &&
    isCount(value.participants) &&
    (value.action === "end") === (value.participants === 0)
  );
}

/** Who is in a call and since when, as a welcome and a `peers` frame carry it. */
export function isCallState(value: unknown): value is CallState {
  return (
    isObject(value) &&
    typeof value.call === "string" &&
    isCount(value.since) &&
    Array.isArray(value.peers) &&
    value.peers.every(isPeer)
  );
}

/** `peers`, `media` or `signal`: the frames only a call's participants are sent. */
export function isCallServerFrame(value: Fields): value is Fields & (PeersFrame | PeerMediaFrame | RelayedSignalFrame) {
  switch (value.type) {
    case SERVER_FRAME.peers:
      return isPeerId(value.you) && isCallState(value);
    case SERVER_FRAME.media:
      return isPeerId(value.peer) && isMediaState(value);
    case SERVER_FRAME.signal:
      return isPeerId(value.from) && isUser(value.user) && isSignalPayload(value);
    default:
      return false;
  }
}

function isPeer(value: unknown): value is Peer {
  return isObject(value) && isPeerId(value.peer) && isUser(value.user) && isCount(value.since) && isMediaState(value);
}

function isMediaState(value: Fields): value is Fields & MediaState {
  return typeof value.audio === "boolean" && typeof value.video === "boolean" && typeof value.screen === "boolean";
}

/** Exactly one of a session description and an ICE candidate. */
function isSignalPayload({ description, candidate }: Fields): boolean {
  if ((description === undefined) === (candidate === undefined)) return false;
  return description === undefined ? isCandidate(candidate) : isDescription(description);
}

function isDescription(value: unknown): value is SessionDescription {
  return (
    isObject(value) &&
    DESCRIPTION_TYPES.has(value.type) &&
    typeof value.sdp === "string" &&
    codePointLength(value.sdp) <= FRAME_LIMITS.maxSdpLength
  );
}

function isCandidate(value: unknown): value is IceCandidate {
  return (
    isObject(value) &&
    typeof value.candidate === "string" &&
    value.candidate.length <= FRAME_LIMITS.maxCandidateLength &&
    isOptional(value.sdpMid, (mid) => typeof mid === "string") &&
    isOptional(value.sdpMLineIndex, isCount) &&
    isOptional(value.usernameFragment, (fragment) => typeof fragment === "string")
  );
}

/** Absent, null, or what `check` accepts: the optional fields of an RTCIceCandidateInit. */
function isOptional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || value === null || check(value);
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isUser(value: unknown): value is User {
  return isObject(value) && typeof value.id === "string" && typeof value.name === "string";
}
