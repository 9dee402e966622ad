/**
 * Names in every script, through the Worker's front door: a room name may
 * carry the combining marks its script needs after a letter or digit, so
 * Hindi, Tamil, Thai and Turkish rooms open and carry messages; a name that
 * starts with a mark, or hides a format character, is still 400
 * invalid_room on every route.
 */
import { describe, expect, it } from "vitest";
import { connect, sendAndAck } from "./support/client.ts";
import { api, postOk, statusAndCode } from "./support/http.ts";

/** Each name, and the room it opens: percent-decoded, NFC, lower-cased. */
const SCRIPT_ROOMS: [string, string][] = [
  ["हिन्दी", "हिन्दी"],
  ["தமிழ்", "தமிழ்"],
  ["สวัสดี", "สวัสดี"],
  ["İstanbul", "i\u0307stanbul"],
];

/** A name no other test uses, in the given script. */
function fresh(name: string): string {
  return `${name}-${crypto.randomUUID().slice(0, 8)}`;
}

describe("room names with combining marks", () => {
  it.each(SCRIPT_ROOMS)("open a room page: /r/%s", async (name) => {
    const response = await api(`/r/${encodeURIComponent(name)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
  });

  it.each(SCRIPT_ROOMS)("connect, welcome under the room's own name, and chat: %s", async (name, room) => {
    const typed = fresh(name);
    const alice = await connect(encodeURIComponent(typed), { name: "alice" });
    const bob = await connect(encodeURIComponent(typed), { name: "bob" });
    expect(alice.welcome.room).toBe(`${room}${typed.slice(name.length)}`);
    expect(bob.welcome.room).toBe(alice.welcome.room);
    expect((await sendAndAck(alice, "m1", "नमस्ते")).seq).toBe(1);
    expect(await bob.waitFor("message")).toMatchObject({ seq: 1, text: "नमस्ते", user: { name: "alice" } });
  });

  it("take posts over HTTP and answer their info", async () => {
    const room = encodeURIComponent(fresh("தமிழ்"));
    const posted = await postOk(room, { text: "வணக்கம்" });
    expect(posted.message.seq).toBe(1);
    const info = await api(`/api/rooms/${room}`);
    expect(await info.json()).toMatchObject({ lastSeq: 1 });
  });

  it("are one room however the name is spelled: decomposed, composed or upper-case", async () => {
    const base = fresh("istanbul");
    const upper = `İ${base.slice(1)}`;
    const a = await connect(encodeURIComponent(upper));
    const b = await connect(encodeURIComponent(`i\u0307${base.slice(1)}`));
    expect(a.welcome.room).toBe(b.welcome.room);
  });
});

describe("names that misuse marks or hide format characters", () => {
  const REFUSED = [
    ["a leading combining mark", "\u0301abc"],
    ["a vowel sign with no letter before it", "\u093fक"],
    ["a mark after a hyphen", "a-\u0301"],
    ["a right-to-left override", "abc\u202edef"],
    ["a zero-width space", "a\u200bb"],
    ["a zero-width joiner", "a\u200db"],
  ];
  const ROUTES = [
    (room: string) => `/api/rooms/${room}`,
    (room: string) => `/api/rooms/${room}/messages`,
    (room: string) => `/api/rooms/${room}/events`,
    (room: string) => `/r/${room}`,
  ];

  it.each(REFUSED)("are refused with 400 invalid_room on every route: %s", async (_, name) => {
    const answers = await Promise.all(
      ROUTES.map(async (route) => statusAndCode(await api(route(encodeURIComponent(name))))),
    );
    expect(answers).toEqual(ROUTES.map(() => "400 invalid_room"));
  });
});

describe("display names with combining marks", () => {
  it("are kept as given on connect and rename", async () => {
    const room = fresh("names");
    const alice = await connect(room, { name: "தமிழ்செல்வி" });
    expect(alice.user.name).toBe("தமிழ்செல்வி");
    alice.send({ type: "rename", name: "สมชาย" });
    expect(await alice.waitFor("rename")).toMatchObject({ user: { name: "สมชาย" } });
  });

  it("refuse a zero-width space with invalid_name", async () => {
    const room = fresh("names");
    const alice = await connect(room, { name: "alice" });
    alice.send({ type: "rename", name: "ali\u200bce" });
    expect(await alice.waitFor("error")).toMatchObject({ code: "invalid_name" });
  });
});
