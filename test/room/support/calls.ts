/**
 * Helpers for tests of calls: reading frames strictly, call frames among
 * them; connecting; joining and leaving a call; the signals a test sends.
 *
 * protocol/parse-server.ts does not know the call frames yet (`call`,
 * `peers`, `media`, `signal`, a welcome's `call` and the call events in its
 * `history`), so `readFrame` reads raw text: a frame the parser knows is
 * parsed by it, and a call frame is checked here, field by field and with no
 * field beyond the contract's, against the shapes of protocol/frames.ts.
 * Once the parser knows them, `readFrame` is `parseServerFrame` and the
 * checks below go.
 */
import type {
  AckFrame,
  CallEventFrame,
  CallState,
  ErrorFrame,
  MediaState,
  Peer,
  PeerMediaFrame,
  PeersFrame,
  RelayedSignalFrame,
  ServerFrame,
  ServerFrameOf,
  ServerFrameType,
  StoredAck,
  User,
  WelcomeFrame,
} from "../../../protocol/frames.ts";
import { parseSignal } from "../../../protocol/parse-calls.ts";
import { isPeerId } from "../../../protocol/parse-client.ts";
import { parseServerFrame } from "../../../protocol/parse-server.ts";
import type { TestClient } from "./client.ts";
import { type Credentials, openSocket, uniqueId } from "./owners.ts";

type Fields = Record<string, unknown>;

/** One server frame from its text, by the contract; null when it breaks it. */
export function readFrame(text: string): ServerFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: not a frame, reported as null like parseServerFrame does.
    return null;
  }
  if (!isObject(value)) return null;
  if (value.type === "welcome") return isWelcome(value) ? value : null;
  if (isCallFrame(value)) return value;
  return parseServerFrame(text);
}

/** The next frame, by the contract; fails on one that breaks it. */
export async function nextFrame(client: TestClient, timeoutMs = 2000): Promise<ServerFrame> {
  const text = await client.nextText(timeoutMs);
  const frame = readFrame(text);
  if (frame === null) throw new Error(`frame breaks the contract: ${text}`);
  return frame;
}

/** The next frame, which must be of `type`. */
export async function nextOf<T extends ServerFrameType>(
  client: TestClient,
  type: T,
  timeoutMs = 2000,
): Promise<ServerFrameOf<T>> {
  const frame = await nextFrame(client, timeoutMs);
  if (!isOfType(frame, type)) throw new Error(`expected a ${type} frame, got ${JSON.stringify(frame)}`);
  return frame;
}

/** Reads frames until one of `type` arrives; frames of other types are dropped. */
export async function waitForOf<T extends ServerFrameType>(
  client: TestClient,
  type: T,
  timeoutMs = 2000,
): Promise<ServerFrameOf<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await nextFrame(client, Math.max(1, deadline - Date.now()));
    if (isOfType(frame, type)) return frame;
  }
}

/** Reads frames until the `ack` or `error` about the frame `id` arrives. */
export async function answerTo(client: TestClient, id: string, timeoutMs = 2000): Promise<AckFrame | ErrorFrame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await nextFrame(client, Math.max(1, deadline - Date.now()));
    if ((frame.type === "ack" || frame.type === "error") && frame.id === id) return frame;
  }
}

/**
 * Every frame the client receives until the answer to a history request it
 * sends now: frames on one socket arrive in order, so anything the room sent
 * it before reading that request is among them.
 */
export async function framesUntilBarrier(client: TestClient): Promise<ServerFrame[]> {
  const ref = uniqueId("barrier");
  client.send({ type: "history", ref, limit: 1 });
  const frames: ServerFrame[] = [];
  for (;;) {
    const frame = await nextFrame(client);
    if ((frame.type === "history" || frame.type === "error") && frame.ref === ref) return frames;
    frames.push(frame);
  }
}

/** Connects, with credentials in Sec-WebSocket-Protocol, and reads the welcome. */
export async function enter(room: string, credentials: Credentials = {}): Promise<TestClient> {
  const client = await openSocket(room, credentials);
  client.welcome = await nextOf(client, "welcome");
  return client;
}

/** What a join comes to on the joining connection: the ack, the call event it stored, and `peers`. */
export interface Joined {
  ack: StoredAck;
  event: CallEventFrame;
  peers: PeersFrame;
}

/** Joins the room's call with `media`; fails unless the join is stored. */
export async function joinCall(
  client: TestClient,
  media: { audio: boolean; video: boolean } = { audio: true, video: false },
): Promise<Joined> {
  const id = uniqueId("join");
  client.send({ type: "call", id, action: "join", ...media });
  const ack = storedAck(await answerTo(client, id));
  const event = await nextOf(client, "call");
  const peers = await nextOf(client, "peers");
  return { ack, event, peers };
}

/** Leaves the call; fails unless the leave is stored. Returns the event it stored. */
export async function leaveCall(client: TestClient): Promise<CallEventFrame> {
  const id = uniqueId("leave");
  client.send({ type: "call", id, action: "leave" });
  storedAck(await answerTo(client, id));
  return nextOf(client, "call");
}

/** Sends a `call` frame under `id` and reads its answer, ack or error. */
export async function callAttempt(
  client: TestClient,
  fields: Fields,
  id = uniqueId("call"),
): Promise<AckFrame | ErrorFrame> {
  client.send({ type: "call", id, ...fields });
  return answerTo(client, id);
}

export interface Participant {
  client: TestClient;
  /** The peer id the room gave this connection. */
  peer: string;
  user: User;
  /** The id of the call it joined. */
  call: string;
}

/**
 * People connected to `room` under `names` who join its call one after the
 * other, each with the audio on, by name; every queue is drained, so a test
 * reads only what happens after.
 */
export async function callWith<const N extends string>(
  room: string,
  names: readonly N[],
): Promise<Record<N, Participant>> {
  const participants: [N, Participant][] = [];
  for (const name of names) {
    const client = await enter(room, { name });
    const { peers } = await joinCall(client);
    participants.push([name, { client, peer: peers.you, user: client.user, call: peers.call }]);
  }
  await Promise.all(participants.map(([, { client }]) => framesUntilBarrier(client)));
  // Object.fromEntries types its keys as string; every name of `names` is among them.
  return Object.fromEntries(participants) as Record<N, Participant>;
}

/** The peers of a call state in peer-id order, for comparisons that do not depend on the order of sockets. */
export function byPeerId(peers: readonly Peer[]): Peer[] {
  return [...peers].sort((a, b) => a.peer.localeCompare(b.peer));
}

/** A session description as a browser makes one. */
export const OFFER_SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

/** An ICE candidate as a browser gathers one. */
export const HOST_CANDIDATE = "candidate:842163049 1 udp 1677729535 192.0.2.1 49203 typ host generation 0";

/** A `signal` frame carrying an offer for `to`. */
export function offerTo(to: string, sdp = OFFER_SDP) {
  return { type: "signal", to, description: { type: "offer", sdp } };
}

/** A `signal` frame carrying an ICE candidate for `to`. */
export function candidateTo(to: string, candidate = HOST_CANDIDATE) {
  return { type: "signal", to, candidate: { candidate, sdpMid: "0", sdpMLineIndex: 0 } };
}

/** The ack of a stored event; fails on anything else. */
export function storedAck(answer: AckFrame | ErrorFrame): StoredAck {
  if (answer.type !== "ack" || !("seq" in answer))
    throw new Error(`expected a stored event, got ${JSON.stringify(answer)}`);
  return answer;
}

function isOfType<T extends ServerFrameType>(frame: ServerFrame, type: T): frame is ServerFrameOf<T> {
  return frame.type === type;
}

/**
 * A welcome: its `call` a call state, its history's call events each a call
 * event, and the rest of it as parseServerFrame reads a welcome.
 */
function isWelcome(value: Fields): value is Fields & WelcomeFrame {
  const { call, history, ...rest } = value;
  if (call !== undefined && !isCallState(call)) return false;
  if (!Array.isArray(history)) return false;
  const calls = history.filter((event) => isObject(event) && event.type === "call");
  const others = history.filter((event) => !(isObject(event) && event.type === "call"));
  return calls.every(isCallEvent) && parseServerFrame(JSON.stringify({ ...rest, history: others })) !== null;
}

function isCallFrame(
  value: Fields,
): value is Fields & (CallEventFrame | PeersFrame | PeerMediaFrame | RelayedSignalFrame) {
  switch (value.type) {
    case "call":
      return isCallEvent(value);
    case "peers":
      return (
        hasOnly(value, ["type", "you", "call", "since", "peers"]) && isPeerId(value.you) && isCallState(value, true)
      );
    case "media":
      return hasOnly(value, ["type", "peer", "audio", "video", "screen"]) && isPeerId(value.peer) && isMedia(value);
    case "signal":
      return isRelayedSignal(value);
    default:
      return false;
  }
}

const CALL_ACTIONS: ReadonlySet<unknown> = new Set(["start", "join", "leave", "end"]);

function isCallEvent(value: unknown): value is CallEventFrame {
  return (
    isObject(value) &&
    hasOnly(value, ["type", "seq", "ts", "user", "action", "call", "peer", "participants"]) &&
    value.type === "call" &&
    isCount(value.seq) &&
    value.seq >= 1 &&
    isCount(value.ts) &&
    isUser(value.user) &&
    CALL_ACTIONS.has(value.action) &&
    isPeerId(value.call) &&
    (value.peer === undefined || isPeerId(value.peer)) &&
    isCount(value.participants) &&
    (value.participants === 0) === (value.action === "end")
  );
}

/** `{call, since, peers}`, alone or (`framed`) with the fields of the frame that carries it. */
function isCallState(value: unknown, framed = false): value is CallState {
  return (
    isObject(value) &&
    (framed || hasOnly(value, ["call", "since", "peers"])) &&
    isPeerId(value.call) &&
    isCount(value.since) &&
    Array.isArray(value.peers) &&
    value.peers.every(isPeer)
  );
}

function isPeer(value: unknown): value is Peer {
  return (
    isObject(value) &&
    hasOnly(value, ["peer", "user", "since", "audio", "video", "screen"]) &&
    isPeerId(value.peer) &&
    isUser(value.user) &&
    isCount(value.since) &&
    isMedia(value)
  );
}

function isMedia(value: Fields): value is Fields & MediaState {
  return typeof value.audio === "boolean" && typeof value.video === "boolean" && typeof value.screen === "boolean";
}

/** `{from, user}` and exactly one signal, as the client's parser would accept it addressed to `from`. */
function isRelayedSignal(value: Fields): value is Fields & RelayedSignalFrame {
  const { type: _type, from, user, ...signal } = value;
  return (
    hasOnly(value, ["type", "from", "user", "description", "candidate"]) &&
    isPeerId(from) &&
    isUser(user) &&
    parseSignal({ to: from, ...signal }).ok
  );
}

function isUser(value: unknown): value is User {
  return (
    isObject(value) && hasOnly(value, ["id", "name"]) && typeof value.id === "string" && typeof value.name === "string"
  );
}

function hasOnly(value: Fields, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
