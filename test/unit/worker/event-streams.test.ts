/** Event-stream listeners: heartbeats keep proxies from closing them; laggards are dropped, not buffered forever. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EventStreams, SSE_HEARTBEAT_MS, sseEvent } from "../../../worker/presence.ts";

const decoder = new TextDecoder();

async function readText(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value } = await reader.read();
  return decoder.decode(value);
}

describe("sseEvent", () => {
  it("writes the event type, the id when there is one, and one data line", () => {
    expect(sseEvent("message", '{"seq":3}', 3)).toBe('event: message\nid: 3\ndata: {"seq":3}\n\n');
    expect(sseEvent("join", "{}")).toBe("event: join\ndata: {}\n\n");
  });
});

describe("EventStreams", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("starts each stream with its opening, then carries every event", async () => {
    const streams = new EventStreams();
    const reader = streams.open("opening\n\n").getReader();
    expect(await readText(reader)).toBe("opening\n\n");
    streams.send("event: x\ndata: 1\n\n");
    expect(await readText(reader)).toBe("event: x\ndata: 1\n\n");
  });

  it("sends a comment heartbeat every 20 seconds while a listener is attached", async () => {
    const streams = new EventStreams();
    const reader = streams.open("").getReader();
    await reader.read();
    expect(SSE_HEARTBEAT_MS).toBeGreaterThanOrEqual(15_000);
    expect(SSE_HEARTBEAT_MS).toBeLessThanOrEqual(30_000);
    vi.advanceTimersByTime(SSE_HEARTBEAT_MS);
    expect(await readText(reader)).toBe(": heartbeat\n\n");
  });

  it("forgets a listener whose reader went away, and stops the heartbeat with the last one", async () => {
    const streams = new EventStreams();
    const reader = streams.open("").getReader();
    expect(streams.count).toBe(1);
    await reader.cancel();
    expect(streams.count).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("drops a listener that has fallen a megabyte behind, so it resumes instead of growing without bound", () => {
    const streams = new EventStreams();
    streams.open("");
    const chunk = `data: ${"x".repeat(64 * 1024)}\n\n`;
    for (let i = 0; i < 20 && streams.count > 0; i++) streams.send(chunk);
    expect(streams.count).toBe(0);
  });
});
