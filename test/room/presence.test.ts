/** Presence counts users, not connections; names and typing travel with it. */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sendAndAck } from "./support/client.ts";

describe("join and leave", () => {
  it("a user's first connection is announced to the others, not to the joiner", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    expect(await alice.next("join")).toEqual({ type: "join", user: bob.user, online: 2 });
    await bob.expectSilence();
  });

  it("a second tab of the same user is not a join, and online counts users", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    const bobAgain = await connect(room, { token: bob.welcome.token });
    expect(bobAgain.welcome.onlineCount).toBe(2);
    expect(bobAgain.welcome.online.map((user) => user.id)).toEqual([bob.user.id, alice.user.id]);
    await alice.expectSilence();
  });

  it("a user leaves when their last connection closes, and only then", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    const bobAgain = await connect(room, { token: bob.welcome.token });
    bob.close();
    await alice.expectSilence();
    bobAgain.close();
    expect(await alice.next("leave")).toEqual({ type: "leave", user: bob.user, online: 1 });
  });

  it("a client's close completes promptly, with the room answering its Close frame", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    alice.close(4001);
    expect(await alice.closesWithin(1000)).toBe(true);
    expect(await alice.closed).toMatchObject({ code: 4001 });
  });

  it("a user who drops with an unusual close code still leaves", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    bob.close(4000);
    expect((await alice.next("leave")).user).toEqual(bob.user);
  });
});

describe("rename", () => {
  it("changes the name on every connection and tells everyone, the renamer included", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    bob.send({ type: "rename", name: "  Robert  " });
    const expected = { type: "rename", user: { id: bob.user.id, name: "Robert" }, previous: "bob" };
    expect(await alice.next("rename")).toEqual(expected);
    expect(await bob.next("rename")).toEqual(expected);
    await sendAndAck(bob, "m1", "signed");
    expect((await alice.next("message")).user.name).toBe("Robert");
  });

  it("is refused with invalid_name for a bad name, and the name is unchanged", async () => {
    const room = freshRoom();
    const bob = await connect(room, { name: "bob" });
    for (const name of ["", "   ", "x".repeat(33), "a\nb", "\u202Eevil"]) {
      bob.send({ type: "rename", name });
      expect(await bob.next("error")).toMatchObject({ code: "invalid_name" });
    }
    const observer = await connect(room);
    expect(observer.welcome.online.find((user) => user.id === bob.user.id)?.name).toBe("bob");
  });

  it("to the current name sends nothing", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    alice.send({ type: "rename", name: "alice" });
    await alice.expectSilence();
  });

  it("happens when a user connects another tab under a new name", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    const bobTab = await connect(room, { token: bob.welcome.token, name: "bobby" });
    expect(bobTab.user.name).toBe("bobby");
    expect(await alice.next("rename")).toEqual({
      type: "rename",
      user: { id: bob.user.id, name: "bobby" },
      previous: "bob",
    });
    expect((await bob.next("rename")).user.name).toBe("bobby");
  });
});

describe("typing", () => {
  it("is relayed to the other users, not back to the typist", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    bob.send({ type: "typing" });
    expect(await alice.next("typing")).toEqual({ type: "typing", user: bob.user });
    await bob.expectSilence();
  });

  it("is relayed at most once per 2 s per user, even from two tabs", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    const bobTab = await connect(room, { token: bob.welcome.token });
    await alice.next("join");
    bob.send({ type: "typing" });
    await alice.next("typing");
    bob.send({ type: "typing" });
    bobTab.send({ type: "typing" });
    await alice.expectSilence(300);
  });

  it("is never stored", async () => {
    const room = freshRoom();
    const bob = await connect(room, { name: "bob" });
    bob.send({ type: "typing" });
    const reader = await connect(room);
    expect(reader.welcome.lastSeq).toBe(0);
    expect(reader.welcome.history).toEqual([]);
  });
});
