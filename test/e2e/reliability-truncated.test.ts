/**
 * Beyond retention is never silent. With HISTORY_LIMIT 20, an SDK client
 * that was away while more than 20 messages went by resumes with the SDK's
 * `truncated` event and then the retained messages, never with a silent
 * gap; one away for fewer resumes without one; and one whose room lost its
 * stored state (the runtime restarted on empty storage) is told too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { PacedWriter } from "../support/chaos/paced-writer.ts";
import { RawClient } from "../support/chaos/raw-client.ts";
import { RecordedClient } from "../support/chaos/recorded-client.ts";
import { readHistory } from "../support/chaos/room-http.ts";
import { until } from "../support/chaos/wait.ts";

const HISTORY_LIMIT = 20;
/** Retention trims in batches of 1% of the limit: none at 20, so exactly 20 messages stay. */
const VARS = {
  HISTORY_LIMIT,
  SEND_RATE_PER_SECOND: 1000,
  SEND_BURST: 1000,
  FRAME_RATE_PER_SECOND: 1000,
  FRAME_BURST: 1000,
};
const WAIT_MS = 20_000;

let runtime: ChaosRuntime;
const opened: { close(): void }[] = [];

beforeAll(async () => {
  runtime = await ChaosRuntime.start({ vars: VARS });
});

afterAll(async () => {
  for (const client of opened) client.close();
  await runtime.stop();
});

async function writer(room: string): Promise<PacedWriter> {
  const raw = await RawClient.open(runtime.url, room, { name: "writer" });
  opened.push(raw);
  return new PacedWriter(raw, room, "writer");
}

function reader(room: string): RecordedClient {
  const client = new RecordedClient(runtime.url, { room, name: "reader" });
  opened.push(client);
  return client;
}

/** A fresh room where a reader has seen the first 5 messages of a writer. */
async function readerAfterFive(): Promise<{ room: string; alice: RecordedClient; bob: PacedWriter }> {
  const room = `retention-${crypto.randomUUID()}`;
  const alice = reader(room);
  await until("the reader is online", () => alice.online, WAIT_MS);
  const bob = await writer(room);
  await bob.write(5, 200, WAIT_MS);
  await until("the reader saw 5 messages", () => alice.lastSeq === 5, WAIT_MS);
  return { room, alice, bob };
}

function seqsOf(client: RecordedClient): number[] {
  return client.snapshot().delivered.map(([seq]) => seq);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

describe("resuming beyond retention", () => {
  it("tells a client that was away too long that its view is truncated, then delivers what is retained", async () => {
    const { room, alice, bob } = await readerAfterFive();
    alice.network.sever(3000);
    await bob.write(40, 200, WAIT_MS);
    await until("the reader caught up", () => alice.lastSeq === 45, WAIT_MS);
    const retained = await readHistory(runtime.url, room);
    expect(retained.map((message) => message.seq)).toEqual(range(26, 45));
    expect(alice.snapshot().truncations).toEqual([{ at: expect.any(Number), lastDelivered: 5, resumeAfter: 25 }]);
    expect(seqsOf(alice)).toEqual([...range(1, 5), ...range(26, 45)]);
  });

  it("resumes a client that was away for less than the retention without a truncation or a gap", async () => {
    const { alice, bob } = await readerAfterFive();
    alice.network.sever(2000);
    await bob.write(15, 200, WAIT_MS);
    await until("the reader caught up", () => alice.lastSeq === 20, WAIT_MS);
    expect(alice.snapshot().truncations).toEqual([]);
    expect(seqsOf(alice)).toEqual(range(1, 20));
  });

  it("tells a client whose room lost its stored history, after the runtime restarted on empty storage", async () => {
    const { room, alice } = await readerAfterFive();
    await runtime.crash();
    await runtime.restart({ freshState: true });
    await until("the reader is back", () => alice.online, WAIT_MS);
    const carol = await writer(room);
    await carol.write(1, 200, WAIT_MS);
    await until("the reader saw the new room's first message", () => alice.lastSeq === 1, WAIT_MS);
    expect(alice.snapshot().truncations).toEqual([{ at: expect.any(Number), lastDelivered: 5, resumeAfter: 0 }]);
    expect(seqsOf(alice)).toEqual([1, 2, 3, 4, 5, 1]);
  }, 120_000);
});
