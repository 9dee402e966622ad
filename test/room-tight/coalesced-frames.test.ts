/**
 * Coalesced frames (docs/protocol.md, Coalesced frames): this project runs with
 * COALESCE_SENDS_PER_SECOND 20, so any room of two or more connections has
 * the longest window, 100 ms. The first frame after a quiet moment goes out
 * at once; what follows within the window reaches a version 2 connection
 * as one `batch` and a version 1 connection frame by frame, in order,
 * each event exactly once.
 */
import { describe, expect, it } from "vitest";
import type { ServerFrame } from "../../protocol/frames.ts";
import { connect, freshRoom, sleep, type TestClient } from "../room/support/client.ts";
import { join, nextFrame, ownedRoom, uniqueId } from "../room/support/owners.ts";

/** Longer than the room's window, so that the room is quiet again. */
const QUIET_MS = 150;

/** Sends `count` messages at once, without waiting for any answer; returns their ids. */
function sendMany(client: TestClient, count: number): string[] {
  const ids = Array.from({ length: count }, () => uniqueId("m"));
  for (const id of ids) client.send({ type: "send", id, text: `text of ${id}` });
  return ids;
}

/** Reads frames until `count` messages have arrived; returns every frame read. */
async function untilMessages(client: TestClient, count: number): Promise<ServerFrame[]> {
  const frames: ServerFrame[] = [];
  while (frames.filter((frame) => frame.type === "message").length < count) frames.push(await nextFrame(client));
  return frames;
}

/**
 * A fresh room with alice (version 2) and one more connection, quiet for
 * longer than a window once alice has heard of it: the next frame goes out
 * at once.
 */
async function quietRoom(other: (room: string) => Promise<TestClient>) {
  const room = freshRoom();
  const alice = await join(room, { name: "alice" });
  const second = await other(room);
  await alice.next("join");
  await sleep(QUIET_MS);
  return { room, alice, second };
}

function seqsOf(frames: readonly ServerFrame[], type: "message" | "ack"): number[] {
  return frames.flatMap((frame) => (frame.type === type && "seq" in frame ? [frame.seq] : []));
}

describe("coalesced frames", () => {
  it("gives a version 2 listener what follows within the window as one batch, in seq order", async () => {
    const { alice, second: listener } = await quietRoom((room) => join(room, { name: "listener" }));
    const ids = sendMany(alice, 5);
    const frames = await untilMessages(listener, 5);
    const seqs = seqsOf(frames, "message");
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(frames.map((frame) => (frame.type === "message" ? frame.id : frame.type))).toEqual(ids);
    // The first went out at once, as itself; the four that followed within the window came as one batch.
    expect(listener.batchSizes).toEqual([4]);
    await listener.expectSilence(QUIET_MS);
  });

  it("gives a version 1 listener the same events frame by frame, never a batch", async () => {
    const { alice, second: older } = await quietRoom((room) => connect(room, { name: "older" }));
    const ids = sendMany(alice, 5);
    // A batch would break the contract for this client, and reading it would fail.
    const frames = await untilMessages(older, 5);
    expect(frames.map((frame) => (frame.type === "message" ? frame.id : frame.type))).toEqual(ids);
    expect(older.batchSizes).toEqual([]);
  });

  it("keeps the sender's acks in their place among the events", async () => {
    const { alice } = await quietRoom((room) => join(room, { name: "listener" }));
    const ids = sendMany(alice, 5);
    const frames = await untilMessages(alice, 5);
    while (seqsOf(frames, "ack").length < 5) frames.push(await nextFrame(alice));
    expect(alice.batchSizes.length).toBeGreaterThan(0);
    // Each ack comes before the broadcast of its own message, as the room sent them one by one.
    const order = frames.map((frame) => `${frame.type}:${"id" in frame ? frame.id : ""}`);
    for (const id of ids) expect(order.indexOf(`ack:${id}`)).toBeLessThan(order.indexOf(`message:${id}`));
    expect(seqsOf(frames, "ack")).toEqual(seqsOf(frames, "message"));
  });

  it("welcomes a connection that opens while frames wait with them, and never sends them again", async () => {
    const { room, alice, second: listener } = await quietRoom((room) => join(room, { name: "listener" }));
    sendMany(alice, 4);
    const late = await join(room, { name: "late" });
    const live = seqsOf(await untilMessages(listener, 4), "message");
    await sleep(QUIET_MS);
    const seen: number[] = late.welcome.history.map((event) => event.seq);
    for (;;) {
      const frame = await nextFrame(late, QUIET_MS).catch(() => null);
      if (frame === null) break;
      if (frame.type === "message") seen.push(frame.seq);
    }
    // Every message, once each, whether its welcome or a live frame carried it.
    expect(seen.filter((seq) => live.includes(seq))).toEqual(live);
    // It did open while they waited: its join came in the same batch as the three messages.
    expect(listener.batchSizes).toEqual([4]);
  });

  it("tells a kicked connection everything that waited for it, its kick last, before it closes", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "guest" });
    await owner.next("join");
    await sleep(QUIET_MS);
    const [said] = sendMany(owner, 2);
    owner.send({ type: "moderate", id: uniqueId("kick"), action: "kick", user: guest.user.id });
    const frames: ServerFrame[] = [];
    for (;;) {
      const frame = await nextFrame(guest, 500).catch(() => null);
      if (frame === null) break;
      frames.push(frame);
    }
    expect(frames.map((frame) => frame.type)).toEqual(["message", "message", "moderation"]);
    expect(frames[0]).toMatchObject({ id: said });
    expect(guest.batchSizes).toEqual([2]);
    expect(await guest.closed).toMatchObject({ code: 4001 });
  });
});
