/**
 * Bounded amplification: each connection has a budget of bytes answered to
 * its `history` requests (HISTORY_BYTES_BURST 8000, refilled at
 * HISTORY_BYTES_PER_SECOND 4000 here). A page may overdraw it; the next
 * request is refused with rate_limited (its ref echoed) until it has
 * refilled, so what a connection draws out stays bounded whatever it asks.
 */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sleep, type TestClient } from "../room/support/client.ts";

/** Five messages of 3000 characters: one page of them is about 15 KB, past the burst. */
async function fillWithLongMessages(room: string): Promise<TestClient> {
  const writer = await connect(room, { name: "writer" });
  for (let i = 1; i <= 5; i++) {
    writer.send({ type: "send", id: `m${i}`, text: `${i}`.repeat(3000) });
    await writer.waitFor("ack");
  }
  return writer;
}

describe("the budget of bytes answered to history requests", () => {
  it("answers a page that overdraws it, then refuses the next with rate_limited and the ref", async () => {
    const room = freshRoom();
    await fillWithLongMessages(room);
    const reader = await connect(room);
    reader.send({ type: "history", ref: "p1", limit: 5 });
    expect((await reader.next("history")).messages).toHaveLength(5);
    reader.send({ type: "history", ref: "p2", limit: 5 });
    const refused = await reader.next("error");
    expect(refused).toMatchObject({ code: "rate_limited", ref: "p2" });
    expect(refused.retryAfter).toBeGreaterThan(0);
  });

  it("answers again once retryAfter has passed", async () => {
    const room = freshRoom();
    await fillWithLongMessages(room);
    const reader = await connect(room);
    reader.send({ type: "history", ref: "p1", limit: 5 });
    await reader.next("history");
    reader.send({ type: "history", ref: "p2", limit: 5 });
    const { retryAfter = 0 } = await reader.next("error");
    await sleep(retryAfter + 20);
    reader.send({ type: "history", ref: "p3", limit: 1 });
    expect(await reader.next("history")).toMatchObject({ ref: "p3" });
  });

  it("is per connection: another reader is answered at once", async () => {
    const room = freshRoom();
    await fillWithLongMessages(room);
    const greedy = await connect(room);
    greedy.send({ type: "history", limit: 5 });
    await greedy.next("history");
    const other = await connect(room);
    other.send({ type: "history", ref: "mine", limit: 5 });
    expect(await other.next("history")).toMatchObject({ ref: "mine" });
  });
});
