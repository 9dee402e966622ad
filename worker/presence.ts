/**
 * Who is online: users, not connections. The index lives in memory and is
 * rebuilt from the sockets' attachments the first time it is needed after
 * the room wakes, so it survives hibernation without touching storage.
 */
import { recordError } from "./abuse-window.ts";
import { type Connection, readConnection, writeConnection } from "./connection.ts";
import type { User } from "./protocol.ts";

interface OnlineUser {
  user: User;
  sockets: Set<WebSocket>;
  /** When this user's typing was last relayed, from any of their connections. */
  typingAt: number;
}

/** `WebSocket.readyState` of an open socket. */
const OPEN = 1;

export class Presence {
  readonly #ctx: DurableObjectState;
  #users: Map<string, OnlineUser> | undefined;
  readonly #connections = new Map<WebSocket, Connection>();

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

  /** Adds a connection from `address`; `first` says whether it is the user's first, which makes the user join. */
  connect(ws: WebSocket, user: User, address: string): { first: boolean } {
    // Build the index before `ws` carries an attachment, or a rebuild would count it already.
    const first = !this.#index().has(user.id);
    const connection: Connection = { userId: user.id, name: user.name, address, typingAt: 0, errorTimes: [] };
    writeConnection(ws, connection);
    this.#add(ws, connection);
    return { first };
  }

  /** Removes a connection; `last` says whether the user has no connection left and so leaves. */
  disconnect(ws: WebSocket): { user: User; last: boolean } | null {
    const connection = this.#connectionOf(ws);
    if (connection === undefined) return null;
    this.#connections.delete(ws);
    const online = this.#index().get(connection.userId);
    if (online === undefined) return null;
    online.sockets.delete(ws);
    const last = online.sockets.size === 0;
    if (last) this.#index().delete(connection.userId);
    return { user: online.user, last };
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

  /** Every open connection with the id of its user, for fan-out. */
  connections(): IterableIterator<[WebSocket, Connection]> {
    this.#index();
    return this.#connections.entries();
  }

  #connectionOf(ws: WebSocket): Connection | undefined {
    this.#index();
    return this.#connections.get(ws);
  }

  #update(ws: WebSocket, change: Partial<Connection>): void {
    const connection = this.#connections.get(ws);
    if (connection === undefined) return;
    Object.assign(connection, change);
    writeConnection(ws, connection);
  }

  #add(ws: WebSocket, connection: Connection): void {
    this.#connections.set(ws, connection);
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
