/**
 * Edits, deletions, reactions, replies and mentions over HTTP: each route
 * answers with the message in its current state, stores its event under the
 * next seq (broadcast to sockets and replayed by event streams like any
 * event), refuses with the status its code is given, and stores nothing
 * when it refuses.
 */
import { describe, expect, it } from "vitest";
import type { Message } from "../../protocol/frames.ts";
import { connect, freshRoom, sendAndAck, type TestClient } from "./support/client.ts";
import { api, EventReader, errorBody, postJson, statusAndBody } from "./support/http.ts";

const JSON_TYPE = { "Content-Type": "application/json" } as const;

/** A user id no room has made: 16 base32 characters. */
const STRANGER = "aaaaaaaaaaaaaaaa";

/** Twenty-one distinct emoji of one code point each. */
const EMOJI = [..."😀😂😍🤔😎😢😡👍👎👏🙏🔥🎉💯✅❌🚀👀🌱🍕🎈"];

function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}

function messagePath(room: string, seq: number | string): string {
  return `/api/rooms/${room}/messages/${seq}`;
}

/** The path of a reaction, its emoji percent-encoded unless given as path text already. */
function reactionPath(room: string, seq: number | string, emoji: string | { raw: string }): string {
  const segment = typeof emoji === "string" ? encodeURIComponent(emoji) : emoji.raw;
  return `${messagePath(room, seq)}/reactions/${segment}`;
}

function editMessage(room: string, seq: number | string, body: unknown, token?: string): Promise<Response> {
  return api(messagePath(room, seq), {
    method: "PATCH",
    headers: { ...JSON_TYPE, ...bearer(token) },
    body: JSON.stringify(body),
  });
}

function deleteMessage(room: string, seq: number | string, token?: string): Promise<Response> {
  return api(messagePath(room, seq), { method: "DELETE", headers: bearer(token) });
}

function react(
  room: string,
  seq: number | string,
  emoji: string | { raw: string },
  on: boolean,
  token?: string,
): Promise<Response> {
  return api(reactionPath(room, seq, emoji), { method: on ? "PUT" : "DELETE", headers: bearer(token) });
}

/** The message of a `200 {"message"}` answer; fails on any other answer. */
async function messageOf(response: Response): Promise<Message> {
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${await response.text()}`);
  const body: { message: Message } = await response.json();
  expect(Object.keys(body)).toEqual(["message"]);
  return body.message;
}

/** Posts as the user of `token` and returns the stored message; fails unless it is 201. */
async function postAs(room: string, token: string, body: Record<string, unknown>): Promise<Message> {
  const response = await postJson(room, body, bearer(token));
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
  const posted: { message: Message } = await response.json();
  return posted.message;
}

/** The room's newest page, over HTTP. */
async function pageOf(room: string): Promise<Message[]> {
  const page: { messages: Message[] } = await (await api(`/api/rooms/${room}/messages?limit=100`)).json();
  return page.messages;
}

interface Scene {
  room: string;
  /** Connected by WebSocket; the author of `message`. */
  alice: TestClient;
  /** Connected by WebSocket too, after alice's message was broadcast. */
  bob: TestClient;
  message: Message;
}

/** A room where alice posted one message over HTTP, and alice and bob are both connected and have read it. */
async function scene(text = "helo"): Promise<Scene> {
  const room = freshRoom();
  const alice = await connect(room, { name: "alice" });
  const message = await postAs(room, alice.welcome.token, { text, id: "m1" });
  await alice.next("message");
  const bob = await connect(room, { name: "bob" });
  await alice.next("join");
  return { room, alice, bob, message };
}

describe("PATCH /api/rooms/:room/messages/:seq", () => {
  it("edits the author's message and answers 200 with it as it is now", async () => {
    const { room, alice, message } = await scene();
    const edited = await messageOf(await editMessage(room, message.seq, { text: "  hello  " }, alice.welcome.token));
    expect(edited).toEqual({ ...message, text: "hello", editedAt: expect.any(Number) });
    expect(edited.editedAt).toBeGreaterThanOrEqual(message.ts);
    expect((await pageOf(room))[0]).toEqual(edited);
  });

  it("broadcasts an edit frame under the next seq", async () => {
    const { room, alice, bob, message } = await scene();
    const edited = await messageOf(await editMessage(room, message.seq, { text: "hello" }, alice.welcome.token));
    const frame = await bob.next("edit");
    expect(frame).toEqual({
      type: "edit",
      seq: message.seq + 1,
      ts: edited.editedAt,
      target: message.seq,
      user: alice.user,
      text: "hello",
    });
    expect(await alice.next("edit")).toEqual(frame);
    const info: { lastSeq: number } = await (await api(`/api/rooms/${room}`)).json();
    expect(info.lastSeq).toBe(message.seq + 1);
  });

  it("replaces the mentions, naming each user as the room knows them", async () => {
    const { room, alice, bob, message } = await scene();
    const body = { text: "hello @bob", mentions: [bob.user.id, STRANGER] };
    const edited = await messageOf(await editMessage(room, message.seq, body, alice.welcome.token));
    expect(edited.mentions).toEqual([{ id: bob.user.id, name: "bob" }]);
    expect(await bob.next("edit")).toMatchObject({ text: "hello @bob", mentions: [{ id: bob.user.id, name: "bob" }] });
  });

  it("of the text the message already has stores nothing and answers it unchanged", async () => {
    const { room, alice, bob, message } = await scene();
    const same = await messageOf(await editMessage(room, message.seq, { text: message.text }, alice.welcome.token));
    expect(same).toEqual(message);
    await bob.expectSilence();
  });

  it("with an id repeated stores one edit and answers the repeat with the same message", async () => {
    const { room, alice, bob, message } = await scene();
    const token = alice.welcome.token;
    const first = await messageOf(await editMessage(room, message.seq, { text: "hello", id: "e1" }, token));
    const again = await messageOf(await editMessage(room, message.seq, { text: "hello", id: "e1" }, token));
    expect(again).toEqual(first);
    // A repeat is judged by its id alone: other text under a used id stores nothing either.
    const other = await messageOf(await editMessage(room, message.seq, { text: "hullo", id: "e1" }, token));
    expect(other).toEqual(first);
    expect(await bob.next("edit")).toMatchObject({ seq: message.seq + 1, text: "hello" });
    const later = await postAs(room, token, { text: "next" });
    expect(later.seq).toBe(message.seq + 2);
    expect(await bob.next("message")).toMatchObject({ seq: later.seq });
    await bob.expectSilence();
  });

  it("answers a repeat of a used id under another message's path with the message the id first stored or changed", async () => {
    const { room, alice, bob, message } = await scene();
    const token = alice.welcome.token;
    const edited = await messageOf(await editMessage(room, message.seq, { text: "hello", id: "e1" }, token));
    await bob.next("edit");
    // The id of the edit, then the id of the post itself, each repeated under a path that names no message.
    expect(await messageOf(await editMessage(room, 999, { text: "hello", id: "e1" }, token))).toEqual(edited);
    expect(await messageOf(await editMessage(room, 998, { text: "hello", id: "m1" }, token))).toEqual(edited);
    await bob.expectSilence();
  });

  it("takes text of 4000 code points, counted as characters, not UTF-16 units", async () => {
    const { room, alice, message } = await scene();
    const text = "😀".repeat(4000);
    expect((await messageOf(await editMessage(room, message.seq, { text }, alice.welcome.token))).text).toBe(text);
  });

  it.each([
    ["no text", { id: "e1" }, 400, "bad_request"],
    ["text that is not a string", { text: 42 }, 400, "bad_request"],
    ["empty text", { text: "   " }, 400, "bad_request"],
    ["an extra field", { text: "hello", target: 1 }, 400, "bad_request"],
    ["a bad id", { text: "hello", id: "" }, 400, "bad_request"],
    ["malformed mentions", { text: "hello", mentions: ["Not-An-Id"] }, 400, "bad_request"],
    ["repeated mentions", { text: "hello", mentions: [STRANGER, STRANGER] }, 400, "bad_request"],
    ["text over 4000 code points", { text: "😀".repeat(4001) }, 413, "too_large"],
  ])("refuses a body with %s and stores nothing", async (_, body, status, code) => {
    const { room, alice, bob, message } = await scene();
    const response = await editMessage(room, message.seq, body, alice.welcome.token);
    expect(await statusAndBody(response)).toEqual(errorBody(status, code));
    expect(await pageOf(room)).toEqual([message]);
    await bob.expectSilence();
  });

  it("refuses a body that is not JSON with 400, and one that is not application/json with 415", async () => {
    const { room, alice, message } = await scene();
    const headers = bearer(alice.welcome.token);
    const notJson = await api(messagePath(room, message.seq), {
      method: "PATCH",
      headers: { ...JSON_TYPE, ...headers },
      body: "{oops",
    });
    expect(await statusAndBody(notJson)).toEqual(errorBody(400, "bad_request"));
    const plain = await api(messagePath(room, message.seq), {
      method: "PATCH",
      headers: { "Content-Type": "text/plain", ...headers },
      body: JSON.stringify({ text: "hello" }),
    });
    expect(await statusAndBody(plain)).toEqual(errorBody(415, "unsupported_media_type"));
  });

  it("refuses someone else's message with 403 forbidden", async () => {
    const { room, bob, message } = await scene();
    const response = await editMessage(room, message.seq, { text: "yours now" }, bob.welcome.token);
    expect(await statusAndBody(response)).toEqual(errorBody(403, "forbidden"));
    expect(await pageOf(room)).toEqual([message]);
  });
});

describe("DELETE /api/rooms/:room/messages/:seq", () => {
  it("deletes the author's message and answers 200 with its stub", async () => {
    const { room, alice, bob, message } = await scene();
    const reacted = await react(room, message.seq, "👍", true, bob.welcome.token);
    expect(reacted.status).toBe(200);
    const deleted = await messageOf(await deleteMessage(room, message.seq, alice.welcome.token));
    expect(deleted).toEqual({
      seq: message.seq,
      id: message.id,
      user: message.user,
      text: "",
      ts: message.ts,
      deleted: true,
    });
    expect(await pageOf(room)).toEqual([deleted]);
  });

  it("broadcasts a delete frame under the next seq", async () => {
    const { room, alice, bob, message } = await scene();
    await messageOf(await deleteMessage(room, message.seq, alice.welcome.token));
    expect(await bob.next("delete")).toEqual({
      type: "delete",
      seq: message.seq + 1,
      ts: expect.any(Number),
      target: message.seq,
      user: alice.user,
    });
  });

  it("refuses someone else's message with 403 forbidden", async () => {
    const { room, bob, message } = await scene();
    const response = await deleteMessage(room, message.seq, bob.welcome.token);
    expect(await statusAndBody(response)).toEqual(errorBody(403, "forbidden"));
    expect(await pageOf(room)).toEqual([message]);
  });
});

describe("PUT and DELETE /api/rooms/:room/messages/:seq/reactions/:emoji", () => {
  it("adds a reaction and answers 200 with the message's reactions", async () => {
    const { room, alice, bob, message } = await scene();
    const once = await messageOf(await react(room, message.seq, "👍", true, bob.welcome.token));
    expect(once).toEqual({ ...message, reactions: [{ emoji: "👍", count: 1, users: [bob.user.id] }] });
    await messageOf(await react(room, message.seq, "❤️", true, alice.welcome.token));
    const thrice = await messageOf(await react(room, message.seq, "👍", true, alice.welcome.token));
    expect(thrice.reactions).toEqual([
      { emoji: "👍", count: 2, users: [bob.user.id, alice.user.id] },
      { emoji: "❤️", count: 1, users: [alice.user.id] },
    ]);
    expect((await pageOf(room))[0]).toEqual(thrice);
  });

  it("broadcasts a reaction frame under the next seq, for an addition and a removal", async () => {
    const { room, alice, bob, message } = await scene();
    await messageOf(await react(room, message.seq, "🎉", true, bob.welcome.token));
    const added = { type: "reaction", ts: expect.any(Number), target: message.seq, user: bob.user, emoji: "🎉" };
    expect(await alice.next("reaction")).toEqual({ ...added, seq: message.seq + 1, on: true });
    await messageOf(await react(room, message.seq, "🎉", false, bob.welcome.token));
    expect(await alice.next("reaction")).toEqual({ ...added, seq: message.seq + 2, on: false });
  });

  it("removes a reaction, and the message loses `reactions` when none is left", async () => {
    const { room, bob, message } = await scene();
    await messageOf(await react(room, message.seq, "👍", true, bob.welcome.token));
    const removed = await messageOf(await react(room, message.seq, "👍", false, bob.welcome.token));
    expect(removed).toEqual(message);
  });

  it("that changes nothing stores nothing and answers the message as it is", async () => {
    const { room, alice, bob, message } = await scene();
    expect(await messageOf(await react(room, message.seq, "👍", false, bob.welcome.token))).toEqual(message);
    const added = await messageOf(await react(room, message.seq, "👍", true, bob.welcome.token));
    await alice.next("reaction");
    expect(await messageOf(await react(room, message.seq, "👍", true, bob.welcome.token))).toEqual(added);
    await alice.expectSilence();
  });

  it.each([
    ["a skin tone", "👍🏽"],
    ["a ZWJ sequence", "👩🏽‍💻"],
    ["a flag", "🇫🇷"],
    ["a keycap", "1️⃣"],
  ])("takes %s, percent-encoded", async (_, emoji) => {
    const { room, bob, message } = await scene();
    const reacted = await messageOf(await react(room, message.seq, emoji, true, bob.welcome.token));
    expect(reacted.reactions).toEqual([{ emoji, count: 1, users: [bob.user.id] }]);
  });

  it.each([
    ["text", { raw: "x" }],
    ["two emoji", "👍👍"],
    ["a keycap's digit alone", { raw: "1" }],
    ["a lone regional indicator", "🇫"],
    ["an emoji beside text", "👍x"],
    ["a malformed percent-escape", { raw: "%ZZ" }],
    ["a lone surrogate's escape", { raw: "%ED%A0%80" }],
  ])("refuses %s with 400 bad_request, adding or removing", async (_, emoji) => {
    const { room, bob, message } = await scene();
    for (const on of [true, false]) {
      const response = await react(room, message.seq, emoji, on, bob.welcome.token);
      expect(await statusAndBody(response)).toEqual(errorBody(400, "bad_request"));
    }
    expect(await pageOf(room)).toEqual([message]);
  });

  it("refuses a 21st distinct emoji with 409 limit_reached, and takes more of an emoji already there", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const message = await postAs(room, alice.welcome.token, { text: "react to me" });
    // Each user's send rate allows a burst of 10, so three people share the twenty.
    const people = [alice, await connect(room, { name: "bob" }), await connect(room, { name: "carol" })];
    for (const [index, emoji] of EMOJI.slice(0, 20).entries()) {
      const person = people[index % people.length] ?? alice;
      await messageOf(await react(room, message.seq, emoji, true, person.welcome.token));
    }
    const dave = await connect(room, { name: "dave" });
    const refused = await react(room, message.seq, EMOJI[20] ?? "", true, dave.welcome.token);
    expect(await statusAndBody(refused)).toEqual(errorBody(409, "limit_reached"));
    const more = await messageOf(await react(room, message.seq, EMOJI[0] ?? "", true, dave.welcome.token));
    expect(more.reactions).toHaveLength(20);
    expect(more.reactions?.[0]).toEqual({ emoji: EMOJI[0], count: 2, users: [alice.user.id, dave.user.id] });
  });

  it("lets anyone react to anyone's message", async () => {
    const { room, bob, message } = await scene();
    expect(message.user.id).not.toBe(bob.user.id);
    expect((await react(room, message.seq, "👀", true, bob.welcome.token)).status).toBe(200);
  });
});

describe("refusals common to the routes that change a message", () => {
  type Change = (room: string, seq: number | string, token?: string) => Promise<Response>;
  const changes: [name: string, change: Change][] = [
    ["PATCH", (room, seq, token) => editMessage(room, seq, { text: "changed" }, token)],
    ["DELETE", (room, seq, token) => deleteMessage(room, seq, token)],
    ["PUT reaction", (room, seq, token) => react(room, seq, "👍", true, token)],
    ["DELETE reaction", (room, seq, token) => react(room, seq, "👍", false, token)],
  ];

  it.each(changes)("%s without a token is 403 forbidden", async (_, change) => {
    const { room, bob, message } = await scene();
    expect(await statusAndBody(await change(room, message.seq))).toEqual(errorBody(403, "forbidden"));
    expect(await pageOf(room)).toEqual([message]);
    await bob.expectSilence();
  });

  it.each(changes)("%s with a token the room did not issue is 403 forbidden", async (_, change) => {
    const { room, alice, message } = await scene();
    const [userId, signature = ""] = alice.welcome.token.split(".");
    const forged = `${userId}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    for (const token of ["nonsense", forged, (await connect(freshRoom())).welcome.token]) {
      expect(await statusAndBody(await change(room, message.seq, token))).toEqual(errorBody(403, "forbidden"));
    }
    expect(await pageOf(room)).toEqual([message]);
  });

  it("refuse an Authorization header that is not `Bearer <token>` with 400 bad_request", async () => {
    const { room, alice, bob, message } = await scene();
    const headers = { Authorization: `Basic ${alice.welcome.token}` };
    const requests: [path: string, init: RequestInit][] = [
      [
        messagePath(room, message.seq),
        { method: "PATCH", headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify({ text: "changed" }) },
      ],
      [messagePath(room, message.seq), { method: "DELETE", headers }],
      [reactionPath(room, message.seq, "👍"), { method: "PUT", headers }],
      [reactionPath(room, message.seq, "👍"), { method: "DELETE", headers }],
    ];
    for (const [path, init] of requests) {
      expect(await statusAndBody(await api(path, init))).toEqual(errorBody(400, "bad_request"));
    }
    await bob.expectSilence();
  });

  it.each(changes)("%s of a message that does not exist is 404 not_found", async (_, change) => {
    const { room, alice, message } = await scene();
    const response = await change(room, message.seq + 100, alice.welcome.token);
    expect(await statusAndBody(response)).toEqual(errorBody(404, "not_found"));
  });

  it.each(changes)("%s of a seq that is an event, not a message, is 404 not_found", async (_, change) => {
    const { room, alice, bob, message } = await scene();
    await messageOf(await react(room, message.seq, "🔥", true, bob.welcome.token));
    const response = await change(room, message.seq + 1, alice.welcome.token);
    expect(await statusAndBody(response)).toEqual(errorBody(404, "not_found"));
  });

  it.each(changes)("%s of a deleted message is 404 not_found", async (_, change) => {
    const { room, alice, message } = await scene();
    const deleted = await messageOf(await deleteMessage(room, message.seq, alice.welcome.token));
    expect(await statusAndBody(await change(room, message.seq, alice.welcome.token))).toEqual(
      errorBody(404, "not_found"),
    );
    expect(await pageOf(room)).toEqual([deleted]);
  });

  it.each(
    changes.flatMap(([name, change]) =>
      ["0", "-1", "abc", "1e3", "1.5", "%201"].map((seq) => [name, seq, change] as const),
    ),
  )("%s of /messages/%s is 400 bad_request", async (_, seq, change) => {
    const { room, alice, bob } = await scene();
    expect(await statusAndBody(await change(room, seq, alice.welcome.token))).toEqual(errorBody(400, "bad_request"));
    await bob.expectSilence();
  });

  it("share the send rate of the token's user with sockets and posts", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const sent = await sendAndAck(alice, "m1", "hello");
    for (let i = 2; i <= 10; i++) await sendAndAck(alice, `m${i}`, "burst");
    const response = await react(room, sent.seq, "👍", true, alice.welcome.token);
    expect(await statusAndBody(response)).toEqual({
      status: 429,
      body: { error: { code: "rate_limited", message: expect.any(String), retryAfter: expect.any(Number) } },
    });
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  });

  it("answer a preflight from the app's own origin with the methods and the Authorization header", async () => {
    const room = freshRoom();
    const cases: [path: string, methods: string][] = [
      [messagePath(room, 1), "PATCH, DELETE, OPTIONS"],
      [reactionPath(room, 1, "👍"), "PUT, DELETE, OPTIONS"],
    ];
    for (const [path, methods] of cases) {
      const response = await api(path, { method: "OPTIONS", headers: { Origin: "http://edgechat.test" } });
      expect(response.status).toBe(204);
      expect(response.headers.get("Access-Control-Allow-Methods")).toBe(methods);
      expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/\bAuthorization\b/);
    }
  });

  it("refuse a foreign page with 403 forbidden_origin, even with the author's token", async () => {
    const { room, alice, bob, message } = await scene();
    const response = await api(messagePath(room, message.seq), {
      method: "DELETE",
      headers: { ...bearer(alice.welcome.token), Origin: "https://evil.example" },
    });
    expect(await statusAndBody(response)).toEqual(errorBody(403, "forbidden_origin"));
    expect(await pageOf(room)).toEqual([message]);
    await bob.expectSilence();
  });

  it("answer a wrong method with 405 and Allow", async () => {
    const room = freshRoom();
    const cases: [path: string, method: string, allow: string][] = [
      [messagePath(room, 1), "POST", "PATCH, DELETE, OPTIONS"],
      [messagePath(room, 1), "GET", "PATCH, DELETE, OPTIONS"],
      [messagePath(room, 1), "PUT", "PATCH, DELETE, OPTIONS"],
      [reactionPath(room, 1, "👍"), "POST", "PUT, DELETE, OPTIONS"],
      [reactionPath(room, 1, "👍"), "PATCH", "PUT, DELETE, OPTIONS"],
      [reactionPath(room, 1, "👍"), "GET", "PUT, DELETE, OPTIONS"],
    ];
    for (const [path, method, allow] of cases) {
      const response = await api(path, { method });
      expect(await statusAndBody(response)).toEqual(errorBody(405, "method_not_allowed"));
      expect(response.headers.get("Allow")).toBe(allow);
    }
  });
});

describe("POST /api/rooms/:room/messages with replyTo and mentions", () => {
  it("answers a reply with a preview of the original: its seq, author and text", async () => {
    const { room, alice, bob, message } = await scene("the original");
    const reply = await postAs(room, bob.welcome.token, { text: "an answer", replyTo: message.seq });
    expect(reply).toEqual({
      seq: message.seq + 1,
      id: expect.any(String),
      user: bob.user,
      text: "an answer",
      ts: expect.any(Number),
      replyTo: { seq: message.seq, user: alice.user, text: "the original" },
    });
    expect(await alice.next("message")).toEqual({ type: "message", ...reply });
  });

  it("gives the first 200 code points of a long original in the preview", async () => {
    const { room, bob, message } = await scene("🌱".repeat(300));
    const reply = await postAs(room, bob.welcome.token, { text: "tl;dr", replyTo: message.seq });
    expect(reply.replyTo?.text).toBe("🌱".repeat(200));
  });

  it("shows the original as deleted in pages once it is deleted", async () => {
    const { room, alice, bob, message } = await scene("the original");
    const reply = await postAs(room, bob.welcome.token, { text: "an answer", replyTo: message.seq });
    await messageOf(await deleteMessage(room, message.seq, alice.welcome.token));
    const page = await pageOf(room);
    expect(page.find((item) => item.seq === reply.seq)?.replyTo).toEqual({
      seq: message.seq,
      user: alice.user,
      text: "",
      deleted: true,
    });
  });

  it("refuses a reply to a message that is missing or deleted with 404 not_found", async () => {
    const { room, alice, bob, message } = await scene();
    const missing = await postJson(room, { text: "to nothing", replyTo: 999 }, bearer(bob.welcome.token));
    expect(await statusAndBody(missing)).toEqual(errorBody(404, "not_found"));
    await messageOf(await deleteMessage(room, message.seq, alice.welcome.token));
    const deleted = await postJson(room, { text: "to a ghost", replyTo: message.seq }, bearer(bob.welcome.token));
    expect(await statusAndBody(deleted)).toEqual(errorBody(404, "not_found"));
    expect((await pageOf(room)).map((item) => item.seq)).toEqual([message.seq]);
  });

  it.each([0, -1, 1.5, "1", null])("refuses replyTo %j with 400 bad_request", async (replyTo) => {
    const room = freshRoom();
    const response = await postJson(room, { text: "hello", replyTo });
    expect(await statusAndBody(response)).toEqual(errorBody(400, "bad_request"));
    expect(await pageOf(room)).toEqual([]);
  });

  it("names a mentioned user the room has seen; an unknown but well-formed id is dropped", async () => {
    const { room, alice, bob } = await scene();
    const body = { text: "@bob and a stranger", mentions: [bob.user.id, STRANGER] };
    const posted = await postAs(room, alice.welcome.token, body);
    expect(posted.mentions).toEqual([{ id: bob.user.id, name: "bob" }]);
    expect(await bob.next("message")).toEqual({ type: "message", ...posted });
    const none = await postAs(room, alice.welcome.token, { text: "nobody", mentions: [STRANGER] });
    expect(none).not.toHaveProperty("mentions");
  });

  it("names a user who is in the room as a guest, under the name the room gives them", async () => {
    const { room, alice } = await scene();
    const carol = await connect(room);
    const posted = await postAs(room, alice.welcome.token, { text: "@guest", mentions: [carol.user.id] });
    expect(posted.mentions).toEqual([carol.user]);
  });

  it.each([
    ["an id that is not a user id", ["Bob"]],
    ["an id of the wrong length", ["abcdefghijklmnop2"]],
    ["a repeated id", [STRANGER, STRANGER]],
    ["21 ids", Array.from({ length: 21 }, (_, i) => `${"b".repeat(15)}${"abcdefghijklmnopqrstu"[i]}`)],
    ["not an array", STRANGER],
  ])("refuses mentions with %s with 400 bad_request", async (_, mentions) => {
    const room = freshRoom();
    const response = await postJson(room, { text: "hello", mentions });
    expect(await statusAndBody(response)).toEqual(errorBody(400, "bad_request"));
    expect(await pageOf(room)).toEqual([]);
  });
});

describe("the event stream carries edits, deletions and reactions", () => {
  async function openEvents(room: string, headers: Record<string, string> = {}): Promise<EventReader> {
    const response = await api(`/api/rooms/${room}/events`, { headers });
    expect(response.status).toBe(200);
    return new EventReader(response);
  }

  it("live, as edit, delete and reaction events with id = seq", async () => {
    const { room, alice, bob, message } = await scene();
    const events = await openEvents(room);
    await events.nextOf("welcome");
    await events.nextOf("message");
    await messageOf(await editMessage(room, message.seq, { text: "hello" }, alice.welcome.token));
    await messageOf(await react(room, message.seq, "👍", true, bob.welcome.token));
    await messageOf(await deleteMessage(room, message.seq, alice.welcome.token));
    const live = [await events.next(), await events.next(), await events.next()];
    expect(live.map(({ event, id }) => [event, id])).toEqual([
      ["edit", String(message.seq + 1)],
      ["reaction", String(message.seq + 2)],
      ["delete", String(message.seq + 3)],
    ]);
    expect(JSON.parse(live[0]?.data ?? "")).toEqual(await bob.next("edit"));
    expect(JSON.parse(live[1]?.data ?? "")).toEqual(await bob.next("reaction"));
    expect(JSON.parse(live[2]?.data ?? "")).toEqual(await bob.next("delete"));
    await events.close();
  });

  it("replays them after Last-Event-ID, each with its id and event name, a deleted message as deleted", async () => {
    const { room, alice, bob, message: first } = await scene("one");
    const token = alice.welcome.token;
    const second = await postAs(room, token, { text: "two" });
    await messageOf(await editMessage(room, first.seq, { text: "one, edited" }, token));
    await messageOf(await react(room, first.seq, "👍", true, bob.welcome.token));
    await messageOf(await deleteMessage(room, second.seq, token));
    const events = await openEvents(room, { "Last-Event-ID": String(first.seq) });
    const welcome = await events.next();
    expect(welcome.event).toBe("welcome");
    expect(JSON.parse(welcome.data)).toMatchObject({ lastSeq: first.seq + 4 });
    expect(JSON.parse(welcome.data)).not.toHaveProperty("truncated");
    const replayed = [];
    for (let i = 0; i < 4; i++) replayed.push(await events.next());
    expect(replayed.map(({ event, id }) => [event, id])).toEqual([
      ["message", String(second.seq)],
      ["edit", String(first.seq + 2)],
      ["reaction", String(first.seq + 3)],
      ["delete", String(first.seq + 4)],
    ]);
    const [message, edit, reaction, deletion] = replayed.map((event) => JSON.parse(event.data));
    expect(message).toEqual({ type: "message", ...second, text: "", deleted: true });
    expect(edit).toEqual({
      type: "edit",
      seq: first.seq + 2,
      ts: expect.any(Number),
      target: first.seq,
      user: alice.user,
      text: "one, edited",
    });
    expect(reaction).toEqual({
      type: "reaction",
      seq: first.seq + 3,
      ts: expect.any(Number),
      target: first.seq,
      user: bob.user,
      emoji: "👍",
      on: true,
    });
    expect(deletion).toEqual({
      type: "delete",
      seq: first.seq + 4,
      ts: expect.any(Number),
      target: second.seq,
      user: alice.user,
    });
    await events.close();
  });

  it("replays from a later Last-Event-ID only the events after it", async () => {
    const { room, alice, bob, message } = await scene();
    await messageOf(await editMessage(room, message.seq, { text: "hello" }, alice.welcome.token));
    await messageOf(await react(room, message.seq, "👍", true, bob.welcome.token));
    const events = await openEvents(room, { "Last-Event-ID": String(message.seq + 1) });
    await events.nextOf("welcome");
    const reaction = await events.next();
    expect([reaction.event, reaction.id]).toEqual(["reaction", String(message.seq + 2)]);
    await messageOf(await react(room, message.seq, "👍", false, bob.welcome.token));
    const removal = await events.next();
    expect([removal.event, removal.id]).toEqual(["reaction", String(message.seq + 3)]);
    expect(JSON.parse(removal.data)).toMatchObject({ on: false });
    await events.close();
  });
});
