/**
 * Hibernation for real: the room is evicted from memory while its sockets
 * stay open, then woken by the next frame. Presence, names, rate limits,
 * throttles and seq must carry on as if nothing happened.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect, freshRoom, roomStub, sendAndAck } from "./support/client.ts";

async function hibernate(room: string): Promise<void> {
  await evictDurableObject(roomStub(room));
}

describe("after the room hibernates", () => {
  it("its sockets stay open and it wakes for the next frame", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    await hibernate(room);
    expect((await sendAndAck(alice, "m1", "wake up")).seq).toBe(1);
    expect((await alice.next("message")).text).toBe("wake up");
  });

  it("presence carries on: a newcomer sees everyone, and everyone sees the newcomer", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    await hibernate(room);
    const carol = await connect(room, { name: "carol" });
    expect(carol.welcome.onlineCount).toBe(3);
    expect(carol.welcome.online.map((user) => user.name).sort()).toEqual(["alice", "bob", "carol"]);
    expect(await alice.next("join")).toEqual({ type: "join", user: carol.user, online: 3 });
    expect(await bob.next("join")).toEqual({ type: "join", user: carol.user, online: 3 });
  });

  it("a user's second tab is still not a join, and the last tab's close is a leave with the right count", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    await hibernate(room);
    const bobTab = await connect(room, { token: bob.welcome.token });
    await alice.expectSilence();
    await hibernate(room);
    bob.close();
    await alice.expectSilence();
    bobTab.close();
    expect(await alice.next("leave")).toEqual({ type: "leave", user: bob.user, online: 1 });
  });

  it("names survive: a rename before hibernation shows on messages after it", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    alice.send({ type: "rename", name: "Alicia" });
    await alice.next("rename");
    await hibernate(room);
    await sendAndAck(alice, "m1", "who am I");
    expect((await alice.next("message")).user.name).toBe("Alicia");
  });

  it("seq continues from where it was", async () => {
    const room = freshRoom();
    const alice = await connect(room);
    await sendAndAck(alice, "m1", "one");
    await sendAndAck(alice, "m2", "two");
    await hibernate(room);
    expect((await sendAndAck(alice, "m3", "three")).seq).toBe(3);
  });

  it("the send rate is not refilled by the eviction", async () => {
    const room = freshRoom();
    const alice = await connect(room);
    for (let i = 0; i < 10; i++) await sendAndAck(alice, `m${i}`, "burst");
    await hibernate(room);
    alice.send({ type: "send", id: "over", text: "over" });
    expect(await alice.waitFor("error")).toMatchObject({ code: "rate_limited", id: "over" });
  });

  it("the typing throttle is not reset by the eviction", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    bob.send({ type: "typing" });
    await alice.next("typing");
    await hibernate(room);
    bob.send({ type: "typing" });
    await alice.expectSilence(300);
  });

  it("the abuse count is not reset by the eviction", async () => {
    const room = freshRoom();
    const abuser = await connect(room);
    for (let i = 0; i < 40; i++) abuser.sendRaw("not json");
    for (let i = 0; i < 40; i++) await abuser.next("error");
    await hibernate(room);
    for (let i = 0; i < 11; i++) abuser.sendRaw("not json");
    expect(await abuser.closed).toMatchObject({ code: 1008 });
  });

  it("a heartbeat is answered without waking the room", async () => {
    const room = freshRoom();
    const alice = await connect(room);
    await hibernate(room);
    alice.sendRaw("ping");
    expect(await alice.nextText()).toBe("pong");
    // Evicting a room that is not running is refused: the ping did not wake it.
    await expect(evictDurableObject(roomStub(room))).rejects.toThrow(/not currently running/);
  });

  it("a heartbeat is answered while the room is awake too", async () => {
    const alice = await connect(freshRoom());
    alice.sendRaw("ping");
    expect(await alice.nextText()).toBe("pong");
  });
});
