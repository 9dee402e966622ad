/**
 * Keys: the claim's owner key, and keys a moderator or owner mints.
 * Presenting one on a connection gives its role to the connection's user,
 * for good; a key never lowers a role and then spends no use; a key that
 * is unknown, revoked, expired or used up grants nothing and the welcome
 * says why; revoking a key takes back the roles it granted, except the
 * revoker's; lists carry key ids, never keys.
 */
import { describe, expect, it, vi } from "vitest";
import type { KeyInfo, Role } from "../../protocol/frames.ts";
import { sleep, type TestClient } from "./support/client.ts";
import { api } from "./support/http.ts";
import {
  askOk,
  attempt,
  changeSettings,
  forbidden,
  framesUntilBarrier,
  join,
  mint,
  moderate,
  ownedRoom,
  personAs,
  stored,
} from "./support/owners.ts";

const KEY_SHAPE = /^[a-z2-7]{32}$/;
const KEY_ID_SHAPE = /^[a-z2-7]{8}$/;

async function keysOf(client: TestClient): Promise<KeyInfo[]> {
  return (await askOk(client, "keys", { type: "keys" })).keys;
}

async function keyInfo(owner: TestClient, id: string): Promise<KeyInfo> {
  const key = (await keysOf(owner)).find((info) => info.id === id);
  if (key === undefined) throw new Error(`key ${id} is not listed`);
  return key;
}

/** The key the claim gave, as the owner's list shows it. */
async function ownerKeyInfo(owner: TestClient): Promise<KeyInfo> {
  const owners = (await keysOf(owner)).filter((info) => info.role === "owner");
  const [only] = owners;
  if (only === undefined || owners.length !== 1) throw new Error(`expected one owner key, got ${owners.length}`);
  return only;
}

/** Mints a key as if `msAgo` earlier, by setting the clock back for the mint alone. */
async function mintedAgo(owner: TestClient, role: Role, expiresIn: number, msAgo: number) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - msAgo });
  try {
    return await mint(owner, role, { expiresIn });
  } finally {
    vi.useRealTimers();
  }
}

describe("the owner key", () => {
  it("of a claim makes whoever presents it an owner, in a room with the default settings", async () => {
    const { owner } = await ownedRoom();
    expect(owner.welcome).toMatchObject({
      role: "owner",
      settings: { topic: "", read: "anyone", write: "anyone", slowMode: 0, locked: false },
    });
    expect(owner.welcome).not.toHaveProperty("keyRefused");
  });

  it("of a new private room makes whoever presents it an owner", async () => {
    const response = await api("/api/rooms", { method: "POST" });
    expect(response.status).toBe(201);
    const { room, key }: { room: string; key: string } = await response.json();
    expect(key).toMatch(KEY_SHAPE);
    expect((await join(room, { key })).welcome.role).toBe("owner");
  });

  it("is listed to the owner as an owner key, by its id", async () => {
    const { owner, ownerKey } = await ownedRoom();
    const info = await ownerKeyInfo(owner);
    expect(info.id).toMatch(KEY_ID_SHAPE);
    expect(JSON.stringify(info)).not.toContain(ownerKey);
  });
});

describe("redeeming a key on a connection", () => {
  it("gives a new user its role, and the welcome says so", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "member");
    const member = await join(room, { key: minted.secret, name: "mia" });
    expect(member.welcome.role).toBe("member");
    expect(member.welcome).not.toHaveProperty("keyRefused");
  });

  it("gives the role to the user of the connection's token", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "gus" });
    expect(guest.welcome.role).toBe("guest");
    const minted = await mint(owner, "moderator");
    const again = await join(room, { token: guest.welcome.token, key: minted.secret });
    expect(again.user).toEqual(guest.user);
    expect(again.welcome.role).toBe("moderator");
  });

  it("for good: the user's next connection with the token only keeps the role", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "member");
    const member = await join(room, { key: minted.secret });
    member.close();
    const back = await join(room, { token: member.welcome.token });
    expect(back.user).toEqual(member.user);
    expect(back.welcome.role).toBe("member");
  });

  it("of a higher role raises the user's role", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    const minted = await mint(owner, "moderator");
    expect((await join(room, { token: member.welcome.token, key: minted.secret })).welcome.role).toBe("moderator");
  });

  it.each([
    ["a lower role", "moderator", "member"],
    ["the role the user has", "member", "member"],
    ["a lower role, for an owner", "owner", "reader"],
  ] as const)("of %s changes nothing and spends no use", async (_, held, keyRole) => {
    const { room, owner } = await ownedRoom();
    const holder = held === "owner" ? owner : await personAs(room, owner, held);
    const minted = await mint(owner, keyRole, { uses: 1 });
    const again = await join(room, { token: holder.welcome.token, key: minted.secret });
    expect(again.welcome.role).toBe(held);
    expect(again.welcome).not.toHaveProperty("keyRefused");
    expect((await keyInfo(owner, minted.key.id)).usesLeft).toBe(1);
  });

  it("of a key that changed nothing leaves its use for a newcomer", async () => {
    const { room, owner } = await ownedRoom();
    const moderator = await personAs(room, owner, "moderator");
    const minted = await mint(owner, "member", { uses: 1 });
    await join(room, { token: moderator.welcome.token, key: minted.secret });
    expect((await join(room, { key: minted.secret })).welcome.role).toBe("member");
  });

  it("spends one use per user who gets the role", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "member", { uses: 3 });
    expect(minted.key.usesLeft).toBe(3);
    await join(room, { key: minted.secret });
    expect((await keyInfo(owner, minted.key.id)).usesLeft).toBe(2);
  });

  it("that is used up grants nothing, and the welcome says used_up", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "member", { uses: 1 });
    expect((await join(room, { key: minted.secret })).welcome.role).toBe("member");
    const late = await join(room, { key: minted.secret });
    expect(late.welcome).toMatchObject({ role: "guest", keyRefused: "used_up" });
  });

  it("that the room never made grants nothing, and the welcome says invalid", async () => {
    const { room } = await ownedRoom();
    const forged = "a".repeat(32);
    expect((await join(room, { key: forged })).welcome).toMatchObject({ role: "guest", keyRefused: "invalid" });
  });

  it("that was revoked grants nothing, and the welcome says invalid", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "member");
    await stored(owner, { type: "revoke", key: minted.key.id });
    expect((await join(room, { key: minted.secret })).welcome).toMatchObject({ role: "guest", keyRefused: "invalid" });
  });

  it("that expired grants nothing, and the welcome says expired", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mintedAgo(owner, "member", 60_000, 61_000);
    expect((await join(room, { key: minted.secret })).welcome).toMatchObject({ role: "guest", keyRefused: "expired" });
  });

  it("that has not expired yet grants its role", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mintedAgo(owner, "member", 120_000, 61_000);
    expect((await join(room, { key: minted.secret })).welcome.role).toBe("member");
  });
});

describe("minting a key", () => {
  it("answers with the key's info and the key itself, to the minting connection", async () => {
    const { owner } = await ownedRoom();
    const minted = await mint(owner, "member", { expiresIn: 86_400_000, uses: 20, label: "team" });
    expect(minted).toEqual({
      type: "minted",
      ref: expect.any(String),
      key: {
        id: expect.stringMatching(KEY_ID_SHAPE),
        role: "member",
        label: "team",
        expiresAt: minted.key.createdAt + 86_400_000,
        usesLeft: 20,
        createdBy: owner.user,
        createdAt: expect.any(Number),
      },
      secret: expect.stringMatching(KEY_SHAPE),
    });
  });

  it("gives the key to no other connection, the minter's other tab included", async () => {
    const { room, owner, ownerKey } = await ownedRoom();
    const otherTab = await join(room, { token: owner.welcome.token });
    const guest = await join(room, { name: "guest" });
    const minted = await mint(owner, "moderator");
    for (const client of [otherTab, guest]) {
      const frames = JSON.stringify(await framesUntilBarrier(client));
      expect(frames).not.toContain(minted.secret);
      expect(frames).not.toContain(ownerKey);
    }
  });

  it("makes a different key each time", async () => {
    const { owner } = await ownedRoom();
    const first = await mint(owner, "member");
    const second = await mint(owner, "member");
    expect(second.secret).not.toBe(first.secret);
    expect(second.key.id).not.toBe(first.key.id);
  });
});

describe("the keys list", () => {
  it("names keys by id, newest first, and never carries a key", async () => {
    const { owner, ownerKey } = await ownedRoom();
    const member = await mint(owner, "member", { label: "team" });
    // Two mints in one millisecond would tie on createdAt.
    await sleep(5);
    const reader = await mint(owner, "reader");
    const keys = await keysOf(owner);
    expect(keys.slice(0, 2).map((key) => key.id)).toEqual([reader.key.id, member.key.id]);
    expect(keys[1]).toEqual(member.key);
    const listed = JSON.stringify(keys);
    for (const secret of [ownerKey, member.secret, reader.secret]) expect(listed).not.toContain(secret);
    for (const key of keys) {
      expect(
        Object.keys(key).every((field) =>
          ["id", "role", "label", "expiresAt", "usesLeft", "createdBy", "createdAt"].includes(field),
        ),
      ).toBe(true);
    }
  });

  it("shows a moderator only the keys of roles below theirs", async () => {
    const { room, owner } = await ownedRoom();
    const moderator = await personAs(room, owner, "moderator");
    await mint(owner, "owner");
    await mint(owner, "moderator");
    const member = await mint(owner, "member");
    const reader = await mint(moderator, "reader");
    expect((await keysOf(moderator)).map((key) => key.id).sort()).toEqual([member.key.id, reader.key.id].sort());
  });
});

describe("revoking a key", () => {
  it("is a moderation event naming the key id and its role, to everyone, without the key", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "guest" });
    const minted = await mint(owner, "member");
    const ack = await stored(owner, { type: "revoke", key: minted.key.id });
    const event = await guest.waitFor("moderation");
    expect(event).toEqual({
      type: "moderation",
      seq: ack.seq,
      ts: ack.ts,
      user: owner.user,
      action: "revoke",
      role: "member",
      key: minted.key.id,
    });
    expect(JSON.stringify(event)).not.toContain(minted.secret);
  });

  it("makes its holders guests again from their next frame", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { write: "members" });
    const minted = await mint(owner, "member");
    const member = await join(room, { key: minted.secret });
    await stored(member, { type: "send", text: "while a member" });
    await stored(owner, { type: "revoke", key: minted.key.id });
    const answer = await attempt(member, { type: "send", text: "after" });
    expect(answer).toEqual(forbidden({ id: expect.any(String) }));
  });

  it("leaves its holders guests on their next connection", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "moderator");
    const moderator = await join(room, { key: minted.secret });
    moderator.close();
    await stored(owner, { type: "revoke", key: minted.key.id });
    expect((await join(room, { token: moderator.welcome.token })).welcome.role).toBe("guest");
  });

  it("of the owner key by an owner who holds it keeps the revoker an owner, and no one else", async () => {
    const { room, owner, ownerKey } = await ownedRoom();
    const coOwner = await join(room, { key: ownerKey, name: "co-owner" });
    expect(coOwner.welcome.role).toBe("owner");
    const info = await ownerKeyInfo(owner);
    await stored(owner, { type: "revoke", key: info.id });
    await changeSettings(owner, { topic: "still mine" });
    expect(await attempt(coOwner, { type: "settings", topic: "mine?" })).toEqual(forbidden({ id: expect.any(String) }));
    owner.close();
    expect((await join(room, { token: owner.welcome.token })).welcome.role).toBe("owner");
  });

  it("leaves a role given since with the role action", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "member");
    const person = await join(room, { key: minted.secret });
    await moderate(owner, "role", person, { role: "moderator" });
    await stored(owner, { type: "revoke", key: minted.key.id });
    person.close();
    expect((await join(room, { token: person.welcome.token })).welcome.role).toBe("moderator");
  });

  it("takes it off the list", async () => {
    const { owner } = await ownedRoom();
    const minted = await mint(owner, "reader");
    await stored(owner, { type: "revoke", key: minted.key.id });
    expect((await keysOf(owner)).map((key) => key.id)).not.toContain(minted.key.id);
  });
});
