/**
 * The room's two output doors, and how a busy room coalesces what goes
 * through them (docs/protocol.md, Coalesced frames).
 * - `send` answers one connection, `broadcast` tells every connection and
 *   event-stream listener; each frame is serialised once whatever the
 *   audience, and a failed send to one socket never stops the others.
 * - The first broadcast after a quiet moment goes out at once. One that
 *   follows within the room's window (longer the more connections the room
 *   has) waits for the window's end with everything else that came, and
 *   then each connection gets one `batch` frame, or, on version 1, the
 *   frames one by one. Sends per second so stay near a fixed budget whatever
 *   the room's size, which is what the runtime's cost per send asks for.
 * - Order holds per connection: a frame to one connection waits behind the
 *   broadcasts already waiting for it, and a connection that opens while
 *   frames wait gets only what follows its welcome.
 * - Event streams are not coalesced: a stream is written, not sent frame by
 *   frame, so batching it saves nothing.
 * - The room's relays (worker/relays.ts) get every broadcast once each, as
 *   the room's own connections get it: at once, or with the window's batch.
 *   A frame to a relayed listener goes back with the answer its relay asked
 *   for, never through the window.
 */
import type { LogEvent, ServerFrame } from "../protocol/frames.ts";
import { encodeBatch, HEARTBEAT, SERVER_FRAME } from "../protocol/frames.ts";
import { utf8Length } from "../protocol/parse-client.ts";
import { type Connection, type EventStreams, type Presence, sseEvent } from "./presence.ts";
import { type BroadcastMark, isRelayEndpoint, type RelayedFrame, type RelayRegistry } from "./relays.ts";

/** The default budget of socket sends per second a busy room coalesces to (`COALESCE_SENDS_PER_SECOND`). */
export const DEFAULT_COALESCE_SENDS_PER_SECOND = 10_000;

/** The longest a frame waits for its window, whatever the room's size: it bounds the latency coalescing adds. */
export const MAX_WINDOW_MS = 100;

/** A broadcast waiting for the end of the window. */
interface Waiting extends RelayedFrame {
  mark: BroadcastMark;
  /** The user whose connections do not get it (a `join` is not told to the joiner). */
  exceptUserId: string | undefined;
}

/** A connection whose share of the waiting frames is not everyone's. */
interface Apart {
  /** The first waiting frame it gets: those before it were already in its welcome. */
  from: number;
  /** Frames to this connection alone, each after the first `at` waiting frames. */
  own: { at: number; text: string }[];
}

export class Fanout {
  readonly #presence: Presence;
  readonly #events: EventStreams;
  readonly #relays: RelayRegistry;
  readonly #sendsPerSecond: number;
  /** This instance of the room, and how many broadcasts it has made: the mark of the last one. */
  readonly #epoch = Date.now();
  #order = 0;
  /** When the room's connections were last sent a broadcast. */
  #sentAt = Number.NEGATIVE_INFINITY;
  #waiting: Waiting[] = [];
  readonly #apart = new Map<WebSocket, Apart>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(presence: Presence, events: EventStreams, relays: RelayRegistry, sendsPerSecond: number) {
    this.#presence = presence;
    this.#events = events;
    this.#relays = relays;
    this.#sendsPerSecond = sendsPerSecond;
  }

  /** Where the room's broadcasts stand: a welcome written now reflects every one up to this mark. */
  get mark(): BroadcastMark {
    return { epoch: this.#epoch, order: this.#order };
  }

  /** A connection just opened: the frames waiting now are already in its welcome. */
  opened(ws: WebSocket): void {
    if (this.#waiting.length > 0) this.#apart.set(ws, { from: this.#waiting.length, own: [] });
  }

  send(ws: WebSocket, frame: ServerFrame): void {
    this.#sendOne(ws, JSON.stringify(frame));
  }

  /** Sends `frame` to one socket and says how many bytes of UTF-8 it took, for a budget of bytes answered. */
  sendCounted(ws: WebSocket, frame: ServerFrame): number {
    const text = JSON.stringify(frame);
    this.#sendOne(ws, text);
    return utf8Length(text);
  }

  /**
   * Sends `frame` to every open connection, except those of the user
   * `exceptUserId`, and to every event-stream listener (who are no user).
   */
  broadcast(frame: ServerFrame, exceptUserId?: string): void {
    const text = JSON.stringify(frame);
    if (this.#events.count > 0) {
      this.#events.send(sseEvent(frame.type, text, isLogEvent(frame) ? frame.seq : undefined));
    }
    const seq = "seq" in frame && frame.type !== SERVER_FRAME.read ? frame.seq : null;
    const mark = { epoch: this.#epoch, order: ++this.#order };
    const now = Date.now();
    const windowMs = this.#windowMs();
    if (this.#waiting.length === 0 && now - this.#sentAt >= windowMs) {
      this.#sentAt = now;
      for (const [ws, connection] of this.#presence.connections()) {
        if (connection.userId !== exceptUserId) trySend(ws, text);
      }
      this.#relays.deliver([{ text, seq, mark }]);
      return;
    }
    this.#waiting.push({ text, seq, mark, exceptUserId });
    this.#timer ??= setTimeout(() => this.flush(), Math.max(0, this.#sentAt + windowMs - now));
  }

  /**
   * Sends every connection what waits for it now, without waiting for the
   * window's end: before the room closes a connection, so that the close
   * is the last thing it hears.
   */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const waiting = this.#waiting;
    if (waiting.length === 0) return;
    this.#waiting = [];
    this.#sentAt = Date.now();
    const excluded = new Set(waiting.flatMap(({ exceptUserId }) => (exceptUserId === undefined ? [] : [exceptUserId])));
    const texts = waiting.map(({ text }) => text);
    const batch = encodeBatch(texts);
    for (const [ws, connection] of this.#presence.connections()) {
      const apart = this.#apart.get(ws);
      if (apart === undefined && !excluded.has(connection.userId)) {
        sendEncoded(ws, connection.v2, texts, batch);
      } else {
        sendEncoded(ws, connection.v2, shareOf(waiting, connection, apart ?? { from: 0, own: [] }));
      }
    }
    this.#apart.clear();
    this.#relays.deliver(waiting.map(({ text, seq, mark }) => ({ text, seq, mark })));
  }

  /** Answers a heartbeat that reached the room because it was awake anyway. */
  pong(ws: WebSocket): void {
    trySend(ws, HEARTBEAT.pong);
  }

  #sendOne(ws: WebSocket, text: string): void {
    if (this.#waiting.length === 0 || isRelayEndpoint(ws)) {
      trySend(ws, text);
      return;
    }
    const apart = this.#apart.get(ws);
    if (apart !== undefined && apart.from >= this.#waiting.length && apart.own.length === 0) {
      // Nothing waits for this connection: everything waiting was already in its welcome.
      trySend(ws, text);
      return;
    }
    const own = apart ?? { from: 0, own: [] };
    own.own.push({ at: this.#waiting.length, text });
    this.#apart.set(ws, own);
  }

  /**
   * How long after a broadcast the next one waits: the room's share of the
   * budget of sends, at most MAX_WINDOW_MS. Its audience is its own
   * connections and its relays' listeners, who get each window's frames as
   * one delivery, and so one frame each.
   */
  #windowMs(): number {
    const audience = this.#presence.connectionCount + this.#relays.listenerCount;
    return Math.min(MAX_WINDOW_MS, (audience * 1000) / this.#sendsPerSecond);
  }
}

/**
 * What one connection gets of the waiting frames, in order, with its own
 * frames in their places: one queued after `at` waiting frames goes before
 * waiting frame `at`. Its own frames were all queued after its welcome, so
 * none comes before `from`.
 */
function shareOf(waiting: readonly Waiting[], connection: Connection, apart: Apart): string[] {
  const texts: string[] = [];
  let index = apart.from;
  const takeUntil = (end: number) => {
    for (; index < end; index++) {
      const frame = waiting[index];
      if (frame !== undefined && frame.exceptUserId !== connection.userId) texts.push(frame.text);
    }
  };
  for (const { at, text } of apart.own) {
    takeUntil(at);
    texts.push(text);
  }
  takeUntil(waiting.length);
  return texts;
}

/**
 * Frames to one connection, already encoded: as one batch on version 2
 * (`written` when the caller has written it already, for many connections
 * at once), one by one on version 1.
 */
export function sendEncoded(ws: WebSocket, v2: boolean, texts: readonly string[], written?: string): void {
  if (texts.length === 0) return;
  if (v2) trySend(ws, written ?? encodeBatch(texts));
  else for (const text of texts) trySend(ws, text);
}

function trySend(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    // The socket is closing; its webSocketClose event removes it from presence.
  }
}

/** Whether a frame is an event of the log, whose `seq` an event stream gives as its `id:`. */
export function isLogEvent(frame: ServerFrame): frame is LogEvent {
  return (
    frame.type === SERVER_FRAME.message ||
    frame.type === SERVER_FRAME.edit ||
    frame.type === SERVER_FRAME.delete ||
    frame.type === SERVER_FRAME.reaction
  );
}
