/**
 * The Room's side of its relay tier (docs/protocol.md, Relays). Above
 * RELAY_THRESHOLD connections the Worker sends new listeners to relay
 * objects, each holding its own sockets; the Room stays the one sequencer.
 * - The registry names every relay that holds listeners of this room, with
 *   how many, in the room's SQLite, so that a woken room still knows whom
 *   to deliver to and what to count.
 * - Every frame the room broadcasts goes to each relay once, by RPC, in the
 *   order the room sent them; each carries the seq of the event it is (or
 *   null), from which a relay sees a gap and fills it from the room.
 * - A relayed listener's frames come back by RPC and are handled by the
 *   room's own handlers through a `RelayEndpoint`: a stand-in for its socket
 *   that collects what the room answers it, and is never one of the room's
 *   connections (broadcasts reach it through its relay).
 */
import { logUnexpected } from "./http.ts";

/**
 * Where a broadcast stands among all the room's broadcasts: the room's
 * instance (when it started) and the broadcast's number in it. A listener
 * welcomed at a mark is given only the broadcasts after it, events or not.
 */
export interface BroadcastMark {
  epoch: number;
  order: number;
}

/** Whether `mark` comes after `than`: a later instance of the room, or a later broadcast of the same one. */
export function isAfter(mark: BroadcastMark, than: BroadcastMark): boolean {
  return mark.epoch > than.epoch || (mark.epoch === than.epoch && mark.order > than.order);
}

/**
 * One frame as a relay receives it: its text, the seq of the event it is
 * (or null), and its broadcast's mark (null for an event the room gives
 * back to fill a gap).
 */
export interface RelayedFrame {
  text: string;
  seq: number | null;
  mark: BroadcastMark | null;
}

/** What the Room delivers to: a relay object's RPC surface (worker/relay.ts). */
export interface RelayStub {
  deliver(frames: RelayedFrame[]): Promise<void>;
}

/** The relay objects' namespace, as the Room reaches it. */
export interface RelayNamespace {
  getByName(name: string): RelayStub;
}

export class RelayRegistry {
  readonly #sql: SqlStorage;
  readonly #namespace: RelayNamespace | undefined;
  readonly #threshold: number;
  #counts: Map<string, number> | undefined;
  readonly #stubs = new Map<string, RelayStub>();

  /** `threshold`: the room's own connections above which newcomers go to relays (RELAY_THRESHOLD). */
  constructor(sql: SqlStorage, namespace: RelayNamespace | undefined, threshold: number) {
    this.#sql = sql;
    this.#namespace = namespace;
    this.#threshold = threshold;
  }

  /** Whether a room with `connections` of its own sends newcomers to relays; never without a relay namespace. */
  full(connections: number): boolean {
    return this.#namespace !== undefined && connections >= this.#threshold;
  }

  /** How many listeners the room's relays hold together. */
  get listenerCount(): number {
    let total = 0;
    for (const count of this.#known().values()) total += count;
    return total;
  }

  /** A relay reported how many listeners it holds; one that holds none is forgotten. */
  report(name: string, listeners: number): void {
    const counts = this.#known();
    if (listeners === counts.get(name)) return;
    if (listeners > 0) {
      counts.set(name, listeners);
      this.#sql.exec(
        "INSERT INTO relays (name, listeners) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET listeners = excluded.listeners",
        name,
        listeners,
      );
    } else {
      counts.delete(name);
      this.#stubs.delete(name);
      this.#sql.exec("DELETE FROM relays WHERE name = ?", name);
    }
  }

  /** A listener was admitted to relay `name`; its report of the count follows. */
  added(name: string): void {
    this.report(name, (this.#known().get(name) ?? 0) + 1);
  }

  /**
   * Sends `frames` to every relay, each once, without waiting: calls on one
   * stub arrive in the order they were made, so each relay gets the room's
   * frames in the room's order. A relay that fails to take them sees the gap
   * when the next ones arrive, and fills it from the room.
   */
  deliver(frames: RelayedFrame[]): void {
    if (this.#namespace === undefined || frames.length === 0) return;
    for (const name of this.#known().keys()) {
      let stub = this.#stubs.get(name);
      if (stub === undefined) {
        stub = this.#namespace.getByName(name);
        this.#stubs.set(name, stub);
      }
      stub.deliver(frames).catch((error: unknown) => logUnexpected("relay delivery", error));
    }
  }

  #known(): Map<string, number> {
    this.#counts ??= new Map(
      this.#sql
        .exec<{ name: string; listeners: number }>("SELECT name, listeners FROM relays")
        .toArray()
        .map(({ name, listeners }) => [name, listeners]),
    );
    return this.#counts;
  }
}

/**
 * A relayed listener as the room's handlers see it: the part of a
 * WebSocket they use. What the room sends it is collected and returned to
 * its relay with the answer to the frame; it carries no attachment, so the
 * room never takes it for one of its own connections.
 */
export class RelayEndpoint {
  readonly readyState = 1;
  #sent: string[] = [];
  #closed: { code: number; reason: string } | null = null;

  send(text: string): void {
    this.#sent.push(text);
  }

  close(code: number, reason: string): void {
    this.#closed = { code, reason };
  }

  serializeAttachment(): void {
    // The room keeps no connection state for a relayed listener.
  }

  deserializeAttachment(): null {
    return null;
  }

  /** What the room sent since the last call, and the close it asked for, if any. */
  take(): { frames: string[]; close: { code: number; reason: string } | null } {
    const taken = { frames: this.#sent, close: this.#closed };
    this.#sent = [];
    this.#closed = null;
    return taken;
  }
}

/** Whether `ws` stands in for a relayed listener rather than being one of the room's sockets. */
export function isRelayEndpoint(ws: WebSocket): boolean {
  return (ws as unknown) instanceof RelayEndpoint;
}
