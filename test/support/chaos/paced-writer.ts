/**
 * A writer that keeps a schedule: `send` frames at a fixed rate on an
 * absolute clock, without waiting for each ack. (The SDK's outbox waits for
 * each ack to keep the user's order, so one SDK user sends at most one
 * message per round trip.) A window bounds how many may be unacknowledged,
 * so that a room slower than the schedule sets the pace instead of drowning
 * in a backlog. It records what it sent, its acks and the messages it was
 * delivered, as a ClientLog the offline checks read.
 */
import { CLIENT_FRAME } from "../../../protocol/frames.ts";
import { messageDigest } from "./message-digest.ts";
import type { RawClient } from "./raw-client.ts";
import { type ClientLog, emptyLog, now } from "./recorded-client.ts";
import { sleep, untilDrained } from "./wait.ts";

export class PacedWriter {
  readonly #client: RawClient;
  readonly #log: ClientLog;
  readonly #acked = new Set<string>();

  constructor(client: RawClient, room: string, name: string) {
    this.#client = client;
    this.#log = emptyLog(name, room, client.welcome.you.id, []);
    client.onFrame = (frame) => {
      // Only messages are sent here, so every ack is a stored ack, with its seq.
      if (frame.type === "ack" && "seq" in frame) {
        this.#log.acks.push({ id: frame.id, seq: frame.seq, at: now() });
        this.#acked.add(frame.id);
      } else if (frame.type === "message") {
        const { type: _, ...message } = frame;
        this.#log.delivered.push([message.seq, messageDigest(message), now()]);
      } else if (frame.type === "error") {
        this.#log.errors.push(JSON.stringify(frame));
      }
    };
  }

  get ackedCount(): number {
    return this.#acked.size;
  }

  /**
   * Sends `count` more messages at `ratePerSecond`, with at most `window`
   * unacknowledged, then waits for every ack while acks keep coming (at most
   * `stallMs` apart); returns the ms from the first send to the last ack.
   */
  async write(
    count: number,
    ratePerSecond: number,
    stallMs: number,
    window = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    const start = performance.now();
    const first = this.#log.sent.length + 1;
    const unacked = () => this.#log.sent.length - this.#acked.size;
    for (let i = 0; i < count; i++) {
      await sleep(start + ((i + 1) * 1000) / ratePerSecond - performance.now());
      const waiting = `the writer's window of ${window} to open`;
      await untilDrained(
        waiting,
        () => unacked() < window,
        () => this.#acked.size,
        stallMs,
        10 * 60_000,
      );
      const n = first + i;
      const id = `${this.#log.name}-${n}`;
      this.#log.sent.push({ id, at: now() });
      this.#client.send({ type: CLIENT_FRAME.send, id, text: `message ${n}` });
    }
    const total = this.#log.sent.length;
    const acked = () => this.#acked.size;
    await untilDrained(
      `the writer's ${total} messages are acked`,
      () => acked() === total,
      acked,
      stallMs,
      10 * 60_000,
    );
    return performance.now() - start;
  }

  snapshot(): ClientLog {
    return { ...this.#log, outboxLeft: this.#log.sent.length - this.#acked.size };
  }
}
