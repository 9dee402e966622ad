/** The welcome: the first frame on every connection, and who the user is. */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sendAndAck } from "./support/client.ts";

describe("the welcome frame", () => {
  it("names the room, the user, the people online and the last seq", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    expect(bob.welcome).toMatchObject({
      type: "welcome",
      room,
      you: { name: "bob" },
      online: [bob.user, alice.user],
      onlineCount: 2,
      lastSeq: 0,
      history: [],
    });
    expect(bob.welcome).not.toHaveProperty("more");
    expect(bob.welcome).not.toHaveProperty("truncated");
  });

  it("trims and NFC-normalises the display name", async () => {
    const client = await connect(freshRoom(), { name: "  Jose\u0301  " });
    expect(client.user.name).toBe("Jos\u00e9");
  });

  it("picks a guest-xxxx name when none is given", async () => {
    const client = await connect(freshRoom());
    expect(client.user.name).toMatch(/^guest-[a-z2-7]{4}$/);
  });

  it("treats a blank name as no name", async () => {
    const client = await connect(freshRoom(), { name: "   " });
    expect(client.user.name).toMatch(/^guest-/);
  });

  it("carries the last 50 messages when the client gives no `since`", async () => {
    const room = freshRoom();
    const writers = await Promise.all(Array.from({ length: 6 }, (_, i) => connect(room, { name: `w${i}` })));
    for (let i = 0; i < 60; i++) {
      const writer = writers[i % writers.length];
      if (writer === undefined) throw new Error("no writer");
      await sendAndAck(writer, `m${i}`, `message ${i}`);
    }
    const reader = await connect(room);
    expect(reader.welcome.lastSeq).toBe(60);
    expect(reader.welcome.history.map((message) => message.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    expect(reader.welcome.history.at(-1)).toMatchObject({ seq: 60, id: "m59", text: "message 59" });
  });
});

describe("identity tokens", () => {
  it("restore the same user id on a later connection", async () => {
    const room = freshRoom();
    const first = await connect(room, { name: "alice" });
    first.close();
    const again = await connect(room, { token: first.welcome.token });
    expect(again.user.id).toBe(first.user.id);
  });

  it("keep the user's last name when the new connection gives none", async () => {
    const room = freshRoom();
    const first = await connect(room, { name: "alice" });
    first.send({ type: "rename", name: "alice2" });
    await first.next("rename");
    first.close();
    const again = await connect(room, { token: first.welcome.token });
    expect(again.user).toEqual({ id: first.user.id, name: "alice2" });
  });

  it("give a fresh user id for a forged, truncated or malformed token", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const [id, signature = ""] = alice.welcome.token.split(".");
    const forged = [
      `${id}.${"A".repeat(43)}`,
      `${id}.${signature.slice(0, 20)}`,
      `${id}`,
      `${"a".repeat(16)}.${signature}`,
      `${id}.${signature}x`,
      "not-a-token",
      // The same signature bytes spelled otherwise: the last character's two unused bits set.
      `${id}.${signature.slice(0, 42)}${otherSpelling(signature.at(-1) ?? "A")}`,
    ];
    for (const token of forged) {
      const mallory = await connect(room, { token, name: "mallory" });
      expect(mallory.user.id).not.toBe(alice.user.id);
      expect(mallory.user.id).toMatch(/^[a-z2-7]{16}$/);
    }
  });

  it("keep a guest's name across reconnects", async () => {
    const room = freshRoom();
    const guest = await connect(room);
    guest.close();
    const again = await connect(room, { token: guest.welcome.token });
    expect(again.user).toEqual(guest.user);
  });

  it("are scoped to the room that issued them", async () => {
    const home = await connect(freshRoom(), { name: "alice" });
    const elsewhere = await connect(freshRoom(), { token: home.welcome.token });
    expect(elsewhere.user.id).not.toBe(home.user.id);
  });

  it("are stable for a user within the room", async () => {
    const room = freshRoom();
    const first = await connect(room);
    const second = await connect(room, { token: first.welcome.token });
    expect(second.welcome.token).toBe(first.welcome.token);
  });
});

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The base64url character that differs from `char` only in its two lowest bits, which 43 characters leave unused. */
function otherSpelling(char: string): string {
  return BASE64URL[BASE64URL.indexOf(char) ^ 1] ?? "B";
}
