/**
 * An owned room's settings: each change is a `settings` event carrying all
 * of them, broadcast and replayed on resume with the moderation events in
 * seq order; a change to the values the room has stores nothing. Slow mode
 * holds everyone below moderator to one message per interval. A key-only
 * room (`read: "keys"`) refuses guests' sockets with 4004 and closes the
 * sockets of those who lose access. All of it outlasts hibernation and
 * eviction.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type Role } from "../../protocol/frames.ts";
import { answered, roomStub, type TestClient } from "./support/client.ts";
import {
  attempt,
  changeSettings,
  closeOf,
  join,
  lastSeqOf,
  mint,
  moderate,
  ownedRoom,
  personAs,
  refusedJoin,
  stored,
  uniqueId,
} from "./support/owners.ts";

const EVERY_SETTING = ["locked", "read", "slowMode", "topic", "write"];

describe("the claim", () => {
  it("stores a settings event with no user, the default settings and every setting changed", async () => {
    const { room } = await ownedRoom();
    const resumed = await join(room, { since: 0 });
    const [first] = resumed.welcome.history;
    if (first?.type !== "settings") throw new Error(`the log starts with ${JSON.stringify(first)}`);
    expect(first).toEqual({
      type: "settings",
      seq: 1,
      ts: expect.any(Number),
      settings: DEFAULT_SETTINGS,
      changed: expect.any(Array),
    });
    expect([...first.changed].sort()).toEqual(EVERY_SETTING);
  });
});

describe("a settings change", () => {
  it("is a settings event for everyone, with all the settings and what changed", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "guest" });
    const ack = await changeSettings(owner, { topic: "release week", slowMode: 30 });
    const event = {
      type: "settings",
      seq: ack.seq,
      ts: ack.ts,
      user: owner.user,
      settings: { ...DEFAULT_SETTINGS, topic: "release week", slowMode: 30 },
      changed: expect.arrayContaining(["topic", "slowMode"]),
    };
    expect(await guest.waitFor("settings")).toEqual(event);
    expect(await owner.waitFor("settings")).toEqual(event);
  });

  it("names only the settings whose values changed", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { topic: "same" });
    const guest = await join(room, { name: "guest" });
    await changeSettings(owner, { topic: "same", locked: true });
    expect((await guest.waitFor("settings")).changed).toEqual(["locked"]);
  });

  it("to the values the room has stores nothing and is answered unchanged", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { topic: "same" });
    const before = await lastSeqOf(room);
    const id = uniqueId();
    expect(await answered(owner, { id, type: "settings", topic: "same", write: "anyone" })).toEqual({
      type: "ack",
      id,
      unchanged: true,
    });
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("shows in the next welcome", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { topic: "release week", write: "members" });
    expect((await join(room)).welcome.settings).toEqual({
      ...DEFAULT_SETTINGS,
      topic: "release week",
      write: "members",
    });
  });

  it("repeated with the same id stores one event", async () => {
    const { room, owner } = await ownedRoom();
    const frame = { id: "topic-1", type: "settings", topic: "once" };
    const first = await answered(owner, frame);
    expect(await answered(owner, frame)).toEqual(first);
    await changeSettings(owner, { topic: "twice" });
    expect(await lastSeqOf(room)).toBe(3);
  });

  it("counts against the send rate", async () => {
    const { owner } = await ownedRoom();
    for (let i = 0; i < 11; i++) owner.send({ type: "settings", id: `topic-${i}`, topic: `topic ${i}` });
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await owner.answerTo(`topic-${i}`));
    expect(answers.some((answer) => answer.type === "error" && answer.code === "rate_limited")).toBe(true);
  });

  it.each([
    ["no setting", {}],
    ["a topic over 200 characters", { topic: "x".repeat(201) }],
    ["a topic of two lines", { topic: "two\nlines" }],
    ["a slow mode over 6 hours", { slowMode: 21_601 }],
  ])("with %s is refused as bad_request, echoing the id", async (_, fields) => {
    const { room, owner } = await ownedRoom();
    const before = await lastSeqOf(room);
    const id = uniqueId();
    expect(await answered(owner, { id, type: "settings", ...fields })).toMatchObject({ code: "bad_request", id });
    expect(await lastSeqOf(room)).toBe(before);
  });
});

describe("a resume", () => {
  it("replays every settings and moderation event it missed, in seq order", async () => {
    const { room, owner } = await ownedRoom();
    const away = await join(room, { name: "away" });
    const since = away.welcome.lastSeq;
    away.close();
    const guest = await join(room, { name: "guest" });
    const topic = await changeSettings(owner, { topic: "while you were away" });
    const mute = await moderate(owner, "mute", guest, { duration: 60_000 });
    const message = await stored(owner, { type: "send", text: "hello" });
    const slow = await changeSettings(owner, { slowMode: 10 });
    const kick = await moderate(owner, "kick", guest);
    const back = await join(room, { token: away.welcome.token, since });
    expect(back.welcome.history.map((event) => [event.type, event.seq])).toEqual([
      ["settings", topic.seq],
      ["moderation", mute.seq],
      ["message", message.seq],
      ["settings", slow.seq],
      ["moderation", kick.seq],
    ]);
    expect(back.welcome.history[3]).toMatchObject({ settings: { topic: "while you were away", slowMode: 10 } });
  });
});

describe("slow mode", () => {
  async function slowRoom(role: Role): Promise<TestClient> {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { slowMode: 30 });
    return role === "owner" ? owner : personAs(room, owner, role);
  }

  it.each(["member", "guest"] as const)(
    "refuses a %s's second message with rate_limited and retryAfter",
    async (role) => {
      const writer = await slowRoom(role);
      await stored(writer, { type: "send", text: "one" });
      writer.send({ type: "send", id: "two", text: "two" });
      const answer = await writer.answerTo("two");
      expect(answer).toMatchObject({ type: "error", code: "rate_limited", id: "two" });
      const retryAfter = answer.type === "error" ? answer.retryAfter : undefined;
      expect(retryAfter).toBeGreaterThan(25_000);
      expect(retryAfter).toBeLessThanOrEqual(30_000);
    },
  );

  it.each(["owner", "moderator"] as const)("lets a %s write on", async (role) => {
    const writer = await slowRoom(role);
    await stored(writer, { type: "send", text: "one" });
    writer.send({ type: "send", id: "two", text: "two" });
    expect(await writer.answerTo("two")).toMatchObject({ type: "ack", id: "two" });
  });

  it("holds across hibernation", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { slowMode: 30 });
    const member = await personAs(room, owner, "member");
    await stored(member, { type: "send", text: "one" });
    await evictDurableObject(roomStub(room));
    member.send({ type: "send", id: "two", text: "two" });
    expect(await member.answerTo("two")).toMatchObject({ code: "rate_limited", id: "two" });
  });
});

describe("settings after an eviction", () => {
  it("are the room's, in the welcome and in what they allow", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { topic: "kept", write: "members", locked: true });
    await evictDurableObject(roomStub(room), { webSockets: "close" });
    await closeOf(owner);
    const guest = await join(room, { name: "guest" });
    expect(guest.welcome.settings).toEqual({ ...DEFAULT_SETTINGS, topic: "kept", write: "members", locked: true });
    expect(await attempt(guest, { type: "send", text: "let me" })).toMatchObject({ code: "forbidden" });
  });
});

describe("a key-only room", () => {
  async function keyOnlyRoom() {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { read: "keys" });
    return { room, owner };
  }

  it("refuses a guest's socket: accepted, a forbidden error, then 4004", async () => {
    const { room } = await keyOnlyRoom();
    const refused = await refusedJoin(room, { name: "guest" });
    expect(refused.error).toMatchObject({ type: "error", code: "forbidden", message: expect.stringMatching(/\S/) });
    expect(refused.closed.code).toBe(4004);
  });

  it("refuses a socket whose key grants nothing with 4004", async () => {
    const { room, owner } = await keyOnlyRoom();
    const minted = await mint(owner, "reader", { uses: 1 });
    await join(room, { key: minted.secret });
    expect((await refusedJoin(room, { key: minted.secret })).closed.code).toBe(4004);
  });

  it("welcomes a reader, and the reader's next connection with the token only", async () => {
    const { room, owner } = await keyOnlyRoom();
    const reader = await personAs(room, owner, "reader");
    reader.close();
    expect((await join(room, { token: reader.welcome.token })).welcome.role).toBe("reader");
  });

  it("closes guests' sockets with 4004 when read becomes keys, and no one else's", async () => {
    const { room, owner } = await ownedRoom();
    const reader = await personAs(room, owner, "reader");
    const guest = await join(room, { name: "guest" });
    await changeSettings(owner, { read: "keys" });
    expect((await closeOf(guest)).code).toBe(4004);
    expect(await reader.closesWithin(200)).toBe(false);
  });

  it("closes the sockets of a revoked key's holders with 4004", async () => {
    const { room, owner } = await keyOnlyRoom();
    const minted = await mint(owner, "member");
    const member = await join(room, { key: minted.secret });
    await stored(owner, { type: "revoke", key: minted.key.id });
    expect((await closeOf(member)).code).toBe(4004);
  });

  it("closes the socket of a reader whose role is taken away with 4004", async () => {
    const { room, owner } = await keyOnlyRoom();
    const reader = await personAs(room, owner, "reader");
    await moderate(owner, "role", reader, { role: "guest" });
    expect((await closeOf(reader)).code).toBe(4004);
  });

  it("lets a reader read but not write", async () => {
    const { room, owner } = await keyOnlyRoom();
    const reader = await personAs(room, owner, "reader");
    await stored(owner, { type: "send", text: "for readers" });
    expect(await attempt(reader, { type: "send", text: "me too" })).toMatchObject({ code: "forbidden" });
    expect(await lastSeqOf(room)).toBe(3);
  });
});
