/**
 * The HTTP twins of rooms with owners: claim, redeem, settings, moderation,
 * members, audit, keys and read tickets, each taken by the user of
 * `Authorization: Bearer` (or redeeming `Edgechat-Key` first), with the
 * same rules as the frames: a refusal is 403 forbidden and stores nothing.
 * A key-only room refuses reads and streams without a reader's
 * credentials, and closes a stream when the access it opened with ends.
 */
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_SETTINGS, type KeyInfo, type Member, type Message, type Settings } from "../../protocol/frames.ts";
import { freshRoom } from "./support/client.ts";
import { EventReader, errorBody, postJson, statusAndBody, statusAndCode } from "./support/http.ts";
import {
  bodyOf,
  changeSettings,
  claim,
  join,
  lastSeqOf,
  mint,
  moderate,
  ownedRoom,
  personAs,
  roomApi,
  STRANGER,
  stored,
} from "./support/owners.ts";

const KEY_SHAPE = /^[a-z2-7]{32}$/;

interface Redeemed {
  user: { id: string; name: string };
  role: string;
  token: string;
}

/** An owned room and its owner's token, over HTTP only. */
async function ownedOverHttp(): Promise<{ room: string; ownerKey: string; token: string }> {
  const room = freshRoom();
  const ownerKey = await claim(room);
  const redeemed = await bodyOf<Redeemed>(await roomApi(room, "/redeem", { method: "POST", key: ownerKey }), 200);
  return { room, ownerKey, token: redeemed.token };
}

/** Reads events until the stream ends, within `ms`; false if it is still open. */
async function streamEnds(reader: EventReader, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    try {
      await reader.next(left);
    } catch (error) {
      // EventReader says "ended" when the body is done and "no event" when the wait ran out.
      return error instanceof Error && error.message.includes("ended");
    }
  }
}

describe("POST /api/rooms/:room/claim", () => {
  it("answers 201 with the room and its owner key, then 409 conflict to the next claim", async () => {
    const room = freshRoom();
    const first = await api201(room);
    expect(first).toEqual({ room, key: expect.stringMatching(KEY_SHAPE) });
    const again = await roomApi(room, "/claim", { method: "POST" });
    expect(await statusAndBody(again)).toEqual(errorBody(409, "conflict"));
  });

  it("takes a room that already holds messages", async () => {
    const room = freshRoom();
    await postJson(room, { text: "before any owner" });
    expect(await api201(room)).toMatchObject({ room });
  });

  async function api201(room: string): Promise<unknown> {
    return bodyOf(await roomApi(room, "/claim", { method: "POST" }), 201);
  }
});

describe("POST /api/rooms/:room/redeem", () => {
  it("with a key alone makes a new user of the key's role, named as the body says", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "moderator");
    const response = await roomApi(room, "/redeem", { method: "POST", key: minted.secret, body: { name: "mod-bot" } });
    const redeemed = await bodyOf<Redeemed>(response, 200);
    expect(redeemed).toEqual({
      user: { id: expect.any(String), name: "mod-bot" },
      role: "moderator",
      token: expect.any(String),
    });
    const socket = await join(room, { token: redeemed.token });
    expect(socket.user).toEqual(redeemed.user);
    expect(socket.welcome.role).toBe("moderator");
  });

  it("with a token redeems the key for the token's user", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "gus" });
    const minted = await mint(owner, "member");
    const response = await roomApi(room, "/redeem", { method: "POST", key: minted.secret, token: guest.welcome.token });
    expect(await bodyOf<Redeemed>(response, 200)).toMatchObject({ user: guest.user, role: "member" });
  });

  it("refuses a key the room never made with 403, granting nothing", async () => {
    const { room } = await ownedRoom();
    const response = await roomApi(room, "/redeem", { method: "POST", key: "b".repeat(32) });
    expect(await statusAndCode(response)).toBe("403 forbidden");
  });
});

describe("settings over HTTP", () => {
  it("GET of a room without an owner answers null settings", async () => {
    expect(await bodyOf(await roomApi(freshRoom(), "/settings"), 200)).toEqual({ settings: null, role: "guest" });
  });

  it("GET answers the settings and the caller's role", async () => {
    const { room, token } = await ownedOverHttp();
    expect(await bodyOf(await roomApi(room, "/settings", { token }), 200)).toEqual({
      settings: DEFAULT_SETTINGS,
      role: "owner",
    });
    expect(await bodyOf(await roomApi(room, "/settings"), 200)).toEqual({ settings: DEFAULT_SETTINGS, role: "guest" });
  });

  it("PATCH by an owner answers the settings as they are now and broadcasts the event", async () => {
    const { room, token } = await ownedOverHttp();
    const watcher = await join(room, { name: "watcher" });
    const response = await roomApi(room, "/settings", {
      method: "PATCH",
      token,
      body: { topic: "release week", slowMode: 30 },
    });
    const expected: Settings = { ...DEFAULT_SETTINGS, topic: "release week", slowMode: 30 };
    expect(await bodyOf(response, 200)).toEqual({ settings: expected });
    expect(await watcher.waitFor("settings")).toMatchObject({
      settings: expected,
      changed: expect.arrayContaining(["topic", "slowMode"]),
    });
  });

  it("PATCH to the current values answers the settings and stores nothing", async () => {
    const { room, token } = await ownedOverHttp();
    const before = await lastSeqOf(room);
    const response = await roomApi(room, "/settings", { method: "PATCH", token, body: { topic: "" } });
    expect(await bodyOf(response, 200)).toEqual({ settings: DEFAULT_SETTINGS });
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("PATCH of who may read by a moderator is 403 forbidden and stores nothing", async () => {
    const { room, owner } = await ownedRoom();
    const moderator = await personAs(room, owner, "moderator");
    const before = await lastSeqOf(room);
    const response = await roomApi(room, "/settings", {
      method: "PATCH",
      token: moderator.welcome.token,
      body: { read: "keys" },
    });
    expect(await statusAndBody(response)).toEqual(errorBody(403, "forbidden"));
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("PATCH with a bad body is 400 bad_request", async () => {
    const { room, token } = await ownedOverHttp();
    const response = await roomApi(room, "/settings", { method: "PATCH", token, body: { slowMode: -1 } });
    expect(await statusAndCode(response)).toBe("400 bad_request");
  });

  it("PATCH with an id repeated stores one event", async () => {
    const { room, token } = await ownedOverHttp();
    const body = { id: "topic-1", topic: "once" };
    await bodyOf(await roomApi(room, "/settings", { method: "PATCH", token, body }), 200);
    const before = await lastSeqOf(room);
    await bodyOf(await roomApi(room, "/settings", { method: "PATCH", token, body: { ...body, topic: "twice" } }), 200);
    expect(await lastSeqOf(room)).toBe(before);
  });
});

describe("POST /api/rooms/:room/moderation", () => {
  it("takes the action and answers the moderation event it stored, broadcast to sockets", async () => {
    const { room, token } = await ownedOverHttp();
    const spammer = await join(room, { name: "spammer" });
    const body = { action: "mute", user: spammer.user.id, duration: 600_000, reason: "spam" };
    const { event } = await bodyOf<{ event: Record<string, unknown> }>(
      await roomApi(room, "/moderation", { method: "POST", token, body }),
      200,
    );
    expect(event).toMatchObject({ type: "moderation", action: "mute", subject: spammer.user, reason: "spam" });
    expect(event.until).toBe(Number(event.ts) + 600_000);
    expect(await spammer.waitFor("moderation")).toEqual(event);
  });

  it("answers a repeat of an id with the event it first stored", async () => {
    const { room, token } = await ownedOverHttp();
    const guest = await join(room, { name: "guest" });
    const body = { id: "kick-1", action: "kick", user: guest.user.id };
    const first = await bodyOf(await roomApi(room, "/moderation", { method: "POST", token, body }), 200);
    expect(await bodyOf(await roomApi(room, "/moderation", { method: "POST", token, body }), 200)).toEqual(first);
  });

  it("refuses a member with 403 forbidden, storing nothing", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    const guest = await join(room, { name: "guest" });
    const before = await lastSeqOf(room);
    const asMember = await roomApi(room, "/moderation", {
      method: "POST",
      token: member.welcome.token,
      body: { action: "kick", user: guest.user.id },
    });
    expect(await statusAndCode(asMember)).toBe("403 forbidden");
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("refuses an action on a user the room has never seen with 404 not_found, storing nothing", async () => {
    const { room, token } = await ownedOverHttp();
    const before = await lastSeqOf(room);
    const stranger = await roomApi(room, "/moderation", {
      method: "POST",
      token,
      body: { action: "kick", user: STRANGER },
    });
    expect(await statusAndCode(stranger)).toBe("404 not_found");
    expect(await lastSeqOf(room)).toBe(before);
  });
});

describe("DELETE /api/rooms/:room/messages/:seq?reason=", () => {
  it("by a moderator deletes someone else's message and broadcasts the reason", async () => {
    const { room, owner } = await ownedRoom();
    const moderator = await personAs(room, owner, "moderator");
    const guest = await join(room, { name: "guest" });
    const sent = await stored(guest, { type: "send", text: "spam spam" });
    const response = await roomApi(room, `/messages/${sent.seq}?reason=spam`, {
      method: "DELETE",
      token: moderator.welcome.token,
    });
    expect((await bodyOf<{ message: Message }>(response, 200)).message).toMatchObject({ seq: sent.seq, deleted: true });
    expect(await guest.waitFor("delete")).toMatchObject({ target: sent.seq, user: moderator.user, reason: "spam" });
  });

  it("by a member of someone else's message is 403 forbidden", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    const sent = await stored(owner, { type: "send", text: "the owner's" });
    const response = await roomApi(room, `/messages/${sent.seq}?reason=spam`, {
      method: "DELETE",
      token: member.welcome.token,
    });
    expect(await statusAndCode(response)).toBe("403 forbidden");
  });
});

describe("members and audit over HTTP", () => {
  it("GET members lists users with a role, highest first", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    const { members } = await bodyOf<{ members: Member[] }>(await roomApi(room, "/members"), 200);
    expect(members).toEqual([
      { user: owner.user, role: "owner" },
      { user: member.user, role: "member" },
    ]);
  });

  it("GET members of a room without an owner is an empty list", async () => {
    expect(await bodyOf(await roomApi(freshRoom(), "/members"), 200)).toEqual({ members: [] });
  });

  it("GET audit pages newest first with limit and before", async () => {
    const { room, owner } = await ownedRoom();
    const topic = await changeSettings(owner, { topic: "one" });
    const slow = await changeSettings(owner, { slowMode: 5 });
    const token = owner.welcome.token;
    const page = await bodyOf<{ events: { seq: number }[]; hasMore: boolean }>(
      await roomApi(room, "/audit?limit=2", { token }),
      200,
    );
    expect(page.events.map((event) => event.seq)).toEqual([slow.seq, topic.seq]);
    expect(page.hasMore).toBe(true);
    const older = await bodyOf<{ events: { seq: number }[]; hasMore: boolean }>(
      await roomApi(room, `/audit?before=${topic.seq}`, { token }),
      200,
    );
    expect(older).toMatchObject({ events: [{ seq: 1 }], hasMore: false });
  });

  it("GET audit is 403 forbidden for a member", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    expect(await statusAndCode(await roomApi(room, "/audit", { token: member.welcome.token }))).toBe("403 forbidden");
  });
});

describe("keys over HTTP", () => {
  it("POST mints a key: 201 with its info and the key itself", async () => {
    const { room, token } = await ownedOverHttp();
    const body = { role: "member", expiresIn: 86_400_000, uses: 20, label: "team" };
    const minted = await bodyOf<{ key: KeyInfo; secret: string }>(
      await roomApi(room, "/keys", { method: "POST", token, body }),
      201,
    );
    expect(minted).toEqual({
      key: {
        id: expect.stringMatching(/^[a-z2-7]{8}$/),
        role: "member",
        label: "team",
        expiresAt: minted.key.createdAt + 86_400_000,
        usesLeft: 20,
        createdBy: expect.objectContaining({ id: expect.any(String) }),
        createdAt: expect.any(Number),
      },
      secret: expect.stringMatching(KEY_SHAPE),
    });
    expect((await join(room, { key: minted.secret })).welcome.role).toBe("member");
  });

  async function readerKeyOverHttp(room: string, token: string) {
    return bodyOf<{ key: KeyInfo; secret: string }>(
      await roomApi(room, "/keys", { method: "POST", token, body: { role: "reader" } }),
      201,
    );
  }

  it("GET lists keys by id, without any key", async () => {
    const { room, ownerKey, token } = await ownedOverHttp();
    const minted = await readerKeyOverHttp(room, token);
    const listed = await roomApi(room, "/keys", { token });
    const text = await listed.text();
    expect(listed.status).toBe(200);
    expect(text).not.toContain(minted.secret);
    expect(text).not.toContain(ownerKey);
    const { keys }: { keys: KeyInfo[] } = JSON.parse(text);
    expect(keys.map((key) => key.id)).toContain(minted.key.id);
  });

  it("DELETE revokes a key, answering the revocation event", async () => {
    const { room, token } = await ownedOverHttp();
    const minted = await readerKeyOverHttp(room, token);
    const revoked = await roomApi(room, `/keys/${minted.key.id}`, { method: "DELETE", token });
    expect(await bodyOf(revoked, 200)).toMatchObject({
      event: { type: "moderation", action: "revoke", key: minted.key.id, role: "reader" },
    });
  });

  it("refuses a member's POST and GET with 403 forbidden", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    const token = member.welcome.token;
    expect(await statusAndCode(await roomApi(room, "/keys", { method: "POST", token, body: { role: "reader" } }))).toBe(
      "403 forbidden",
    );
    expect(await statusAndCode(await roomApi(room, "/keys", { token }))).toBe("403 forbidden");
  });
});

describe("posting to a members-only room", () => {
  it("is 403 for a guest, storing nothing", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { write: "members" });
    const before = await lastSeqOf(room);
    expect(await statusAndCode(await postJson(room, { text: "let me in" }))).toBe("403 forbidden");
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("works with a member key beside the token, redeemed first", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { write: "members" });
    const guest = await join(room, { name: "guest" });
    const minted = await mint(owner, "member");
    const response = await postJson(
      room,
      { text: "a member now" },
      { Authorization: `Bearer ${guest.welcome.token}`, "Edgechat-Key": minted.secret },
    );
    expect(response.status).toBe(201);
  });
});

describe("a key-only room over HTTP", () => {
  async function keyOnly() {
    const { room, owner } = await ownedRoom();
    await stored(owner, { type: "send", text: "for readers only" });
    await changeSettings(owner, { read: "keys" });
    const reader = await mint(owner, "reader", { uses: 1 });
    return { room, owner, reader };
  }

  it.each(["/messages", "/search?q=readers", "/members", "/settings"])(
    "refuses GET %s without credentials with 403 forbidden",
    async (path) => {
      const { room } = await keyOnly();
      expect(await statusAndCode(await roomApi(room, path))).toBe("403 forbidden");
    },
  );

  it.each(["/messages", "/search?q=readers", "/members", "/settings"])(
    "answers GET %s with a reader's key, spending no use",
    async (path) => {
      const { room, owner, reader } = await keyOnly();
      expect((await roomApi(room, path, { key: reader.secret })).status).toBe(200);
      const { keys } = await bodyOf<{ keys: KeyInfo[] }>(
        await roomApi(room, "/keys", { token: owner.welcome.token }),
        200,
      );
      expect(keys.find((key) => key.id === reader.key.id)?.usesLeft).toBe(1);
    },
  );

  it("answers GET messages with a reader's token, and refuses a guest's", async () => {
    const { room, owner } = await ownedRoom();
    const person = await personAs(room, owner, "reader");
    const guest = await join(room, { name: "guest" });
    await stored(owner, { type: "send", text: "for readers only" });
    await changeSettings(owner, { read: "keys" });
    const page = await bodyOf<{ messages: Message[] }>(
      await roomApi(room, "/messages", { token: person.welcome.token }),
      200,
    );
    expect(page.messages.map((message) => message.text)).toEqual(["for readers only"]);
    expect(await statusAndCode(await roomApi(room, "/messages", { token: guest.welcome.token }))).toBe("403 forbidden");
  });

  it("refuses an event stream without a ticket with 403 forbidden", async () => {
    const { room } = await keyOnly();
    expect(await statusAndCode(await roomApi(room, "/events"))).toBe("403 forbidden");
  });

  it("gives a reader's key a ticket for 5 minutes that opens the event stream", async () => {
    const { room, reader } = await keyOnly();
    const before = Date.now();
    const ticket = await bodyOf<{ ticket: string; expiresAt: number }>(
      await roomApi(room, "/tickets", { method: "POST", key: reader.secret }),
      201,
    );
    expect(ticket.expiresAt).toBeGreaterThanOrEqual(before + 5 * 60 * 1000 - 1000);
    expect(ticket.expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60 * 1000 + 1000);
    const response = await roomApi(room, `/events?ticket=${encodeURIComponent(ticket.ticket)}`);
    expect(response.status).toBe(200);
    const events = new EventReader(response);
    expect((await events.nextOf("welcome")).event).toBe("welcome");
    await events.close();
  });

  it("refuses a ticket without a reader's credentials with 403 forbidden", async () => {
    const { room } = await keyOnly();
    expect(await statusAndCode(await roomApi(room, "/tickets", { method: "POST" }))).toBe("403 forbidden");
  });

  it("refuses a forged ticket with 403 forbidden", async () => {
    const { room } = await keyOnly();
    expect(await statusAndCode(await roomApi(room, "/events?ticket=forged.ticket"))).toBe("403 forbidden");
  });

  it("refuses a ticket older than 5 minutes", async () => {
    const { room, reader } = await keyOnly();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 6 * 60 * 1000 });
    let ticket: { ticket: string };
    try {
      ticket = await bodyOf(await roomApi(room, "/tickets", { method: "POST", key: reader.secret }), 201);
    } finally {
      vi.useRealTimers();
    }
    expect(await statusAndCode(await roomApi(room, `/events?ticket=${encodeURIComponent(ticket.ticket)}`))).toBe(
      "403 forbidden",
    );
  });

  it("closes a stream opened with a key's ticket when the key is revoked", async () => {
    const { room, owner, reader } = await keyOnly();
    const { ticket } = await bodyOf<{ ticket: string }>(
      await roomApi(room, "/tickets", { method: "POST", key: reader.secret }),
      201,
    );
    const events = new EventReader(await roomApi(room, `/events?ticket=${encodeURIComponent(ticket)}`));
    await events.nextOf("welcome");
    await stored(owner, { type: "revoke", key: reader.key.id });
    expect(await streamEnds(events)).toBe(true);
  });

  it("closes a stream opened with a reader's ticket when the reader's role is taken away", async () => {
    const { room, owner } = await keyOnly();
    const person = await personAs(room, owner, "reader");
    const { ticket } = await bodyOf<{ ticket: string }>(
      await roomApi(room, "/tickets", { method: "POST", token: person.welcome.token }),
      201,
    );
    const events = new EventReader(await roomApi(room, `/events?ticket=${encodeURIComponent(ticket)}`));
    await events.nextOf("welcome");
    await moderate(owner, "role", person, { role: "guest" });
    expect(await streamEnds(events)).toBe(true);
  });

  it("closes a guest's stream when read becomes keys", async () => {
    const { room, owner } = await ownedRoom();
    const guestStream = new EventReader(await roomApi(room, "/events"));
    await guestStream.nextOf("welcome");
    await changeSettings(owner, { read: "keys" });
    expect(await streamEnds(guestStream)).toBe(true);
  });

  it("keeps a reader's stream open across other settings changes", async () => {
    const { room, owner, reader } = await keyOnly();
    const { ticket } = await bodyOf<{ ticket: string }>(
      await roomApi(room, "/tickets", { method: "POST", key: reader.secret }),
      201,
    );
    const events = new EventReader(await roomApi(room, `/events?ticket=${encodeURIComponent(ticket)}`));
    await events.nextOf("welcome");
    await changeSettings(owner, { topic: "still reading" });
    expect(JSON.parse((await events.nextOf("settings")).data)).toMatchObject({ settings: { topic: "still reading" } });
    await events.close();
  });
});
