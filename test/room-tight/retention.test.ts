/**
 * Retention and resume windows (HISTORY_LIMIT 5, RESUME_LIMIT 4 here): a
 * client that was away too long is told its view is broken, never given a
 * silent gap.
 */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sendAndAck } from "../room/support/client.ts";

async function fill(room: string, count: number) {
  const writer = await connect(room, { name: "writer" });
  for (let i = 1; i <= count; i++) await sendAndAck(writer, `m${i}`, `text ${i}`);
  return writer;
}

describe("retention", () => {
  it("keeps the newest HISTORY_LIMIT messages", async () => {
    const room = freshRoom();
    await fill(room, 9);
    const reader = await connect(room);
    reader.send({ type: "history", limit: 100 });
    const page = await reader.next("history");
    expect(page.messages.map((message) => message.seq)).toEqual([5, 6, 7, 8, 9]);
    expect(page.hasMore).toBe(false);
    expect(reader.welcome.lastSeq).toBe(9);
  });

  it("says truncated when messages after `since` were trimmed, and gives what remains", async () => {
    const room = freshRoom();
    await fill(room, 8);
    const reader = await connect(room, { since: 1 });
    expect(reader.welcome.truncated).toBe(true);
    expect(reader.welcome.history.map((message) => message.seq)).toEqual([4, 5, 6, 7]);
    expect(reader.welcome.more).toBe(true);
  });

  it("does not say truncated when nothing the client missed was trimmed", async () => {
    const room = freshRoom();
    await fill(room, 8);
    const reader = await connect(room, { since: 3 });
    expect(reader.welcome).not.toHaveProperty("truncated");
    expect(reader.welcome.history.map((message) => message.seq)).toEqual([4, 5, 6, 7]);
  });
});

describe("resume beyond RESUME_LIMIT", () => {
  it("sends the first RESUME_LIMIT missed messages with more: true, and the rest come with `after`", async () => {
    const room = freshRoom();
    await fill(room, 5);
    const reader = await connect(room, { since: 0 });
    expect(reader.welcome.history.map((message) => message.seq)).toEqual([1, 2, 3, 4]);
    expect(reader.welcome.more).toBe(true);
    reader.send({ type: "history", after: 4 });
    const rest = await reader.next("history");
    expect(rest.messages.map((message) => message.seq)).toEqual([5]);
    expect(rest.hasMore).toBe(false);
  });

  it("does not say more when the missed messages fit", async () => {
    const room = freshRoom();
    await fill(room, 5);
    const reader = await connect(room, { since: 1 });
    expect(reader.welcome.history.map((message) => message.seq)).toEqual([2, 3, 4, 5]);
    expect(reader.welcome).not.toHaveProperty("more");
  });
});
