/**
 * The relay tier (docs/protocol.md, Relays). This project runs with
 * RELAY_THRESHOLD 2 and RELAY_SHARDS 2: a room takes two connections of its
 * own, and every later one is held by a relay; and with
 * COALESCE_SENDS_PER_SECOND 20, so that every room coalesces. The room stays the one
 * sequencer: relayed listeners get every event once, in seq order, across
 * relay and room evictions and a relay that missed a delivery; what they
 * send goes through the room; the room counts them.
 */

import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MessageFrame } from "../../protocol/frames.ts";
import { connect, freshRoom, roomStub, sendAndAck, sleep, type TestClient } from "../room/support/client.ts";
import { api, postOk } from "../room/support/http.ts";
import { join, nextFrame, ownedRoom, uniqueId } from "../room/support/owners.ts";

/** The relays the room delivers to, with the listeners each reported, from the room's own storage. */
async function relaysOf(room: string): Promise<{ name: string; listeners: number }[]> {
  return runInDurableObject(roomStub(room), (_instance, state) =>
    state.storage.sql
      .exec<{ name: string; listeners: number }>("SELECT name, listeners FROM relays ORDER BY name")
      .toArray(),
  );
}

/** Waits until the room's relays report `total` listeners between them. */
async function untilRelayed(room: string, total: number): Promise<{ name: string; listeners: number }[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const relays = await relaysOf(room);
    if (relays.reduce((sum, relay) => sum + relay.listeners, 0) === total) return relays;
    await sleep(20);
  }
  throw new Error(`the relays of ${room} never reported ${total} listeners: ${JSON.stringify(await relaysOf(room))}`);
}

/** A room with its two own connections taken, and `count` listeners held by its relays, from different addresses. */
async function relayedRoom(count: number) {
  const room = freshRoom();
  const sender = await connect(room, { name: "sender" });
  const local = await connect(room, { name: "local" });
  const listeners: TestClient[] = [];
  for (let i = 0; i < count; i++)
    listeners.push(await connect(room, { name: `far${i}`, address: `198.51.100.${i + 1}` }));
  const relays = await untilRelayed(room, count);
  return { room, sender, local, listeners, relays };
}

/** Reads `count` messages from a client, skipping every other frame. */
async function messages(client: TestClient, count: number, timeoutMs = 2000): Promise<MessageFrame[]> {
  const read: MessageFrame[] = [];
  while (read.length < count) read.push(await client.waitFor("message", timeoutMs));
  return read;
}

describe("a room above RELAY_THRESHOLD", () => {
  it("opens newcomers on its relays, which report them to the room", async () => {
    const { room, relays } = await relayedRoom(4);
    expect(relays.length).toBeGreaterThan(0);
    expect(relays.every(({ name }) => name.startsWith(`${room}/`))).toBe(true);
    const info = await (await api(`/api/rooms/${room}`)).json<{ online: number }>();
    // Two users of the room's own, four relayed listeners.
    expect(info.online).toBe(6);
  });

  it("gives every relayed listener every message once, in seq order", async () => {
    const { sender, listeners } = await relayedRoom(3);
    const acks = [];
    for (let i = 0; i < 10; i++) acks.push((await sendAndAck(sender, uniqueId("m"), `m${i}`)).seq);
    for (const listener of listeners) expect((await messages(listener, 10)).map((m) => m.seq)).toEqual(acks);
  });

  it("welcomes a relayed listener with the room's count, its relayed listeners included", async () => {
    const { room } = await relayedRoom(2);
    const newcomer = await connect(room, { name: "newcomer", address: "203.0.113.9" });
    expect(newcomer.welcome.onlineCount).toBe(5);
    // Counted, never listed (the room is large), but for the newcomer itself, first as always.
    expect(newcomer.welcome.online[0]).toEqual(newcomer.user);
    expect(newcomer.welcome.online.map((user) => user.name)).not.toContain("far0");
  });

  it("takes a relayed listener's messages through the room: acked, stored, and broadcast to everyone", async () => {
    const { room, sender, listeners } = await relayedRoom(2);
    const [far, other] = listeners;
    if (far === undefined || other === undefined) throw new Error("no listeners");
    const ack = await sendAndAck(far, uniqueId("far"), "from far away");
    expect(ack.seq).toBe(1);
    expect((await sender.waitFor("message")).text).toBe("from far away");
    expect((await other.waitFor("message")).seq).toBe(ack.seq);
    const page = await (await api(`/api/rooms/${room}/messages`)).json<{ messages: { text: string }[] }>();
    expect(page.messages.map((m) => m.text)).toEqual(["from far away"]);
  });

  it("gives a version 2 relayed listener what follows within the room's window as one batch", async () => {
    const { room, sender } = await relayedRoom(1);
    const far = await join(room, { name: "far v2", address: "203.0.113.50" });
    await untilRelayed(room, 2);
    // Quiet for longer than a window, whatever waited for the end of the last one (the local join) included.
    await sleep(250);
    const ids = Array.from({ length: 5 }, () => uniqueId("m"));
    for (const id of ids) sender.send({ type: "send", id, text: id });
    expect((await messages(far, 5)).map((m) => m.id)).toEqual(ids);
    // The first went out at once; the four that followed within the window came as one delivery, one batch.
    expect(far.batchSizes).toEqual([4]);
  });

  it("answers a relayed listener's history request to it alone, and refuses it a call", async () => {
    const { sender, listeners } = await relayedRoom(2);
    const [far, other] = listeners;
    if (far === undefined || other === undefined) throw new Error("no listeners");
    await sendAndAck(sender, uniqueId("m"), "before");
    far.send({ type: "history", ref: "page-1", after: 0 });
    const page = await far.waitFor("history");
    expect(page).toMatchObject({ ref: "page-1", hasMore: false });
    expect(page.messages.map((m) => m.text)).toEqual(["before"]);
    far.send({ type: "call", id: uniqueId("c"), action: "join", audio: true, video: false });
    expect(await far.waitFor("error")).toMatchObject({ code: "forbidden" });
    await other.waitFor("message");
    await other.expectSilence(200);
  });

  it("resumes a relayed listener with `since` without a gap", async () => {
    const { room, sender, listeners } = await relayedRoom(1);
    const [far] = listeners;
    if (far === undefined) throw new Error("no listener");
    const first = await sendAndAck(sender, uniqueId("m"), "seen");
    await far.waitFor("message");
    far.close();
    await far.closed;
    const missed = [];
    for (let i = 0; i < 3; i++) missed.push((await sendAndAck(sender, uniqueId("m"), `missed ${i}`)).seq);
    const back = await connect(room, {
      name: "far0",
      since: first.seq,
      token: far.welcome.token,
      address: "198.51.100.1",
    });
    expect(back.welcome.history.map((event) => event.seq)).toEqual(missed);
    const next = await sendAndAck(sender, uniqueId("m"), "live");
    expect((await back.waitFor("message")).seq).toBe(next.seq);
  });

  it("loses nothing when a relay is evicted between deliveries", async () => {
    const { sender, listeners, relays } = await relayedRoom(2);
    const before = await sendAndAck(sender, uniqueId("m"), "before");
    for (const listener of listeners) expect((await listener.waitFor("message")).seq).toBe(before.seq);
    for (const { name } of relays) await evictDurableObject(env.RELAY.getByName(name));
    const after = [];
    for (let i = 0; i < 5; i++) after.push((await sendAndAck(sender, uniqueId("m"), `after ${i}`)).seq);
    for (const listener of listeners) expect((await messages(listener, 5)).map((m) => m.seq)).toEqual(after);
  });

  it("delivers to its relays after the room itself is evicted", async () => {
    const { room, listeners } = await relayedRoom(2);
    await evictDurableObject(roomStub(room));
    const posted = await postOk(room, { id: uniqueId("p"), text: "after the room slept" });
    for (const listener of listeners) expect((await listener.waitFor("message")).seq).toBe(posted.message.seq);
  });

  it("fills a gap from the room when a relay missed a delivery, before anything later", async () => {
    const { room, sender, listeners, relays } = await relayedRoom(1);
    const [far] = listeners;
    const [relay] = relays;
    if (far === undefined || relay === undefined) throw new Error("no relayed listener");
    const seen = await sendAndAck(sender, uniqueId("m"), "seen");
    expect((await far.waitFor("message")).seq).toBe(seen.seq);
    // The room forgets the relay for one message, as if its delivery had been lost on the way.
    await roomStubOf(room).relayReport(relay.name, 0);
    const lost = await sendAndAck(sender, uniqueId("m"), "lost on the way");
    await roomStubOf(room).relayReport(relay.name, 1);
    const next = await sendAndAck(sender, uniqueId("m"), "next");
    expect((await messages(far, 2)).map((m) => [m.seq, m.text])).toEqual([
      [lost.seq, "lost on the way"],
      [next.seq, "next"],
    ]);
    await far.expectSilence(200);
  });

  it("gives a listener that opens while messages flow each event once, after its welcome", async () => {
    const { room, sender } = await relayedRoom(1);
    const ids = Array.from({ length: 30 }, () => uniqueId("m"));
    for (const id of ids) sender.send({ type: "send", id, text: id });
    const newcomers = await Promise.all(
      [0, 1, 2].map((i) => connect(room, { name: `late${i}`, address: `203.0.113.${20 + i}` })),
    );
    let last = 0;
    for (;;) {
      const frame = await nextFrame(sender);
      if (frame.type === "ack" && "seq" in frame) last = Math.max(last, frame.seq);
      if (frame.type === "ack" && frame.id === ids.at(-1)) break;
    }
    for (const newcomer of newcomers) {
      const welcomed = newcomer.welcome.lastSeq;
      const live = welcomed === last ? [] : (await messages(newcomer, last - welcomed)).map((m) => m.seq);
      expect(live).toEqual(Array.from({ length: last - welcomed }, (_, i) => welcomed + 1 + i));
      await newcomer.expectSilence(150);
    }
  });

  it("closes a relayed listener the room's owner kicks, after it hears of the kick", async () => {
    const { room, owner } = await ownedRoom();
    await join(room, { name: "local" });
    const guest = await join(room, { name: "far guest", address: "198.51.100.77" });
    await untilRelayed(room, 1);
    owner.send({ type: "moderate", id: uniqueId("kick"), action: "kick", user: guest.user.id });
    expect(await guest.waitFor("moderation")).toMatchObject({ action: "kick", subject: guest.user });
    expect(await guest.closed).toMatchObject({ code: 4001 });
    await untilRelayed(room, 0);
  });
});

/** The room's RPC stub, typed, for the relay reports a test makes in a relay's place. */
function roomStubOf(room: string) {
  return env.ROOM.getByName(room);
}
