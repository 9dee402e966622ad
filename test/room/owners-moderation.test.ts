/**
 * Moderation over a socket: a mute refuses a user's writing until it ends,
 * a kick closes their sockets with 4001 and lets them back, a ban closes
 * them with 4003 and refuses the identity (and, with `addressFor`, new
 * identities from its addresses), the role action gives and takes roles.
 * Each action is a `moderation` event for everyone; the audit lists the
 * record newest first; members lists who holds a role, a mute or a ban,
 * highest role first. All of it holds across hibernation and eviction.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { answered, roomStub, sleep, TestClient, upgrade } from "./support/client.ts";
import { postJson } from "./support/http.ts";
import {
  askOk,
  attempt,
  changeSettings,
  closeOf,
  forbidden,
  framesUntilBarrier,
  join,
  lastSeqOf,
  moderate,
  nextFrame,
  ownedRoom,
  personAs,
  refusedJoin,
  STRANGER,
  stored,
  uniqueId,
} from "./support/owners.ts";

const FOUR_MINUTES = 4 * 60 * 1000;

/** An owned room with a moderator, and a guest who has written one message. */
async function moderatedRoom() {
  const { room, owner } = await ownedRoom();
  const moderator = await personAs(room, owner, "moderator", "mod");
  const guest = await join(room, { name: "guest" });
  const message = await stored(guest, { type: "send", text: "before" });
  return { room, owner, moderator, guest, message };
}

describe("mute", () => {
  it("is a moderation event for everyone, with the mute's end and the reason", async () => {
    const { owner, moderator, guest } = await moderatedRoom();
    const ack = await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES, reason: "spam" });
    const event = {
      type: "moderation",
      seq: ack.seq,
      ts: ack.ts,
      user: moderator.user,
      action: "mute",
      subject: guest.user,
      until: ack.ts + FOUR_MINUTES,
      reason: "spam",
    };
    expect(await owner.waitFor("moderation")).toEqual(event);
    expect(await guest.waitFor("moderation")).toEqual(event);
  });

  it.each([
    ["send", () => ({ type: "send", text: "still here" })],
    ["edit", (seq: number) => ({ type: "edit", target: seq, text: "edited" })],
    ["react", (seq: number) => ({ type: "react", target: seq, emoji: "👍", on: true })],
    ["delete", (seq: number) => ({ type: "delete", target: seq })],
  ])("refuses the user's %s with forbidden, naming the time left", async (_, frame) => {
    const { room, moderator, guest, message } = await moderatedRoom();
    await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    const before = await lastSeqOf(room);
    const id = uniqueId();
    expect(await answered(guest, { id, ...frame(message.seq) })).toEqual({
      type: "error",
      code: "forbidden",
      message: expect.stringMatching(/muted.*\b4\b.*min/i),
      id,
    });
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("keeps the user's typing from others", async () => {
    const { owner, moderator, guest } = await moderatedRoom();
    await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    guest.send({ type: "typing" });
    await framesUntilBarrier(guest);
    expect((await framesUntilBarrier(owner)).filter((frame) => frame.type === "typing")).toEqual([]);
  });

  it("is in the muted user's welcome as mutedUntil", async () => {
    const { room, moderator, guest } = await moderatedRoom();
    const ack = await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    expect((await join(room, { token: guest.welcome.token })).welcome.mutedUntil).toBe(ack.ts + FOUR_MINUTES);
  });

  it("ends by itself", async () => {
    const { moderator, guest } = await moderatedRoom();
    await moderate(moderator, "mute", guest, { duration: 1000 });
    await sleep(1100);
    await stored(guest, { type: "send", text: "back" });
  });

  it("ends with unmute", async () => {
    const { moderator, guest } = await moderatedRoom();
    await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    await moderate(moderator, "unmute", guest);
    await stored(guest, { type: "send", text: "back" });
  });

  it("again sets a new end", async () => {
    const { moderator, guest } = await moderatedRoom();
    await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    await moderate(moderator, "mute", guest, { duration: 1000 });
    await sleep(1100);
    await stored(guest, { type: "send", text: "back" });
  });

  it("leaves reading alone", async () => {
    const { moderator, guest } = await moderatedRoom();
    await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    expect((await askOk(guest, "history", { type: "history", limit: 10 })).messages).toHaveLength(1);
  });
});

describe("kick", () => {
  it("closes every socket of the user with 4001, and no one else's", async () => {
    const { room, owner, moderator, guest } = await moderatedRoom();
    const secondTab = await join(room, { token: guest.welcome.token });
    await moderate(moderator, "kick", guest, { reason: "cool off" });
    expect(await closeOf(guest)).toMatchObject({ code: 4001 });
    expect(await closeOf(secondTab)).toMatchObject({ code: 4001 });
    expect(await owner.closesWithin(200)).toBe(false);
  });

  it("lets the user come back with their token", async () => {
    const { room, moderator, guest } = await moderatedRoom();
    await moderate(moderator, "kick", guest);
    await closeOf(guest);
    const back = await join(room, { token: guest.welcome.token });
    expect(back.user).toEqual(guest.user);
    await stored(back, { type: "send", text: "sorry" });
  });

  it("is a moderation event for the others", async () => {
    const { owner, moderator, guest } = await moderatedRoom();
    const ack = await moderate(moderator, "kick", guest);
    expect(await owner.waitFor("moderation")).toEqual({
      type: "moderation",
      seq: ack.seq,
      ts: ack.ts,
      user: moderator.user,
      action: "kick",
      subject: guest.user,
    });
  });
});

describe("ban", () => {
  it("closes every socket of the user with 4003", async () => {
    const { room, moderator, guest } = await moderatedRoom();
    const secondTab = await join(room, { token: guest.welcome.token });
    await moderate(moderator, "ban", guest);
    expect(await closeOf(guest)).toMatchObject({ code: 4003 });
    expect(await closeOf(secondTab)).toMatchObject({ code: 4003 });
  });

  it("refuses the identity's next connection: accepted, a forbidden error, then 4003", async () => {
    const { room, moderator, guest } = await moderatedRoom();
    await moderate(moderator, "ban", guest);
    await closeOf(guest);
    const refused = await refusedJoin(room, { token: guest.welcome.token });
    expect(refused.error).toMatchObject({ type: "error", code: "forbidden", message: expect.stringMatching(/\S/) });
    expect(refused.closed.code).toBe(4003);
  });

  it("refuses the identity's posts over HTTP with 403 forbidden", async () => {
    const { room, moderator, guest } = await moderatedRoom();
    await moderate(moderator, "ban", guest);
    const before = await lastSeqOf(room);
    const response = await postJson(room, { text: "over http" }, { Authorization: `Bearer ${guest.welcome.token}` });
    expect(response.status).toBe(403);
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("holds for a user who is not online, known by name", async () => {
    const { room, moderator, guest } = await moderatedRoom();
    guest.close();
    await closeOf(guest);
    await moderate(moderator, "ban", guest.user.id);
    expect((await refusedJoin(room, { token: guest.welcome.token })).closed.code).toBe(4003);
  });

  it("ends with unban", async () => {
    const { room, moderator, guest } = await moderatedRoom();
    await moderate(moderator, "ban", guest);
    await moderate(moderator, "unban", guest.user.id);
    const back = await join(room, { token: guest.welcome.token });
    await stored(back, { type: "send", text: "thanks" });
  });

  it("without addressFor leaves new identities from the same address alone", async () => {
    const { room, owner } = await ownedRoom();
    const banned = await join(room, { name: "banned", address: "203.0.113.40" });
    await moderate(owner, "ban", banned);
    expect((await join(room, { address: "203.0.113.40" })).welcome.type).toBe("welcome");
  });
});

describe("ban with addressFor", () => {
  const ADDRESS = "203.0.113.41";
  const ELSEWHERE = "198.51.100.41";

  /** Whether a connection without a token from `address` is welcomed, whatever form a refusal takes. */
  async function newcomerIsAdmitted(room: string, address: string): Promise<boolean> {
    const response = await upgrade(room, "", { "Sec-WebSocket-Protocol": "edgechat.v2", "CF-Connecting-IP": address });
    const ws = response.webSocket;
    if (response.status !== 101 || ws === null) return false;
    return (await nextFrame(new TestClient(ws, response.headers.get("Sec-WebSocket-Protocol")))).type === "welcome";
  }

  async function barredRoom() {
    const { room, owner } = await ownedRoom();
    const colleague = await join(room, { name: "colleague", address: ADDRESS });
    colleague.close();
    const banned = await join(room, { name: "banned", address: ADDRESS });
    const ack = await moderate(owner, "ban", banned, { addressFor: 60_000 });
    return { room, owner, colleague, banned, ack };
  }

  it("refuses new identities from the user's address: accepted, a forbidden error, then 4003", async () => {
    const { room } = await barredRoom();
    const refused = await refusedJoin(room, { address: ADDRESS });
    expect(refused.error).toMatchObject({ code: "forbidden" });
    expect(refused.closed.code).toBe(4003);
  });

  it("refuses posts without a token from the address with 403", async () => {
    const { room } = await barredRoom();
    const response = await postJson(room, { text: "new me" }, { "CF-Connecting-IP": ADDRESS });
    expect(response.status).toBe(403);
  });

  it("leaves people who have their token, and other addresses, alone", async () => {
    const { room, colleague } = await barredRoom();
    const back = await join(room, { token: colleague.welcome.token, address: ADDRESS });
    expect(back.user).toEqual(colleague.user);
    expect((await join(room, { address: ELSEWHERE })).welcome.type).toBe("welcome");
  });

  it("is an event with the bar's end and never the address", async () => {
    const { owner, ack } = await barredRoom();
    const event = await owner.waitFor("moderation");
    expect(event).toMatchObject({ action: "ban", seq: ack.seq, addressUntil: ack.ts + 60_000 });
    expect(JSON.stringify(event)).not.toContain(ADDRESS);
  });

  it("is not cut short by a shorter bar on the same address", async () => {
    const { room, owner } = await ownedRoom();
    const first = await join(room, { name: "first", address: ADDRESS });
    const second = await join(room, { name: "second", address: ADDRESS });
    await moderate(owner, "ban", first, { addressFor: 60_000 });
    await moderate(owner, "ban", second, { addressFor: 1000 });
    await sleep(1100);
    expect(await newcomerIsAdmitted(room, ADDRESS)).toBe(false);
  });

  it("ends when its time is up", async () => {
    const { room, owner } = await ownedRoom();
    const banned = await join(room, { name: "banned", address: ADDRESS });
    await moderate(owner, "ban", banned, { addressFor: 1000 });
    await sleep(1100);
    expect((await join(room, { address: ADDRESS })).welcome.type).toBe("welcome");
  });
});

describe("the role action", () => {
  it("gives a role that applies from the user's next frame", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { write: "members" });
    const guest = await join(room, { name: "guest" });
    await moderate(owner, "role", guest, { role: "member" });
    await stored(guest, { type: "send", text: "a member now" });
  });

  it("to guest takes the role away", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { write: "members" });
    const member = await personAs(room, owner, "member");
    await moderate(owner, "role", member, { role: "guest" });
    expect(await attempt(member, { type: "send", text: "still?" })).toEqual(forbidden({ id: expect.any(String) }));
  });

  it("is a moderation event naming the new role", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "guest" });
    const ack = await moderate(owner, "role", guest, { role: "moderator" });
    expect(await guest.waitFor("moderation")).toEqual({
      type: "moderation",
      seq: ack.seq,
      ts: ack.ts,
      user: owner.user,
      action: "role",
      subject: guest.user,
      role: "moderator",
    });
  });

  it("of an owner to another user leaves two owners", async () => {
    const { room, owner } = await ownedRoom();
    const heir = await join(room, { name: "heir" });
    await moderate(owner, "role", heir, { role: "owner" });
    await changeSettings(heir, { read: "keys" });
  });
});

describe("moderate, whatever the action", () => {
  it("on a user the room has never seen is not_found, storing nothing", async () => {
    const { room, owner } = await ownedRoom();
    const before = await lastSeqOf(room);
    const id = uniqueId();
    expect(await answered(owner, { id, type: "moderate", action: "kick", user: STRANGER })).toMatchObject({
      type: "error",
      code: "not_found",
      id,
    });
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("repeated with the same id stores one event and answers the first ack", async () => {
    const { room, owner, moderator, guest } = await moderatedRoom();
    const frame = { id: "mute-1", type: "moderate", action: "mute", user: guest.user.id, duration: FOUR_MINUTES };
    const first = await answered(moderator, frame);
    const again = await answered(moderator, frame);
    expect(again).toEqual(first);
    expect(await lastSeqOf(room)).toBe("seq" in first ? first.seq : Number.NaN);
    const moderations = (await framesUntilBarrier(owner)).filter((event) => event.type === "moderation");
    expect(moderations).toHaveLength(1);
  });
});

describe("deleting someone else's message as a moderator", () => {
  it("broadcasts the deletion with the moderator's reason", async () => {
    const { owner, moderator, guest, message } = await moderatedRoom();
    const ack = await stored(moderator, { type: "delete", target: message.seq, reason: "spam" });
    expect(await owner.waitFor("delete")).toEqual({
      type: "delete",
      seq: ack.seq,
      ts: ack.ts,
      target: message.seq,
      user: moderator.user,
      reason: "spam",
    });
    expect(await guest.waitFor("delete")).toMatchObject({ target: message.seq, reason: "spam" });
  });
});

describe("the audit", () => {
  /** A room whose record holds, oldest first: the claim, a topic, a deletion by a moderator, a mute. */
  async function recordedRoom() {
    const { room, owner, moderator, guest, message } = await moderatedRoom();
    const topic = await changeSettings(owner, { topic: "rules" });
    const own = await stored(guest, { type: "send", text: "mine to delete" });
    await stored(guest, { type: "delete", target: own.seq });
    const deletion = await stored(moderator, { type: "delete", target: message.seq, reason: "spam" });
    const mute = await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    return { room, owner, moderator, seqs: { topic: topic.seq, deletion: deletion.seq, mute: mute.seq } };
  }

  it("lists settings and moderation events and deletions of others' messages, newest first", async () => {
    const { moderator, seqs } = await recordedRoom();
    const audit = await askOk(moderator, "audit", { type: "audit" });
    expect(audit.hasMore).toBe(false);
    expect(audit.events.map((event) => [event.type, event.seq])).toEqual([
      ["moderation", seqs.mute],
      ["delete", seqs.deletion],
      ["settings", seqs.topic],
      ["settings", 1],
    ]);
    expect(audit.events[1]).toMatchObject({ reason: "spam", user: moderator.user });
  });

  it("pages with limit and before", async () => {
    const { moderator, seqs } = await recordedRoom();
    const first = await askOk(moderator, "audit", { type: "audit", limit: 2 });
    expect(first.events.map((event) => event.seq)).toEqual([seqs.mute, seqs.deletion]);
    expect(first.hasMore).toBe(true);
    const second = await askOk(moderator, "audit", { type: "audit", limit: 2, before: seqs.deletion });
    expect(second.events.map((event) => event.seq)).toEqual([seqs.topic, 1]);
    expect(second.hasMore).toBe(false);
  });
});

describe("the members list", () => {
  it("lists users with a role, a mute or a ban, highest role first", async () => {
    const { room, owner } = await ownedRoom();
    const reader = await personAs(room, owner, "reader", "rea");
    const member = await personAs(room, owner, "member", "mem");
    const moderator = await personAs(room, owner, "moderator", "mod");
    const muted = await join(room, { name: "muted" });
    const banned = await join(room, { name: "banned" });
    await join(room, { name: "bystander" });
    const mute = await moderate(owner, "mute", muted, { duration: FOUR_MINUTES });
    await moderate(owner, "ban", banned);
    const { members } = await askOk(member, "members", { type: "members" });
    expect(members.slice(0, 4)).toEqual([
      { user: owner.user, role: "owner" },
      { user: moderator.user, role: "moderator" },
      { user: member.user, role: "member" },
      { user: reader.user, role: "reader" },
    ]);
    expect(members.slice(4)).toHaveLength(2);
    expect(members.slice(4)).toEqual(
      expect.arrayContaining([
        { user: muted.user, role: "guest", mutedUntil: mute.ts + FOUR_MINUTES },
        { user: banned.user, role: "guest", banned: true },
      ]),
    );
  });
});

describe("after the room hibernates or is evicted", () => {
  async function hibernate(room: string): Promise<void> {
    await evictDurableObject(roomStub(room));
  }

  async function restart(room: string, everyone: TestClient[]): Promise<void> {
    await evictDurableObject(roomStub(room), { webSockets: "close" });
    for (const client of everyone) await closeOf(client);
  }

  it("a mute still refuses a live socket's send after hibernation", async () => {
    const { room, moderator, guest } = await moderatedRoom();
    await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    await hibernate(room);
    expect(await attempt(guest, { type: "send", text: "woke up" })).toEqual(forbidden({ id: expect.any(String) }));
  });

  it("a mute still holds after an eviction, and the welcome says until when", async () => {
    const { room, owner, moderator, guest } = await moderatedRoom();
    const ack = await moderate(moderator, "mute", guest, { duration: FOUR_MINUTES });
    await restart(room, [owner, moderator, guest]);
    const back = await join(room, { token: guest.welcome.token });
    expect(back.welcome.mutedUntil).toBe(ack.ts + FOUR_MINUTES);
    expect(await attempt(back, { type: "send", text: "restarted" })).toEqual(forbidden({ id: expect.any(String) }));
  });

  it("a ban still refuses the identity after an eviction", async () => {
    const { room, owner, moderator, guest } = await moderatedRoom();
    await moderate(moderator, "ban", guest);
    await restart(room, [owner, moderator, guest]);
    expect((await refusedJoin(room, { token: guest.welcome.token })).closed.code).toBe(4003);
  });

  it("a role given with the role action is still held after an eviction", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "guest" });
    await moderate(owner, "role", guest, { role: "moderator" });
    await restart(room, [owner, guest]);
    expect((await join(room, { token: guest.welcome.token })).welcome.role).toBe("moderator");
  });

  it("a role from a key is still held on a live socket after hibernation", async () => {
    const { room, owner } = await ownedRoom();
    const moderator = await personAs(room, owner, "moderator");
    await hibernate(room);
    await changeSettings(moderator, { topic: "after the nap" });
  });
});
