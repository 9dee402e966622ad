/**
 * An SDK client that writes down everything it lives through: what it sent
 * and when, each ack, each message delivered (seq and digest), truncations,
 * state changes, errors, and the trace of each of its links. The log is plain
 * data, saved to disk and checked offline against the room's history.
 */
import { type ConnectionState, type ConnectOptions, connectRoom, type RoomConnection } from "../../../client/sdk.ts";
import { FlakyNetwork, type LinkTrace } from "./flaky-link.ts";
import { messageDigest } from "./message-digest.ts";

export interface ClientLog {
  name: string;
  room: string;
  /** The user id the room gave this client; null if it was never welcomed. */
  userId: string | null;
  sent: { id: string; at: number }[];
  acks: { id: string; seq: number; at: number }[];
  /** `[seq, digest, at]` of every `message` event, in the order they were emitted. */
  delivered: [number, string, number][];
  truncations: { at: number; lastDelivered: number | null; resumeAfter: number }[];
  states: [ConnectionState, number][];
  /** Errors the SDK reported, as JSON. */
  errors: string[];
  /** Messages still unacknowledged when the log was taken. */
  outboxLeft: number;
  links: LinkTrace[];
}

/** A log with nothing recorded yet. */
export function emptyLog(name: string, room: string, userId: string | null, links: LinkTrace[]): ClientLog {
  return {
    name,
    room,
    userId,
    sent: [],
    acks: [],
    delivered: [],
    truncations: [],
    states: [],
    errors: [],
    outboxLeft: 0,
    links,
  };
}

/**
 * Reconnects come quickly, so that a run spends its time on traffic rather
 * than on backoff. The short heartbeat timeout also bounds how long an
 * attempt that never settles can hang (see docs/reliability.md, "a refused
 * reconnect in Node").
 */
export const FAST_RECONNECT = {
  backoff: { baseMs: 100, maxMs: 1000 },
  heartbeat: { intervalMs: 2000, timeoutMs: 3000 },
} as const;

export type RecordedOptions = Omit<ConnectOptions, "WebSocket" | "room" | "name"> & { room: string; name: string };

/** Time on the process's monotonic clock, to a hundredth of a millisecond. */
export function now(): number {
  return Math.round(performance.now() * 100) / 100;
}

export class RecordedClient {
  readonly network = new FlakyNetwork();
  readonly connection: RoomConnection;
  readonly #log: ClientLog;
  readonly #acked = new Set<string>();

  constructor(baseUrl: string, options: RecordedOptions) {
    this.#log = emptyLog(options.name, options.room, null, this.network.links);
    this.connection = connectRoom(baseUrl, { ...FAST_RECONNECT, ...options, WebSocket: this.network.WebSocket });
    const log = this.#log;
    this.connection.on("message", (message) => log.delivered.push([message.seq, messageDigest(message), now()]));
    this.connection.on("ack", (ack) => {
      // This client only sends messages, so every ack is a stored ack, with its seq.
      if (!("seq" in ack)) return;
      log.acks.push({ id: ack.id, seq: ack.seq, at: now() });
      this.#acked.add(ack.id);
    });
    this.connection.on("truncated", (truncation) => log.truncations.push({ at: now(), ...truncation }));
    this.connection.on("state", (state) => log.states.push([state, now()]));
    this.connection.on("error", (error) => log.errors.push(JSON.stringify(error)));
  }

  get name(): string {
    return this.#log.name;
  }

  get room(): string {
    return this.#log.room;
  }

  get online(): boolean {
    return this.connection.state === "online";
  }

  /** The seq of the last message delivered; 0 before any. */
  get lastSeq(): number {
    return this.connection.lastDeliveredSeq ?? 0;
  }

  /** Messages sent so far. */
  get sentCount(): number {
    return this.#log.sent.length;
  }

  /** Distinct messages the room acknowledged so far. */
  get ackedCount(): number {
    return this.#acked.size;
  }

  /** Queues a message through the SDK and notes when. */
  send(text: string): string {
    const at = now();
    const id = this.connection.send(text);
    this.#log.sent.push({ id, at });
    return id;
  }

  close(): void {
    this.connection.close();
  }

  /** The log as it stands, ready to be saved. */
  snapshot(): ClientLog {
    return { ...this.#log, userId: this.connection.user?.id ?? null, outboxLeft: this.connection.outbox.length };
  }
}
