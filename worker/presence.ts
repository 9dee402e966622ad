/**
 * Who is in the room, and the two output doors to them.
 * - Each WebSocket connection's state lives in its attachment, which
 *   survives hibernation, so the room can rebuild presence, names, typing
 *   throttles and abuse counts when it wakes without touching storage.
 * - Presence counts users, not connections; its index lives in memory and
 *   is rebuilt from the attachments the first time it is needed after a wake.
 * - Server-Sent Events listeners follow the room's broadcasts but are no
 *   user; an open stream keeps the room in memory (it is a request in
 *   flight), unlike a hibernating WebSocket.
 * - What goes out to them goes through worker/fanout.ts.
 */
import type { User } from "../protocol/frames.ts";
import { type Bucket, type BucketMirror, recordError } from "./budgets.ts";

/** What the room knows about one WebSocket connection, kept in its attachment. */
export interface Connection {
  userId: string;
  name: string;
  /** The client's address, for the cool-down that follows an abuse close. */
  address: string;
  /** When a typing frame from this connection was last relayed (ms since epoch). */
  typingAt: number;
  /** When each error frame still inside the abuse window was sent to this connection. */
  errorTimes: number[];
  /** The user's send bucket as of this connection's last send; null before one. */
  sendBucket: Bucket | null;
  /** This connection's place in the room's call; null when it is in none. */
  seat: CallSeat | null;
  /** Whether the client selected `edgechat.v2`, and so may be sent a `batch`. */
  v2: boolean;
}

/** A connection's place in a call, kept in its attachment so that the call outlasts hibernation. */
export interface CallSeat {
  peer: string;
  call: string;
  /** When the call started, and when this connection joined it. */
  callSince: number;
  since: number;
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/** The connection stored on `ws`, or null if its attachment is not one. */
export function readConnection(ws: WebSocket): Connection | null {
  const value: unknown = ws.deserializeAttachment();
  if (!isRecord(value)) return null;
  const { userId, name, address, typingAt, errorTimes, sendBucket, seat, v2 } = value;
  if (typeof userId !== "string" || typeof name !== "string" || typeof address !== "string") return null;
  if (typeof typingAt !== "number") return null;
  if (!Array.isArray(errorTimes) || !errorTimes.every((time) => typeof time === "number")) return null;
  return {
    userId,
    name,
    address,
    typingAt,
    errorTimes,
    sendBucket: isBucket(sendBucket) ? sendBucket : null,
    seat: isSeat(seat) ? seat : null,
    v2: v2 === true,
  };
}

function isSeat(value: unknown): value is CallSeat {
  if (!isRecord(value)) return false;
  const { peer, call, callSince, since, audio, video, screen } = value;
  return (
    typeof peer === "string" &&
    typeof call === "string" &&
    typeof callSince === "number" &&
    typeof since === "number" &&
    typeof audio === "boolean" &&
    typeof video === "boolean" &&
    typeof screen === "boolean"
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isBucket(value: unknown): value is Bucket {
  return isRecord(value) && typeof value.tokens === "number" && typeof value.updatedAt === "number";
}

export function writeConnection(ws: WebSocket, connection: Connection): void {
  ws.serializeAttachment(connection);
}

/**
 * Clears a departed connection's attachment, so that nothing can take it
 * for an open one again: not a frame that was already on its way, nor the
 * close that follows a close the room made.
 */
function forgetConnection(ws: WebSocket): void {
  try {
    ws.serializeAttachment(null);
  } catch {
    // The socket is already gone, and its attachment with it.
  }
}

interface OnlineUser {
  user: User;
  sockets: Set<WebSocket>;
  /** When this user's typing was last relayed, from any of their connections. */
  typingAt: number;
}

/** `WebSocket.readyState` of an open socket. */
const OPEN = 1;

export class Presence implements BucketMirror {
  readonly #ctx: DurableObjectState;
  #users: Map<string, OnlineUser> | undefined;
  readonly #connections = new Map<WebSocket, Connection>();
  /** The connections in the call, so that finding them does not walk the whole room (every welcome asks). */
  readonly #seated = new Set<WebSocket>();

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  get userCount(): number {
    return this.#index().size;
  }

  get connectionCount(): number {
    this.#index();
    return this.#connections.size;
  }

  /** The user a socket belongs to, if it is an open connection of this room. */
  userOf(ws: WebSocket): User | undefined {
    const connection = this.#connectionOf(ws);
    return connection && this.#index().get(connection.userId)?.user;
  }

  /** The online user with this id. */
  user(userId: string): User | undefined {
    return this.#index().get(userId)?.user;
  }

  /** The open connections of a user. */
  socketsOf(userId: string): ReadonlySet<WebSocket> {
    return this.#index().get(userId)?.sockets ?? new Set();
  }

  /**
   * Adds a connection from `address`, of a client that selected
   * `edgechat.v2` or not; `first` says whether it is the user's first,
   * which makes the user join.
   */
  connect(ws: WebSocket, user: User, address: string, v2: boolean): { first: boolean } {
    // Build the index before `ws` carries an attachment, or a rebuild would count it already.
    const first = !this.#index().has(user.id);
    const connection: Connection = {
      userId: user.id,
      name: user.name,
      address,
      typingAt: 0,
      errorTimes: [],
      sendBucket: null,
      seat: null,
      v2,
    };
    writeConnection(ws, connection);
    this.#add(ws, connection);
    return { first };
  }

  /** Removes a connection; `last` says whether the user has no connection left and so leaves. */
  disconnect(ws: WebSocket): { user: User; last: boolean; sendBucket: Bucket | null } | null {
    const connection = this.#connectionOf(ws);
    if (connection === undefined) return null;
    this.#connections.delete(ws);
    this.#seated.delete(ws);
    forgetConnection(ws);
    const online = this.#index().get(connection.userId);
    if (online === undefined) return null;
    online.sockets.delete(ws);
    const last = online.sockets.size === 0;
    if (last) this.#index().delete(connection.userId);
    return { user: online.user, last, sendBucket: connection.sendBucket };
  }

  /** Gives an online user a new name on every connection; returns the previous one. */
  rename(userId: string, name: string): string | null {
    const online = this.#index().get(userId);
    if (online === undefined) return null;
    const previous = online.user.name;
    if (previous === name) return previous;
    online.user = { id: userId, name };
    for (const ws of online.sockets) this.#update(ws, { name });
    return previous;
  }

  /** Whether a typing frame from `ws` may be relayed now: at most one per user per `intervalMs`. */
  claimTyping(ws: WebSocket, now: number, intervalMs: number): boolean {
    const connection = this.#connectionOf(ws);
    const online = connection && this.#index().get(connection.userId);
    if (online === undefined || now - online.typingAt < intervalMs) return false;
    online.typingAt = now;
    this.#update(ws, { typingAt: now });
    return true;
  }

  /**
   * Counts an error frame sent to `ws`; returns the connection once it has had
   * more than `limit` inside `windowMs`, when it must be closed, else null.
   */
  countError(ws: WebSocket, now: number, limit: number, windowMs: number): Connection | null {
    const connection = this.#connectionOf(ws);
    if (connection === undefined) return null;
    const errorTimes = recordError(connection.errorTimes, now, limit, windowMs);
    this.#update(ws, { errorTimes });
    return errorTimes.length > limit ? connection : null;
  }

  /** The newest send bucket any of the user's open connections carries (BucketMirror). */
  bucketOf(userId: string): Bucket | undefined {
    let newest: Bucket | undefined;
    for (const ws of this.#index().get(userId)?.sockets ?? []) {
      const bucket = this.#connections.get(ws)?.sendBucket;
      if (bucket && (newest === undefined || bucket.updatedAt > newest.updatedAt)) newest = bucket;
    }
    return newest;
  }

  /** Writes the user's send bucket into each of their open connections (BucketMirror). */
  mirror(userId: string, bucket: Bucket): void {
    for (const ws of this.#index().get(userId)?.sockets ?? []) this.#update(ws, { sendBucket: bucket });
  }

  /** Up to `limit` online users, `first` among them when given. */
  list(limit: number, first?: string): User[] {
    const users: User[] = [];
    const lead = first === undefined ? undefined : this.#index().get(first);
    if (lead !== undefined) users.push(lead.user);
    for (const online of this.#index().values()) {
      if (users.length >= limit) break;
      if (online !== lead) users.push(online.user);
    }
    return users;
  }

  /** A connection's place in the call, if it has one. */
  seatOf(ws: WebSocket): CallSeat | null {
    return this.#connectionOf(ws)?.seat ?? null;
  }

  /** Seats a connection in the call, changes its seat, or (null) takes it out. */
  seat(ws: WebSocket, seat: CallSeat | null): void {
    this.#index();
    this.#update(ws, { seat });
  }

  /** The connections in the call, with their seats and users. */
  seats(): { ws: WebSocket; seat: CallSeat; connection: Connection }[] {
    this.#index();
    return [...this.#seated].flatMap((ws) => {
      const connection = this.#connections.get(ws);
      return connection?.seat == null ? [] : [{ ws, seat: connection.seat, connection }];
    });
  }

  /** Every open connection with the id of its user, for fan-out. */
  connections(): IterableIterator<[WebSocket, Connection]> {
    this.#index();
    return this.#connections.entries();
  }

  /**
   * The connection of `ws`. A socket the index left out because it was
   * already closing when the room woke (the room is woken to handle that
   * very close) is read from its attachment and taken in, so that its
   * leave, and its call's, are told like any other.
   */
  #connectionOf(ws: WebSocket): Connection | undefined {
    this.#index();
    const known = this.#connections.get(ws);
    if (known !== undefined) return known;
    const stored = readConnection(ws);
    if (stored !== null) this.#add(ws, stored);
    return stored ?? undefined;
  }

  #update(ws: WebSocket, change: Partial<Connection>): void {
    const connection = this.#connections.get(ws);
    if (connection === undefined) return;
    Object.assign(connection, change);
    this.#noteSeat(ws, connection);
    writeConnection(ws, connection);
  }

  #noteSeat(ws: WebSocket, connection: Connection): void {
    if (connection.seat === null) this.#seated.delete(ws);
    else this.#seated.add(ws);
  }

  #add(ws: WebSocket, connection: Connection): void {
    this.#connections.set(ws, connection);
    this.#noteSeat(ws, connection);
    const users = this.#users ?? new Map<string, OnlineUser>();
    this.#users = users;
    const online = users.get(connection.userId);
    if (online === undefined) {
      const user = { id: connection.userId, name: connection.name };
      users.set(connection.userId, { user, sockets: new Set([ws]), typingAt: connection.typingAt });
    } else {
      online.sockets.add(ws);
      online.typingAt = Math.max(online.typingAt, connection.typingAt);
    }
  }

  #index(): Map<string, OnlineUser> {
    if (this.#users !== undefined) return this.#users;
    this.#users = new Map();
    for (const ws of this.#ctx.getWebSockets()) {
      const connection = ws.readyState === OPEN ? readConnection(ws) : null;
      if (connection !== null) this.#add(ws, connection);
    }
    return this.#users;
  }
}

export const SSE_HEARTBEAT_MS = 20_000;
/** A listener this far behind is dropped; it reconnects with Last-Event-ID and misses nothing. */
const MAX_BACKLOG_BYTES = 1 << 20;

const encoder = new TextEncoder();

/** One SSE event: `event:`, an optional `id:`, and a single line of data. */
export function sseEvent(type: string, data: string, id?: number): string {
  return `event: ${type}\n${id === undefined ? "" : `id: ${id}\n`}data: ${data}\n\n`;
}

/** Whose access opened an event stream in a key-only room: a user's role, or a key's. Null in an open room. */
export type StreamReader = { userId: string } | { keyId: string } | null;

export class EventStreams {
  /** Each listener, with the access it was opened with, so that the room can close it once that access ends. */
  readonly #listeners = new Map<ReadableStreamDefaultController<Uint8Array>, StreamReader>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  get count(): number {
    return this.#listeners.size;
  }

  /** A stream that starts with `opening`, then carries every event sent to the room. */
  open(opening: string, reader: StreamReader = null): ReadableStream<Uint8Array> {
    let listener: ReadableStreamDefaultController<Uint8Array> | undefined;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          listener = controller;
          controller.enqueue(encoder.encode(opening));
          this.#listeners.set(controller, reader);
          this.#heartbeat ??= setInterval(() => this.send(": heartbeat\n\n"), SSE_HEARTBEAT_MS);
        },
        cancel: () => {
          if (listener !== undefined) this.#remove(listener);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: MAX_BACKLOG_BYTES }),
    );
  }

  /** Sends one event (encoded once) to every listener, dropping those that fell too far behind. */
  send(event: string): void {
    if (this.#listeners.size === 0) return;
    const bytes = encoder.encode(event);
    for (const listener of this.#listeners.keys()) {
      if ((listener.desiredSize ?? 0) < 0) {
        this.#remove(listener);
        closeQuietly(listener);
        continue;
      }
      try {
        listener.enqueue(bytes);
      } catch {
        // The stream was closed or errored by its reader going away.
        this.#remove(listener);
      }
    }
  }

  /** Ends the streams whose access `mayRead` no longer grants. */
  closeUnless(mayRead: (reader: StreamReader) => boolean): void {
    for (const [listener, reader] of this.#listeners) {
      if (mayRead(reader)) continue;
      this.#remove(listener);
      closeQuietly(listener);
    }
  }

  #remove(listener: ReadableStreamDefaultController<Uint8Array>): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0 && this.#heartbeat !== undefined) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
  }
}

function closeQuietly(listener: ReadableStreamDefaultController<Uint8Array>): void {
  try {
    listener.close();
  } catch {
    // Already closed by its reader.
  }
}
