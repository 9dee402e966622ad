/**
 * A relay's work (docs/protocol.md, Relays): it holds listeners of one room
 * with the Hibernation API and gives them what the room broadcasts; the
 * Room stays the one sequencer.
 * - A newcomer is admitted and welcomed by the room (by RPC); the relay
 *   opens its socket, and gives it what it has received since that welcome.
 * - Each delivery from the room carries the seq of every event in it. The
 *   relay keeps the last seq delivered to it in its own storage, so that after
 *   an eviction or a restart a delivery that does not follow it is seen as
 *   a gap, and filled from the room before anything later goes out. A gap
 *   the room can no longer fill closes the listeners, who resume with
 *   `since` and miss nothing.
 * - What a listener sends goes to the room by RPC, and the room's answer
 *   comes back to that listener alone.
 * - A `kick` or `ban` the room broadcasts closes the subject's listeners
 *   here as the room closes its own connections.
 * - How many listeners it holds is reported to the room within a second of
 *   a change, so that the room's count includes them.
 */
import {
  CLOSE_CODE,
  ERROR_CODE,
  encodeBatch,
  encodeFrame,
  MODERATION_ACTION,
  SERVER_FRAME,
  SUBPROTOCOL,
} from "../protocol/frames.ts";
import { parseConnectRequest } from "../protocol/http-params.ts";
import { parseServerFrame } from "../protocol/parse-server.ts";
import { sendEncoded } from "./fanout.ts";
import { clientAddressOf, HttpError, logUnexpected } from "./http.ts";
import { refusedSocket } from "./lifecycle.ts";
import { REMOVALS } from "./moderation.ts";
import type { RelayedListener } from "./relayed-listeners.ts";
import { type BroadcastMark, isAfter, type RelayedFrame } from "./relays.ts";
import type { Room } from "./room.ts";

/** The room's RPC surface that a relay uses. */
type RoomStub = DurableObjectStub<Room>;

/** What a listener's socket carries in its attachment, which survives hibernation. */
interface ListenerAttachment extends RelayedListener {
  v2: boolean;
  /** The `lastSeq` of its welcome: it is never given an event at or below it again. */
  after: number;
  /** The last broadcast its welcome reflects: it is given only those after it. */
  from: BroadcastMark;
}

/** Frames received from the room that a newcomer may still need: what came between its welcome and its socket. */
const RECENT_FRAMES = 512;
const LAST_SEQ_KEY = "lastSeq";
/** `WebSocket.readyState` of an open socket. */
const OPEN = 1;
/** The longest the room's count of this relay's listeners lags behind. */
const REPORT_INTERVAL_MS = 1000;

/** Where a relay's name puts it: `<room>/<region>/<shard>`; a room name is one path segment, so it holds no `/`. */
function relayRoomOf(relayName: string): string {
  const parts = relayName.split("/");
  const [room] = parts;
  if (parts.length !== 3 || room === undefined || room === "") throw new Error(`not a relay name: ${relayName}`);
  return room;
}

export class RelayHub {
  readonly #ctx: DurableObjectState;
  readonly #name: string;
  readonly #room: RoomStub;
  readonly #maxListeners: number;
  /** The highest seq the room has delivered here (or the welcome of a first listener); from storage after a wake. */
  #lastSeq: number | undefined;
  readonly #recent: RelayedFrame[] = [];
  /** The listeners' attachments, read once per wake. */
  readonly #attachments = new Map<WebSocket, ListenerAttachment | null>();
  #reportTimer: ReturnType<typeof setTimeout> | undefined;
  /** Deliveries are handled one after the other, so that a gap's fill goes out before what follows it. */
  #queue: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, rooms: DurableObjectNamespace<Room>, maxListeners: number) {
    const name = ctx.id.name;
    if (name === undefined) throw new Error("a Relay is addressed by name, never by a unique id");
    this.#ctx = ctx;
    this.#name = name;
    this.#room = rooms.getByName(relayRoomOf(name));
    this.#maxListeners = maxListeners;
  }

  /** A newcomer's upgrade, forwarded by the Worker: admitted and welcomed by the room, then held here. */
  async connect(request: Request): Promise<Response> {
    const parsed = parseConnectRequest(
      new URL(request.url).searchParams,
      request.headers.get("Sec-WebSocket-Protocol"),
    );
    if (!parsed.ok) throw HttpError.from(parsed);
    if (this.#listeners().length >= this.#maxListeners) {
      throw new HttpError(ERROR_CODE.roomFull, "this room is at capacity; try again later");
    }
    const { v2, ...connect } = parsed.value;
    const headers: HeadersInit = v2 ? { "Sec-WebSocket-Protocol": SUBPROTOCOL.v2 } : {};
    const listening = await this.#room.listen(this.#name, { ...connect, v2 }, clientAddressOf(request));
    if ("refusal" in listening) throw HttpError.from(listening.refusal);
    if (!listening.ok) return refusedSocket(listening.bar, listening.keyRefused, headers);
    const { welcome, from, listener } = listening;
    const { 0: client, 1: server } = new WebSocketPair();
    this.#ctx.acceptWebSocket(server);
    const attachment: ListenerAttachment = { ...listener, v2, after: welcome.lastSeq, from };
    server.serializeAttachment(attachment);
    this.#attachments.set(server, attachment);
    server.send(encodeFrame(welcome));
    // What reached this relay after the room wrote the welcome, before anything delivered later.
    sendEncoded(server, v2, textsFor(attachment, this.#recent));
    // Alone here, its welcome is where deliveries must go on from; otherwise the others' deliveries are.
    if (this.#listeners(server).length === 0) this.#advance(welcome.lastSeq);
    this.#report();
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /** RPC from the room: frames it broadcast, in its order. */
  deliver(frames: RelayedFrame[]): Promise<void> {
    this.#queue = this.#queue.then(
      () => this.#deliverInOrder(frames),
      () => this.#deliverInOrder(frames),
    );
    return this.#queue;
  }

  /** A listener sent a frame: the room handles it, and its answer goes back to that listener. */
  async onFrame(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const listener = this.#attachmentOf(ws);
    if (listener === null) return;
    const { user, address, v2 } = listener;
    try {
      const answer = await this.#room.relayFrame(this.#name, { user, address }, data);
      sendEncoded(ws, v2, answer.frames);
      if (answer.close !== null) closeQuietly(ws, answer.close.code, answer.close.reason);
    } catch (error) {
      logUnexpected("relay frame", error);
      const message = "the room could not be reached; nothing was stored";
      sendEncoded(ws, v2, [encodeFrame({ type: SERVER_FRAME.error, code: ERROR_CODE.internalError, message })]);
    }
  }

  /** A listener left: the room's count follows. */
  onClose(ws: WebSocket): void {
    this.#attachments.delete(ws);
    this.#report();
  }

  async #deliverInOrder(frames: RelayedFrame[]): Promise<void> {
    const last = this.#knownLastSeq();
    const first = frames.find((frame) => frame.seq !== null)?.seq ?? null;
    let fresh = frames.filter((frame) => frame.seq === null || frame.seq > last);
    if (first !== null && last > 0 && first > last + 1) {
      const filled = await this.#room.eventsBetween(last, first - 1);
      if (!filled.complete) {
        // The room can no longer give this gap back: the listeners resume, and their welcomes fill it.
        for (const ws of this.#listeners()) closeQuietly(ws, CLOSE_CODE.goingAway, "catching up");
      }
      fresh = [...filled.frames, ...fresh];
    }
    if (fresh.length === 0) return;
    this.#remember(fresh);
    const texts = fresh.map((frame) => frame.text);
    // Written once for every listener that needs all of them, which is all but a newcomer's.
    const batch = encodeBatch(texts);
    for (const ws of this.#listeners()) {
      const listener = this.#attachmentOf(ws);
      if (listener === null) continue;
      if (needsAll(listener, fresh)) sendEncoded(ws, listener.v2, texts, batch);
      else sendEncoded(ws, listener.v2, textsFor(listener, fresh));
    }
    for (const frame of fresh) this.#enforce(frame.text);
    this.#advance(fresh.reduce((seq, frame) => Math.max(seq, frame.seq ?? 0), last));
  }

  /** Moves the last seq given out forward, in memory and in storage. */
  #advance(seq: number): void {
    if (seq <= this.#knownLastSeq()) return;
    this.#lastSeq = seq;
    this.#ctx.storage.kv.put(LAST_SEQ_KEY, seq);
  }

  #attachmentOf(ws: WebSocket): ListenerAttachment | null {
    if (!this.#attachments.has(ws)) this.#attachments.set(ws, readListener(ws));
    return this.#attachments.get(ws) ?? null;
  }

  /** Closes the listeners of the subject of a broadcast `kick` or `ban`, as the room closes its own. */
  #enforce(text: string): void {
    if (!text.startsWith(`{"type":"${SERVER_FRAME.moderation}"`)) return;
    const frame = parseServerFrame(text);
    if (frame?.type !== SERVER_FRAME.moderation || frame.subject === undefined) return;
    const removal =
      frame.action === MODERATION_ACTION.kick
        ? REMOVALS.kick
        : frame.action === MODERATION_ACTION.ban
          ? REMOVALS.ban
          : null;
    if (removal === null) return;
    const subject = frame.subject.id;
    for (const ws of this.#listeners()) {
      if (this.#attachmentOf(ws)?.user.id === subject) closeQuietly(ws, removal.code, removal.reason);
    }
    this.#report();
  }

  #remember(frames: RelayedFrame[]): void {
    this.#recent.push(...frames);
    if (this.#recent.length > RECENT_FRAMES) this.#recent.splice(0, this.#recent.length - RECENT_FRAMES);
  }

  #knownLastSeq(): number {
    this.#lastSeq ??= this.#ctx.storage.kv.get<number>(LAST_SEQ_KEY) ?? 0;
    return this.#lastSeq;
  }

  /** The open listeners' sockets. */
  #listeners(except?: WebSocket): WebSocket[] {
    return this.#ctx.getWebSockets().filter((ws) => ws !== except && ws.readyState === OPEN);
  }

  /**
   * Tells the room how many listeners this relay holds, at most once per
   * REPORT_INTERVAL_MS and without waiting for it: a storm of newcomers
   * costs the room one report a second per relay, not one per newcomer
   * (the room counts each newcomer itself as it admits it).
   */
  #report(): void {
    this.#reportTimer ??= setTimeout(() => {
      this.#reportTimer = undefined;
      const count = this.#listeners().length;
      this.#room.relayReport(this.#name, count).catch((error: unknown) => logUnexpected("relay report", error));
    }, REPORT_INTERVAL_MS);
  }
}

function readListener(ws: WebSocket): ListenerAttachment | null {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== "object" || value === null) return null;
  const { user, address, v2, after, from } = value as Record<string, unknown>;
  if (typeof user !== "object" || user === null || typeof address !== "string") return null;
  if (typeof v2 !== "boolean" || typeof after !== "number" || !isMark(from)) return null;
  const { id, name } = user as Record<string, unknown>;
  if (typeof id !== "string" || typeof name !== "string") return null;
  return { user: { id, name }, address, v2, after, from };
}

function isMark(value: unknown): value is BroadcastMark {
  if (typeof value !== "object" || value === null) return false;
  const { epoch, order } = value as Record<string, unknown>;
  return typeof epoch === "number" && typeof order === "number";
}

/**
 * Whether a listener is given `frame`: a broadcast after the one its
 * welcome reflects; an event the room gave back to fill a gap, after its
 * welcome's seq.
 */
function isFor(listener: ListenerAttachment, frame: RelayedFrame): boolean {
  if (frame.mark !== null) return isAfter(frame.mark, listener.from);
  return frame.seq === null || frame.seq > listener.after;
}

/** Whether a listener is given every one of `frames`, as every listener but a newcomer is. */
function needsAll(listener: ListenerAttachment, frames: readonly RelayedFrame[]): boolean {
  return frames.every((frame) => isFor(listener, frame));
}

function textsFor(listener: ListenerAttachment, frames: readonly RelayedFrame[]): string[] {
  return frames.filter((frame) => isFor(listener, frame)).map((frame) => frame.text);
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed.
  }
}
