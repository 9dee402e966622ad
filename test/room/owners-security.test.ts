/**
 * Keys stay secret: no frame to anyone but the minting connection carries
 * one, lists and events name keys by id, no error body repeats a key that
 * was sent, and the room's database holds hashes only. Losing a role takes
 * effect on the very next frame of a live connection, and no key lifts a
 * ban.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Room } from "../../worker/room.ts";
import { roomStub, TestClient, upgrade } from "./support/client.ts";
import { postJson } from "./support/http.ts";
import {
  askOk,
  attempt,
  changeSettings,
  closeOf,
  forbidden,
  framesUntilBarrier,
  join,
  KEY_ROLES,
  mint,
  moderate,
  ownedRoom,
  personAs,
  protocolsFor,
  refusedJoin,
  roomApi,
  stored,
} from "./support/owners.ts";

/** Every text value the room's SQLite database holds, in every table. */
async function everythingStored(room: string): Promise<string> {
  return runInDurableObject(roomStub(room) as DurableObjectStub<Room>, (_instance, state) => {
    const sql = state.storage.sql;
    const tables = sql
      // A full-text index is a virtual table that cannot be scanned; its shadow tables hold its text.
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND sql NOT LIKE 'CREATE VIRTUAL%'",
      )
      .toArray()
      .map((row) => row.name);
    return tables.map((table) => JSON.stringify(sql.exec(`SELECT * FROM "${table}"`).toArray())).join("\n");
  });
}

/** Every frame's text the client receives within `ms`. */
async function textsWithin(client: TestClient, ms: number): Promise<string[]> {
  const texts: string[] = [];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      texts.push(await client.nextText(Math.max(1, deadline - Date.now())));
    } catch {
      // nextText throws once no frame came in time: the window is over.
      break;
    }
  }
  return texts;
}

describe("a key", () => {
  it("reaches no one but the minting connection: not a guest, a member or a moderator", async () => {
    const { room, owner, ownerKey } = await ownedRoom();
    const guest = await join(room, { name: "guest" });
    const member = await personAs(room, owner, "member");
    const moderator = await personAs(room, owner, "moderator");
    const secrets = [ownerKey];
    for (const role of KEY_ROLES) secrets.push((await mint(owner, role)).secret);
    const revoked = await mint(owner, "reader");
    secrets.push(revoked.secret);
    await stored(owner, { type: "revoke", key: revoked.key.id });
    const answers = [
      await askOk(moderator, "keys", { type: "keys" }),
      await askOk(moderator, "audit", { type: "audit" }),
    ];
    const seen = [JSON.stringify(answers)];
    for (const client of [guest, member, moderator]) {
      seen.push(JSON.stringify([client.welcome, ...(await framesUntilBarrier(client))]));
    }
    for (const secret of secrets) expect(seen.join("\n")).not.toContain(secret);
  });

  it("is not in its holder's welcome", async () => {
    const { owner, ownerKey } = await ownedRoom();
    expect(JSON.stringify(owner.welcome)).not.toContain(ownerKey);
  });

  it("is stored as a hash only: no table of the room holds it", async () => {
    const { room, owner, ownerKey } = await ownedRoom();
    const minted = await mint(owner, "member", { label: "team" });
    await join(room, { key: minted.secret });
    const database = await everythingStored(room);
    // The key's row was read: its public id is there, beside a hash.
    expect(database).toContain(minted.key.id);
    expect(database).not.toContain(ownerKey);
    expect(database).not.toContain(minted.secret);
  });
});

describe("a key sent in a request is never repeated in an error", () => {
  const BAD_KEY = "z".repeat(32);

  it("in a key-only room's refusal of a socket", async () => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { read: "keys" });
    const refused = await refusedJoin(room, { key: BAD_KEY });
    expect(JSON.stringify(refused)).not.toContain(BAD_KEY);
  });

  it("in the answer to an upgrade offering a malformed key", async () => {
    const { room } = await ownedRoom();
    const malformed = `NOT-A-KEY-${"q".repeat(24)}`;
    const response = await upgrade(room, "", { "Sec-WebSocket-Protocol": protocolsFor({ key: malformed }) });
    const ws = response.webSocket;
    const answer = ws === null ? await response.text() : (await textsWithin(new TestClient(ws), 300)).join("\n");
    expect(answer).not.toContain(malformed);
  });

  it.each([
    ["a redeem", "/redeem", "POST"],
    ["a ticket", "/tickets", "POST"],
    ["a read of a key-only room", "/messages", "GET"],
  ])("in the refusal of %s", async (_, path, method) => {
    const { room, owner } = await ownedRoom();
    await changeSettings(owner, { read: "keys" });
    const response = await roomApi(room, path, { method, key: BAD_KEY });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain(BAD_KEY);
  });

  it("in the refusal of a post with a bad key", async () => {
    const { room } = await ownedRoom();
    const response = await postJson(room, { text: "hi" }, { "Edgechat-Key": BAD_KEY });
    expect(await response.text()).not.toContain(BAD_KEY);
  });

  it("in the refusal of a revoke naming a key instead of its id", async () => {
    const { owner } = await ownedRoom();
    const minted = await mint(owner, "member");
    const answer = await attempt(owner, { type: "revoke", key: minted.secret });
    expect(answer).toMatchObject({ type: "error", code: "bad_request" });
    expect(JSON.stringify(answer)).not.toContain(minted.secret);
  });
});

describe("losing a role", () => {
  it("by revocation refuses a live moderator's very next frame", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "moderator");
    const moderator = await join(room, { key: minted.secret });
    await changeSettings(moderator, { topic: "mine" });
    await stored(owner, { type: "revoke", key: minted.key.id });
    expect(await attempt(moderator, { type: "settings", topic: "still mine?" })).toEqual(
      forbidden({ id: expect.any(String) }),
    );
  });

  it("by the role action refuses a live moderator's very next frame", async () => {
    const { room, owner } = await ownedRoom();
    const moderator = await personAs(room, owner, "moderator");
    const guest = await join(room, { name: "guest" });
    await moderate(owner, "role", moderator, { role: "member" });
    expect(await attempt(moderator, { type: "moderate", action: "kick", user: guest.user.id })).toEqual(
      forbidden({ id: expect.any(String) }),
    );
    expect(await guest.closesWithin(200)).toBe(false);
  });

  it("by revocation refuses the former moderator's mint", async () => {
    const { room, owner } = await ownedRoom();
    const minted = await mint(owner, "moderator");
    const moderator = await join(room, { key: minted.secret });
    await stored(owner, { type: "revoke", key: minted.key.id });
    moderator.send({ type: "mint", ref: "after-revoke", role: "reader" });
    expect(await moderator.waitFor("error")).toEqual(forbidden({ ref: "after-revoke" }));
  });
});

describe("a ban", () => {
  it("is not lifted by a key presented with the banned token", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "guest" });
    await moderate(owner, "ban", guest);
    await closeOf(guest);
    const minted = await mint(owner, "moderator");
    const refused = await refusedJoin(room, { token: guest.welcome.token, key: minted.secret });
    expect(refused.closed.code).toBe(4003);
    expect((await askOk(owner, "keys", { type: "keys" })).keys.find((key) => key.id === minted.key.id)).toEqual(
      minted.key,
    );
  });

  it("is not lifted by a redeem over HTTP with the banned token", async () => {
    const { room, owner } = await ownedRoom();
    const guest = await join(room, { name: "guest" });
    await moderate(owner, "ban", guest);
    const minted = await mint(owner, "member");
    const response = await roomApi(room, "/redeem", { method: "POST", token: guest.welcome.token, key: minted.secret });
    expect(response.status).toBe(403);
  });
});
