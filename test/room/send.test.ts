/** Sending: order, durability before acknowledgement, idempotency. */
import { abortAllDurableObjects, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect, freshRoom, roomStub, sendAndAck } from "./support/client.ts";

describe("send", () => {
  it("is acknowledged to the sender with its seq and timestamp", async () => {
    const alice = await connect(freshRoom(), { name: "alice" });
    const before = Date.now();
    const ack = await sendAndAck(alice, "m1", "hello");
    expect(ack).toEqual({ type: "ack", id: "m1", seq: 1, ts: expect.any(Number) });
    expect(ack.ts).toBeGreaterThanOrEqual(before - 1000);
  });

  it("is broadcast to every connection, the sender's included, as the stored message", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    const ack = await sendAndAck(alice, "m1", "  hi bob  ");
    const expected = { type: "message", seq: 1, id: "m1", user: alice.user, text: "hi bob", ts: ack.ts };
    expect(await alice.next("message")).toEqual(expected);
    expect(await bob.next("message")).toEqual(expected);
  });

  it("reaches every tab of every user", async () => {
    const room = freshRoom();
    const tab1 = await connect(room, { name: "carol" });
    const tab2 = await connect(room, { token: tab1.welcome.token });
    await sendAndAck(tab1, "m1", "from tab 1");
    expect((await tab1.next("message")).seq).toBe(1);
    expect((await tab2.next("message")).text).toBe("from tab 1");
  });

  it("numbers messages 1, 2, 3... and every connection sees them in that order", async () => {
    const room = freshRoom();
    const clients = await Promise.all(["a", "b", "c"].map((name) => connect(room, { name })));
    const sends = clients.flatMap((client, i) =>
      Array.from({ length: 3 }, (_, n) => () => client.send({ type: "send", id: `c${i}-${n}`, text: `${i}/${n}` })),
    );
    for (const send of sends) send();
    for (const client of clients) {
      const seqs: number[] = [];
      while (seqs.length < sends.length) {
        const frame = await client.waitFor("message");
        seqs.push(frame.seq);
      }
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it("with a (user, id) already stored is not stored again; the sender gets the original ack", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    const first = await sendAndAck(alice, "same-id", "once");
    await alice.next("message");
    await bob.next("message");
    const again = await sendAndAck(alice, "same-id", "once");
    expect(again).toEqual(first);
    await bob.expectSilence();
    await alice.expectSilence();
    const reader = await connect(room);
    expect(reader.welcome.history).toHaveLength(1);
  });

  it("dedupes a resend from another connection of the same user", async () => {
    const room = freshRoom();
    const tab1 = await connect(room, { name: "alice" });
    const first = await sendAndAck(tab1, "retry-me", "hello");
    tab1.close();
    const tab2 = await connect(room, { token: tab1.welcome.token });
    expect(await sendAndAck(tab2, "retry-me", "hello")).toEqual(first);
  });

  it("keeps the same id from two different users apart", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    expect((await sendAndAck(alice, "1", "from alice")).seq).toBe(1);
    expect((await sendAndAck(bob, "1", "from bob")).seq).toBe(2);
  });
});

describe("durability", () => {
  it("an acknowledged message survives an eviction of the room", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    await sendAndAck(alice, "m1", "keep me");
    await evictDurableObject(roomStub(room), { webSockets: "close" });
    const reader = await connect(room);
    expect(reader.welcome.history).toMatchObject([{ seq: 1, id: "m1", text: "keep me", user: alice.user }]);
  });

  it("an acknowledged message survives a reset of every object", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    await sendAndAck(alice, "m1", "one");
    await sendAndAck(alice, "m2", "two");
    await abortAllDurableObjects();
    const reader = await connect(room);
    expect(reader.welcome.lastSeq).toBe(2);
    expect(reader.welcome.history.map((event) => (event.type === "message" ? event.text : event.type))).toEqual([
      "one",
      "two",
    ]);
  });

  it("seq continues after a reset, never reusing a number", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    await sendAndAck(alice, "m1", "one");
    await abortAllDurableObjects();
    const again = await connect(room, { token: alice.welcome.token });
    expect((await sendAndAck(again, "m2", "two")).seq).toBe(2);
  });
});
