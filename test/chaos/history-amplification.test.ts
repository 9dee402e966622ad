/**
 * Bounded amplification. A raw client asks for the largest history page as
 * often as the frame budget lets it (20 requests a second, so it is never
 * refused for the frame rate), for 10 s, in a room of 300 messages, twice on
 * one machine: with the budget of bytes answered switched off (as the room
 * was before it had one) and with the contract's defaults. Without the
 * budget the room answers every request with a full page for as long as the
 * client asks; with it, what the room sends stays within the burst plus the
 * refill rate, whatever the client does, and a client that keeps asking past
 * it is refused and then closed for abuse.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, encodeFrame, type HistoryRequestFrame } from "../../protocol/frames.ts";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { RawClient } from "../support/chaos/raw-client.ts";
import { sleep } from "../support/chaos/wait.ts";

const MESSAGES = 300;
const FLOOD_MS = 10_000;
const REQUEST_EVERY_MS = 1000 / DEFAULT_LIMITS.frameRatePerSecond;
/**
 * Send and frame limits out of the way of the writer that fills the room;
 * the same in both runs. The flooder keeps to the default frame rate anyway.
 */
const FILL_VARS = { SEND_RATE_PER_SECOND: 1000, SEND_BURST: 1000, FRAME_RATE_PER_SECOND: 1000, FRAME_BURST: 1000 };
const NO_BUDGET = { HISTORY_BYTES_PER_SECOND: 1e12, HISTORY_BYTES_BURST: 1e12 };
const COMMAND = "npm run build && npx vitest run --project chaos test/chaos/history-amplification.test.ts";

interface FloodFigures {
  requests: number;
  bytesIn: number;
  bytesOut: number;
  pages: number;
  refusals: number;
  closedWith: number | null;
  elapsedMs: number;
}

let runtime: ChaosRuntime | undefined;

afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

/** Fills a room, floods it with history requests at the frame rate, and measures the bytes both ways. */
async function floodHistory(vars: Record<string, number>): Promise<FloodFigures> {
  runtime = await ChaosRuntime.start({ vars: { ...FILL_VARS, ...vars } });
  const room = `amplification-${crypto.randomUUID()}`;
  const writer = await RawClient.open(runtime.url, room, { name: "writer" });
  for (let i = 1; i <= MESSAGES; i++) {
    writer.send({ type: "send", id: `m${i}`, text: `message ${i}: ${"a fairly ordinary line of chat ".repeat(3)}` });
    await writer.waitFor("ack");
  }
  writer.close();
  const flooder = await RawClient.open(runtime.url, room);
  const counted = { pages: 0, refusals: 0 };
  flooder.onFrame = (frame) => {
    if (frame.type === "history") counted.pages++;
    if (frame.type === "error") counted.refusals++;
  };
  const before = flooder.charactersReceived;
  let requests = 0;
  let bytesIn = 0;
  const started = performance.now();
  while (performance.now() - started < FLOOD_MS && flooder.isOpen) {
    const frame: HistoryRequestFrame = { type: "history", ref: `f${requests}`, before: MESSAGES + 1, limit: 100 };
    const text = encodeFrame(frame);
    flooder.sendRaw(text);
    requests++;
    bytesIn += new TextEncoder().encode(text).length;
    await sleep(REQUEST_EVERY_MS);
  }
  const elapsedMs = performance.now() - started;
  await sleep(500);
  const closedWith = flooder.closedWith?.code ?? null;
  if (flooder.isOpen) flooder.close();
  // The texts are ASCII, so characters received are bytes received.
  return { requests, bytesIn, bytesOut: flooder.charactersReceived - before, ...counted, closedWith, elapsedMs };
}

describe("a history flood at the frame rate", () => {
  it("draws a bounded number of bytes out with the budget, and an unbounded one without", async () => {
    const without = await floodHistory(NO_BUDGET);
    const withBudget = await floodHistory({});
    const amplification = (figures: FloodFigures) => figures.bytesOut / figures.bytesIn;
    const row = (figures: FloodFigures) =>
      `${figures.requests} requests (${figures.bytesIn} B), ${figures.pages} pages, ${figures.refusals} refusals, ` +
      `${figures.bytesOut} B back in ${(figures.elapsedMs / 1000).toFixed(1)} s, ` +
      `close ${figures.closedWith ?? "none"}`;
    await reportFigures("history-amplification", {
      title: `History flood: 1 raw client, ${DEFAULT_LIMITS.frameRatePerSecond} requests/s of 100 messages for up to ${FLOOD_MS / 1000} s, ${MESSAGES} messages in the room`,
      command: COMMAND,
      rows: {
        "without the budget": row(without),
        "with the default budget": row(withBudget),
        "bytes out per byte in, without": amplification(without),
        "bytes out per byte in, with": amplification(withBudget),
        "budget (burst, per second)": `${DEFAULT_LIMITS.historyBytesBurst}, ${DEFAULT_LIMITS.historyBytesPerSecond}`,
      },
    });
    // Without the budget every request draws a full page and nothing ever stops it.
    expect(without.pages).toBe(without.requests);
    expect(without.closedWith).toBeNull();
    // With it, the room sends at most the burst, what refills while the flood lasts, and one page of overdraft.
    const onePage = without.bytesOut / without.pages;
    const bound =
      DEFAULT_LIMITS.historyBytesBurst +
      (DEFAULT_LIMITS.historyBytesPerSecond * withBudget.elapsedMs) / 1000 +
      onePage +
      withBudget.refusals * 300;
    expect(withBudget.bytesOut).toBeLessThanOrEqual(bound);
    expect(amplification(withBudget)).toBeLessThan(amplification(without) / 2);
    expect(withBudget.refusals).toBeGreaterThan(0);
  });
});
