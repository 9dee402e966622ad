/**
 * The room log as a log of events, over a socket: edits, deletions,
 * reactions, replies and mentions change messages; each is stored under the
 * next seq, acknowledged, broadcast to everyone and replayed on resume;
 * every refusal is typed, echoes the frame's id and stores nothing; a repeat
 * of an id stores nothing and gets the original ack.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Message } from "../../protocol/frames.ts";
import type { Room } from "../../worker/room.ts";
import { answered, connect, freshRoom, roomStub, sendAndAck, type TestClient } from "./support/client.ts";

/** The newest page of the room, as a newcomer reads it. */
async function pageOf(room: string): Promise<Message[]> {
  const reader = await connect(room, { name: "reader" });
  reader.send({ type: "history", limit: 100 });
  const page = await reader.waitFor("history");
  reader.close();
  return page.messages;
}

async function messageAt(room: string, seq: number): Promise<Message | undefined> {
  return (await pageOf(room)).find((message) => message.seq === seq);
}

async function twoPeople(): Promise<{ room: string; alice: TestClient; bob: TestClient }> {
  const room = freshRoom();
  const alice = await connect(room, { name: "alice" });
  const bob = await connect(room, { name: "bob" });
  await alice.next("join");
  return { room, alice, bob };
}

describe("edit", () => {
  it("replaces the author's text under the next seq, acknowledged and broadcast to everyone", async () => {
    const { room, alice, bob } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "helo");
    await bob.next("message");
    alice.send({ type: "edit", id: "e1", target: sent.seq, text: "hello" });
    const ack = await alice.answerTo("e1");
    expect(ack).toEqual({ type: "ack", id: "e1", seq: sent.seq + 1, ts: expect.any(Number) });
    const edit = await bob.next("edit");
    expect(edit).toEqual({
      type: "edit",
      seq: sent.seq + 1,
      ts: expect.any(Number),
      target: sent.seq,
      user: alice.user,
      text: "hello",
    });
    expect(await alice.waitFor("edit")).toEqual(edit);
    const message = await messageAt(room, sent.seq);
    expect(message).toMatchObject({ seq: sent.seq, id: "m1", text: "hello", editedAt: edit.ts, user: alice.user });
  });

  it("is refused for someone else's message, a missing one, a deleted one and an event that is not a message", async () => {
    const { room, alice, bob } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "mine");
    bob.send({ type: "edit", id: "e1", target: sent.seq, text: "yours now" });
    expect(await bob.answerTo("e1")).toMatchObject({ type: "error", code: "forbidden", id: "e1" });
    bob.send({ type: "edit", id: "e2", target: 999, text: "nothing there" });
    expect(await bob.answerTo("e2")).toMatchObject({ type: "error", code: "not_found", id: "e2" });
    alice.send({ type: "react", id: "r1", target: sent.seq, emoji: "👍", on: true });
    const reaction = await alice.answerTo("r1");
    if (reaction.type !== "ack" || !("seq" in reaction)) throw new Error("the reaction was not stored");
    alice.send({ type: "edit", id: "e3", target: reaction.seq, text: "a reaction is no message" });
    expect(await alice.answerTo("e3")).toMatchObject({ type: "error", code: "not_found", id: "e3" });
    alice.send({ type: "delete", id: "d1", target: sent.seq });
    await alice.answerTo("d1");
    alice.send({ type: "edit", id: "e4", target: sent.seq, text: "back from the dead" });
    expect(await alice.answerTo("e4")).toMatchObject({ type: "error", code: "not_found", id: "e4" });
    expect((await messageAt(room, sent.seq))?.text).toBe("");
  });

  it("of the text and mentions a message already has changes nothing and is answered unchanged", async () => {
    const { alice, bob } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "same");
    await bob.next("message");
    alice.send({ type: "edit", id: "e1", target: sent.seq, text: "  same  " });
    expect(await alice.answerTo("e1")).toEqual({ type: "ack", id: "e1", unchanged: true });
    await bob.expectSilence();
  });

  it("follows the text rules of send, echoing the id", async () => {
    const { alice } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "text");
    alice.send({ type: "edit", id: "e1", target: sent.seq, text: "   " });
    expect(await alice.answerTo("e1")).toMatchObject({ code: "bad_request", id: "e1" });
    alice.send({ type: "edit", id: "e2", target: sent.seq, text: "x".repeat(4001) });
    expect(await alice.answerTo("e2")).toMatchObject({ code: "too_large", id: "e2" });
    alice.send({ type: "edit", id: "e3", target: 0, text: "seq 0 is no message" });
    expect(await alice.answerTo("e3")).toMatchObject({ code: "bad_request", id: "e3" });
  });
});

describe("delete", () => {
  it("leaves a stub with its seq, id, user and ts, and removes the text, mentions and reactions from storage", async () => {
    const { room, alice, bob } = await twoPeople();
    const secret = `secret-${crypto.randomUUID()}`;
    alice.send({ type: "send", id: "m1", text: secret, mentions: [bob.user.id] });
    const sent = await alice.waitFor("ack");
    bob.send({ type: "react", id: "r1", target: sent.seq, emoji: "🎉", on: true });
    await bob.answerTo("r1");
    alice.send({ type: "delete", id: "d1", target: sent.seq });
    expect(await alice.answerTo("d1")).toMatchObject({ type: "ack", id: "d1", seq: sent.seq + 2 });
    expect(await bob.waitFor("delete")).toEqual({
      type: "delete",
      seq: sent.seq + 2,
      ts: expect.any(Number),
      target: sent.seq,
      user: alice.user,
    });
    expect(await messageAt(room, sent.seq)).toEqual({
      seq: sent.seq,
      id: "m1",
      user: alice.user,
      text: "",
      ts: sent.ts,
      deleted: true,
    });
    const stored = await runInDurableObject(roomStub(room) as DurableObjectStub<Room>, (_instance, state) => ({
      text: state.storage.sql.exec("SELECT COUNT(*) AS n FROM messages WHERE text LIKE ?", `%${secret}%`).one().n,
      reactions: state.storage.sql.exec("SELECT COUNT(*) AS n FROM reactions").one().n,
      totals: state.storage.sql.exec("SELECT COUNT(*) AS n FROM reaction_totals").one().n,
      mentions: state.storage.sql.exec("SELECT COUNT(*) AS n FROM messages WHERE mentions IS NOT NULL").one().n,
    }));
    expect(stored).toEqual({ text: 0, reactions: 0, totals: 0, mentions: 0 });
  });

  it("is the author's alone, and a deleted message cannot be deleted, answered or reacted to again", async () => {
    const { alice, bob } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "mine");
    bob.send({ type: "delete", id: "d1", target: sent.seq });
    expect(await bob.answerTo("d1")).toMatchObject({ code: "forbidden", id: "d1" });
    alice.send({ type: "delete", id: "d2", target: sent.seq });
    await alice.answerTo("d2");
    alice.send({ type: "delete", id: "d3", target: sent.seq });
    expect(await alice.answerTo("d3")).toMatchObject({ code: "not_found", id: "d3" });
    bob.send({ type: "send", id: "s1", text: "re", replyTo: sent.seq });
    expect(await bob.answerTo("s1")).toMatchObject({ code: "not_found", id: "s1" });
    bob.send({ type: "react", id: "r1", target: sent.seq, emoji: "👍", on: true });
    expect(await bob.answerTo("r1")).toMatchObject({ code: "not_found", id: "r1" });
  });
});

describe("react", () => {
  it("keeps per message the count and the users of each emoji, in the order each was first added", async () => {
    const { room, alice, bob } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "react to me");
    bob.send({ type: "react", id: "r1", target: sent.seq, emoji: "👍", on: true });
    expect(await bob.answerTo("r1")).toMatchObject({ type: "ack", seq: sent.seq + 1 });
    expect(await alice.waitFor("reaction")).toEqual({
      type: "reaction",
      seq: sent.seq + 1,
      ts: expect.any(Number),
      target: sent.seq,
      user: bob.user,
      emoji: "👍",
      on: true,
    });
    alice.send({ type: "react", id: "r2", target: sent.seq, emoji: "❤️", on: true });
    await alice.answerTo("r2");
    alice.send({ type: "react", id: "r3", target: sent.seq, emoji: "👍", on: true });
    await alice.answerTo("r3");
    expect((await messageAt(room, sent.seq))?.reactions).toEqual([
      { emoji: "👍", count: 2, users: [bob.user.id, alice.user.id] },
      { emoji: "❤️", count: 1, users: [alice.user.id] },
    ]);
    bob.send({ type: "react", id: "r4", target: sent.seq, emoji: "👍", on: false });
    expect(await bob.answerTo("r4")).toMatchObject({ type: "ack", seq: sent.seq + 4 });
    alice.send({ type: "react", id: "r5", target: sent.seq, emoji: "❤️", on: false });
    await alice.answerTo("r5");
    expect((await messageAt(room, sent.seq))?.reactions).toEqual([{ emoji: "👍", count: 1, users: [alice.user.id] }]);
  });

  it("that changes nothing stores nothing and is answered unchanged", async () => {
    const { alice, bob } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "react to me");
    await bob.next("message");
    alice.send({ type: "react", id: "r1", target: sent.seq, emoji: "👍", on: false });
    expect(await alice.answerTo("r1")).toEqual({ type: "ack", id: "r1", unchanged: true });
    alice.send({ type: "react", id: "r2", target: sent.seq, emoji: "👍", on: true });
    await alice.answerTo("r2");
    await bob.next("reaction");
    alice.send({ type: "react", id: "r3", target: sent.seq, emoji: "👍", on: true });
    expect(await alice.answerTo("r3")).toEqual({ type: "ack", id: "r3", unchanged: true });
    await bob.expectSilence();
  });

  it("takes exactly one emoji, and at most 20 distinct ones per message", async () => {
    const { alice } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "react to me");
    for (const emoji of ["x", "👍👍", "1", "", ":)", "\u202e👍"]) {
      alice.send({ type: "react", id: `bad-${emoji}`, target: sent.seq, emoji, on: true });
      expect(await alice.answerTo(`bad-${emoji}`)).toMatchObject({ code: "bad_request" });
    }
    const twenty = [
      "😀",
      "😂",
      "😍",
      "🤔",
      "😎",
      "😢",
      "😡",
      "👍",
      "👎",
      "👏",
      "🙏",
      "🔥",
      "🎉",
      "❤️",
      "💯",
      "✅",
      "❌",
      "🚀",
      "👀",
      "🇫🇷",
    ];
    for (const [index, emoji] of twenty.entries()) {
      const frame = { type: "react", id: `ok-${index}`, target: sent.seq, emoji, on: true };
      expect(await answered(alice, frame)).toMatchObject({ type: "ack" });
    }
    const oneTooMany = { type: "react", id: "one-too-many", target: sent.seq, emoji: "👩🏽‍💻", on: true };
    expect(await answered(alice, oneTooMany)).toMatchObject({ code: "limit_reached", id: "one-too-many" });
    // Removing one of the twenty, and adding it back, is no new emoji.
    const again = { type: "react", id: "again", target: sent.seq, emoji: "👍", on: false };
    expect(await answered(alice, again)).toMatchObject({ type: "ack" });
  });
});

describe("replies and mentions", () => {
  it("a reply carries a preview of the original as it is now, deleted included", async () => {
    const { room, alice, bob } = await twoPeople();
    const original = await sendAndAck(alice, "m1", `${"long ".repeat(60)}end`);
    bob.send({ type: "send", id: "s1", text: "agreed", replyTo: original.seq });
    const ack = await bob.answerTo("s1");
    if (ack.type !== "ack" || !("seq" in ack)) throw new Error("the reply was not stored");
    let broadcast = await alice.waitFor("message");
    while (broadcast.seq !== ack.seq) broadcast = await alice.waitFor("message");
    const preview = {
      seq: original.seq,
      user: alice.user,
      text: Array.from("long ".repeat(60)).slice(0, 200).join(""),
    };
    expect(broadcast).toMatchObject({ seq: ack.seq, replyTo: preview });
    alice.send({ type: "edit", id: "e1", target: original.seq, text: "shorter" });
    await alice.answerTo("e1");
    expect((await messageAt(room, ack.seq))?.replyTo).toEqual({ ...preview, text: "shorter" });
    alice.send({ type: "delete", id: "d1", target: original.seq });
    await alice.answerTo("d1");
    expect((await messageAt(room, ack.seq))?.replyTo).toEqual({ ...preview, text: "", deleted: true });
    bob.send({ type: "send", id: "s2", text: "to nothing", replyTo: 10_000 });
    expect(await bob.answerTo("s2")).toMatchObject({ code: "not_found", id: "s2" });
  });

  it("mentions name users the room has seen, with their names of now; unknown ids are dropped", async () => {
    const { room, alice, bob } = await twoPeople();
    const stranger = "aaaaaaaaaaaaaaaa";
    alice.send({ type: "send", id: "m1", text: "@bob look", mentions: [bob.user.id, stranger] });
    const ack = await alice.answerTo("m1");
    if (ack.type !== "ack" || !("seq" in ack)) throw new Error("the message was not stored");
    expect(await bob.waitFor("message")).toMatchObject({ mentions: [{ id: bob.user.id, name: "bob" }] });
    bob.send({ type: "rename", name: "robert" });
    await bob.waitFor("rename");
    expect((await messageAt(room, ack.seq))?.mentions).toEqual([{ id: bob.user.id, name: "robert" }]);
    alice.send({ type: "edit", id: "e1", target: ack.seq, text: "never mind", mentions: [] });
    expect(await bob.waitFor("edit")).not.toHaveProperty("mentions");
    expect(await messageAt(room, ack.seq)).not.toHaveProperty("mentions");
    const many = Array.from({ length: 21 }, (_, i) => `${"b".repeat(15)}${"abcdefghijklmnopqrstu"[i]}`);
    alice.send({ type: "send", id: "m2", text: "everyone", mentions: many });
    expect(await alice.answerTo("m2")).toMatchObject({ code: "bad_request", id: "m2" });
    alice.send({ type: "send", id: "m3", text: "twice", mentions: [bob.user.id, bob.user.id] });
    expect(await alice.answerTo("m3")).toMatchObject({ code: "bad_request", id: "m3" });
  });
});

describe("idempotency across every frame that stores an event", () => {
  it("a repeat of any id gets the original ack and broadcasts nothing, whatever frame repeats it", async () => {
    const { alice, bob } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "first");
    await bob.next("message");
    const frames = [
      { type: "edit", id: "e1", target: sent.seq, text: "second" },
      { type: "react", id: "r1", target: sent.seq, emoji: "👍", on: true },
      { type: "delete", id: "d1", target: sent.seq },
    ];
    const acks = [];
    for (const frame of frames) {
      alice.send(frame);
      acks.push(await alice.answerTo(frame.id));
      await bob.next(frame.type === "react" ? "reaction" : (frame.type as "edit" | "delete"));
    }
    for (const [index, frame] of frames.entries()) {
      alice.send(frame);
      expect(await alice.answerTo(frame.id)).toEqual(acks[index]);
    }
    // Another frame type under a used id is a repeat too.
    alice.send({ type: "send", id: "e1", text: "not stored" });
    expect(await alice.answerTo("e1")).toEqual(acks[0]);
    alice.send({ type: "react", id: "m1", target: sent.seq, emoji: "🎉", on: true });
    expect(await alice.answerTo("m1")).toMatchObject({ type: "ack", seq: sent.seq, ts: sent.ts });
    await bob.expectSilence();
  });

  it("holds after an eviction between an event and its repeat", async () => {
    const { room, alice } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "first");
    alice.send({ type: "react", id: "r1", target: sent.seq, emoji: "👍", on: true });
    const ack = await alice.answerTo("r1");
    await evictDurableObject(roomStub(room));
    alice.send({ type: "react", id: "r1", target: sent.seq, emoji: "👍", on: true });
    expect(await alice.answerTo("r1")).toEqual(ack);
    alice.send({ type: "edit", id: "e1", target: sent.seq, text: "after the eviction" });
    expect(await alice.answerTo("e1")).toMatchObject({ type: "ack", seq: sent.seq + 2 });
  });
});

describe("resume with events", () => {
  it("replays every event after since, with messages and edits in their current state, and misses nothing", async () => {
    const { room, alice, bob } = await twoPeople();
    const first = await sendAndAck(alice, "m1", "one");
    bob.close();
    const since = first.seq;
    const second = await sendAndAck(alice, "m2", "two");
    alice.send({ type: "edit", id: "e1", target: first.seq, text: "one, edited" });
    await alice.answerTo("e1");
    alice.send({ type: "react", id: "r1", target: second.seq, emoji: "👍", on: true });
    await alice.answerTo("r1");
    alice.send({ type: "edit", id: "e2", target: second.seq, text: "two, edited" });
    await alice.answerTo("e2");
    alice.send({ type: "delete", id: "d1", target: first.seq });
    await alice.answerTo("d1");
    const back = await connect(room, { name: "bob", since });
    const history = back.welcome.history;
    expect(history.map((event) => [event.type, event.seq])).toEqual([
      ["message", since + 1],
      ["edit", since + 2],
      ["reaction", since + 3],
      ["edit", since + 4],
      ["delete", since + 5],
    ]);
    // Given as they are now: the message with its reaction and edit, the edit of a since-deleted message as "".
    expect(history[0]).toMatchObject({ type: "message", text: "two, edited", reactions: [{ emoji: "👍", count: 1 }] });
    expect(history[1]).toMatchObject({ type: "edit", target: first.seq, text: "" });
    expect(history[3]).toMatchObject({ type: "edit", target: second.seq, text: "two, edited" });
    expect(back.welcome.lastSeq).toBe(since + 5);
    const fresh = await connect(room, { name: "carol" });
    expect(fresh.welcome.history.map((event) => event.type)).toEqual(["message", "message"]);
    expect(fresh.welcome.history[0]).toMatchObject({ seq: first.seq, deleted: true, text: "" });
  });

  it("survives hibernation: events stored before it are replayed after it, in order", async () => {
    const { room, alice } = await twoPeople();
    const sent = await sendAndAck(alice, "m1", "before");
    alice.send({ type: "react", id: "r1", target: sent.seq, emoji: "🔥", on: true });
    await alice.answerTo("r1");
    await evictDurableObject(roomStub(room));
    const back = await connect(room, { since: 0 });
    expect(back.welcome.history.map((event) => event.type)).toEqual(["message", "reaction"]);
    expect(back.welcome.lastSeq).toBe(sent.seq + 1);
  });
});
