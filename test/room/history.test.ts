/** History pages and resume: gapless, in order, never silently truncated. */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sendAndAck, type TestClient } from "./support/client.ts";

/** Fills a room with `count` messages from enough users to stay under the send rate. */
async function fill(room: string, count: number): Promise<TestClient[]> {
  const writers = await Promise.all(
    Array.from({ length: Math.ceil(count / 10) }, (_, i) => connect(room, { name: `w${i}` })),
  );
  for (let i = 0; i < count; i++) {
    const writer = writers[Math.floor(i / 10)];
    if (writer === undefined) throw new Error("no writer");
    await sendAndAck(writer, `m${i + 1}`, `text ${i + 1}`);
  }
  return writers;
}

const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("history requests", () => {
  it("give the newest page by default, 50 messages, with hasMore", async () => {
    const room = freshRoom();
    await fill(room, 60);
    const reader = await connect(room);
    reader.send({ type: "history" });
    const page = await reader.next("history");
    expect(page.messages.map((message) => message.seq)).toEqual(seqs(11, 60));
    expect(page.hasMore).toBe(true);
  });

  it("page backwards with `before`", async () => {
    const room = freshRoom();
    await fill(room, 30);
    const reader = await connect(room);
    reader.send({ type: "history", before: 21, limit: 10 });
    const page = await reader.next("history");
    expect(page.messages.map((message) => message.seq)).toEqual(seqs(11, 20));
    expect(page.hasMore).toBe(true);
    reader.send({ type: "history", before: 11, limit: 10 });
    const oldest = await reader.next("history");
    expect(oldest.messages.map((message) => message.seq)).toEqual(seqs(1, 10));
    expect(oldest.hasMore).toBe(false);
  });

  it("page forwards with `after`", async () => {
    const room = freshRoom();
    await fill(room, 25);
    const reader = await connect(room);
    reader.send({ type: "history", after: 10, limit: 10 });
    const page = await reader.next("history");
    expect(page.messages.map((message) => message.seq)).toEqual(seqs(11, 20));
    expect(page.hasMore).toBe(true);
    reader.send({ type: "history", after: 20, limit: 10 });
    const newest = await reader.next("history");
    expect(newest.messages.map((message) => message.seq)).toEqual(seqs(21, 25));
    expect(newest.hasMore).toBe(false);
  });

  it("carry whole messages", async () => {
    const room = freshRoom();
    const [writer] = await fill(room, 1);
    const reader = await connect(room);
    reader.send({ type: "history", limit: 1 });
    const page = await reader.next("history");
    expect(page.messages).toEqual([{ seq: 1, id: "m1", user: writer?.user, text: "text 1", ts: expect.any(Number) }]);
  });

  it("refuse `before` and `after` together, and a limit outside 1 to 100", async () => {
    const reader = await connect(freshRoom());
    for (const frame of [
      { type: "history", before: 5, after: 1 },
      { type: "history", limit: 0 },
      { type: "history", limit: 101 },
      { type: "history", before: -1 },
      { type: "history", after: 1.5 },
    ]) {
      reader.send(frame);
      expect(await reader.next("error")).toMatchObject({ code: "bad_request" });
    }
  });
});

describe("resume with `since`", () => {
  it("gives exactly the messages after `since`, in order", async () => {
    const room = freshRoom();
    await fill(room, 12);
    const reader = await connect(room, { since: 7 });
    expect(reader.welcome.history.map((message) => message.seq)).toEqual(seqs(8, 12));
    expect(reader.welcome.lastSeq).toBe(12);
    expect(reader.welcome).not.toHaveProperty("more");
    expect(reader.welcome).not.toHaveProperty("truncated");
  });

  it("misses nothing and repeats nothing across a reconnect", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const reader = await connect(room, { name: "reader" });
    const seen: number[] = [];
    for (let i = 1; i <= 3; i++) {
      await sendAndAck(writer, `a${i}`, `before ${i}`);
      seen.push((await reader.waitFor("message")).seq);
    }
    reader.close();
    for (let i = 1; i <= 4; i++) await sendAndAck(writer, `b${i}`, `while away ${i}`);
    const back = await connect(room, { since: seen.at(-1) ?? 0, token: reader.welcome.token });
    seen.push(...back.welcome.history.map((message) => message.seq));
    await sendAndAck(writer, "c1", "after");
    seen.push((await back.waitFor("message")).seq);
    expect(seen).toEqual(seqs(1, 8));
  });

  it("with since = lastSeq gives an empty history, not truncated", async () => {
    const room = freshRoom();
    await fill(room, 3);
    const reader = await connect(room, { since: 3 });
    expect(reader.welcome.history).toEqual([]);
    expect(reader.welcome).not.toHaveProperty("truncated");
  });

  it("with a `since` beyond the room's lastSeq says truncated", async () => {
    const room = freshRoom();
    await fill(room, 2);
    const reader = await connect(room, { since: 40 });
    expect(reader.welcome).toMatchObject({ lastSeq: 2, history: [], truncated: true });
  });
});
