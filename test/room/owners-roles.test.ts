/**
 * What each role may do, as the table "What each role may do" in
 * docs/protocol.md says: every role (owner, moderator, member, reader,
 * guest) against every action, under each write setting and while locked.
 * An allowed action is stored or answered; a refused one is `forbidden`,
 * echoes its id or ref and stores nothing. A room without an owner refuses
 * every owner's frame and behaves as before.
 */
import { describe, expect, it } from "vitest";
import type { Role, Settings } from "../../protocol/frames.ts";
import { answered, connect, freshRoom, type TestClient } from "./support/client.ts";
import {
  ask,
  askOk,
  EVERY_ROLE,
  forbidden,
  framesUntilBarrier,
  join,
  KEY_ROLES,
  lastSeqOf,
  mint,
  moderate,
  ownedRoom,
  personAs,
  stored,
  UNKNOWN_KEY_ID,
  uniqueId,
} from "./support/owners.ts";

/** An owned room with its owner and one person of `role` (the owner themself for "owner"). */
async function roomWith(role: Role): Promise<{ room: string; owner: TestClient; actor: TestClient }> {
  const { room, owner } = await ownedRoom();
  const actor = role === "owner" ? owner : await personAs(room, owner, role, `the-${role}`);
  return { room, owner, actor };
}

/** Expects `frame` from `actor` to be refused with forbidden, echoing its id, and the log to be unchanged. */
async function expectRefused(room: string, actor: TestClient, frame: Record<string, unknown>): Promise<void> {
  const before = await lastSeqOf(room);
  const id = uniqueId("refused");
  expect(await answered(actor, { id, ...frame })).toEqual(forbidden({ id }));
  expect(await lastSeqOf(room)).toBe(before);
}

/** Expects `frame` from `actor` to be stored under the room's next seq. */
async function expectStored(room: string, actor: TestClient, frame: Record<string, unknown>): Promise<void> {
  const before = await lastSeqOf(room);
  const id = uniqueId("allowed");
  expect(await answered(actor, { id, ...frame })).toEqual({ type: "ack", id, seq: before + 1, ts: expect.any(Number) });
}

/** Whichever of the two the table says. */
async function expectOutcome(
  allowed: boolean,
  room: string,
  actor: TestClient,
  frame: Record<string, unknown>,
): Promise<void> {
  await (allowed ? expectStored(room, actor, frame) : expectRefused(room, actor, frame));
}

describe("writing, under each write setting and while locked", () => {
  type WriteCase = "write: anyone" | "write: members" | "write: moderators" | "locked";
  const SETTING: Record<WriteCase, Partial<Settings> | null> = {
    "write: anyone": null,
    "write: members": { write: "members" },
    "write: moderators": { write: "moderators" },
    locked: { locked: true },
  };
  const WRITERS: Record<WriteCase, readonly Role[]> = {
    "write: anyone": ["owner", "moderator", "member", "guest"],
    "write: members": ["owner", "moderator", "member"],
    "write: moderators": ["owner", "moderator"],
    locked: ["owner", "moderator"],
  };

  interface WriteScene {
    room: string;
    owner: TestClient;
    actor: TestClient;
    /** A message of the actor's, written before they had their role. */
    own: number;
    /** A message of someone else's. */
    theirs: number;
  }

  /**
   * The actor writes a message as a guest under the default settings, then
   * comes back with a key for `role`; then the owner applies the setting.
   */
  async function writeScene(role: Role, setting: WriteCase): Promise<WriteScene> {
    const { room, owner } = await ownedRoom();
    const other = await join(room, { name: "other" });
    const theirs = (await stored(other, { type: "send", text: "theirs" })).seq;
    let actor: TestClient;
    let own: number;
    if (role === "owner") {
      actor = owner;
      own = (await stored(owner, { type: "send", text: "mine" })).seq;
    } else {
      const first = await join(room, { name: `the-${role}` });
      own = (await stored(first, { type: "send", text: "mine" })).seq;
      if (role === "guest") {
        actor = first;
      } else {
        const key = await mint(owner, role);
        first.close();
        actor = await join(room, { token: first.welcome.token, key: key.secret });
        if (actor.welcome.role !== role) throw new Error(`a ${role} key gave ${actor.welcome.role}`);
      }
    }
    const change = SETTING[setting];
    if (change !== null) await stored(owner, { type: "settings", ...change });
    return { room, owner, actor, own, theirs };
  }

  const ACTIONS: [string, (scene: WriteScene) => Record<string, unknown>][] = [
    ["send", () => ({ type: "send", text: "hello" })],
    ["edit their own message", (scene) => ({ type: "edit", target: scene.own, text: "edited" })],
    ["delete their own message", (scene) => ({ type: "delete", target: scene.own })],
    ["react", (scene) => ({ type: "react", target: scene.theirs, emoji: "👍", on: true })],
  ];

  const cases = (Object.keys(WRITERS) as WriteCase[]).flatMap((setting) =>
    EVERY_ROLE.flatMap((role) =>
      ACTIONS.map(([action, frame]) => ({ setting, role, action, frame, allowed: WRITERS[setting].includes(role) })),
    ),
  );

  it.each(cases)("$setting: a $role may $action: $allowed", async ({ setting, role, frame, allowed }) => {
    const scene = await writeScene(role, setting);
    await expectOutcome(allowed, scene.room, scene.actor, frame(scene));
  });

  const typingCases = (Object.keys(WRITERS) as WriteCase[]).flatMap((setting) =>
    EVERY_ROLE.map((role) => ({ setting, role, allowed: WRITERS[setting].includes(role) })),
  );

  it.each(typingCases)("$setting: a $role's typing is relayed: $allowed", async ({ setting, role, allowed }) => {
    const { room, actor } = await writeScene(role, setting);
    const watcher = await join(room, { name: "watcher" });
    actor.send({ type: "typing" });
    await framesUntilBarrier(actor);
    const seen = (await framesUntilBarrier(watcher)).filter((frame) => frame.type === "typing");
    expect(seen).toEqual(allowed ? [{ type: "typing", user: actor.user }] : []);
  });
});

describe("deleting someone else's message", () => {
  const MAY: readonly Role[] = ["owner", "moderator"];

  it.each(EVERY_ROLE)("by a %s", async (role) => {
    const { room, actor } = await roomWith(role);
    const victim = await join(room, { name: "victim" });
    const target = (await stored(victim, { type: "send", text: "theirs" })).seq;
    await expectOutcome(MAY.includes(role), room, actor, { type: "delete", target });
  });

  it("by a moderator reaches the owner's messages too", async () => {
    const { room, owner, actor } = await roomWith("moderator");
    const target = (await stored(owner, { type: "send", text: "the owner's" })).seq;
    await expectStored(room, actor, { type: "delete", target });
  });
});

describe("settings", () => {
  const CHANGES: [string, Partial<Settings>, readonly Role[]][] = [
    ["topic", { topic: "release week" }, ["owner", "moderator"]],
    ["slowMode", { slowMode: 30 }, ["owner", "moderator"]],
    ["locked", { locked: true }, ["owner", "moderator"]],
    ["read", { read: "keys" }, ["owner"]],
    ["write", { write: "members" }, ["owner"]],
  ];
  const cases = CHANGES.flatMap(([setting, change, may]) =>
    EVERY_ROLE.map((role) => ({ setting, change, role, allowed: may.includes(role) })),
  );

  it.each(cases)("a $role may change $setting: $allowed", async ({ change, role, allowed }) => {
    const { room, actor } = await roomWith(role);
    await expectOutcome(allowed, room, actor, { type: "settings", ...change });
  });

  it("a moderator's change of topic and read together is refused whole", async () => {
    const { room, actor } = await roomWith("moderator");
    await expectRefused(room, actor, { type: "settings", topic: "mine now", read: "keys" });
  });
});

describe("moderate, on a user of a lower and of an equal role", () => {
  const LOWER: Partial<Record<Role, Role>> = {
    owner: "moderator",
    moderator: "member",
    member: "reader",
    reader: "guest",
  };
  const ACTIONS: [string, Record<string, unknown>][] = [
    ["mute", { action: "mute", duration: 60_000 }],
    ["unmute", { action: "unmute" }],
    ["kick", { action: "kick" }],
    ["ban", { action: "ban" }],
    ["unban", { action: "unban" }],
    ["role", { action: "role", role: "guest" }],
  ];
  const MODERATORS: readonly Role[] = ["owner", "moderator"];
  /** What an unmute or unban undoes, taken first by the owner where the owner may. */
  const UNDONE: Record<string, Record<string, unknown>> = {
    unmute: { action: "mute", duration: 60_000 },
    unban: { action: "ban" },
  };

  const cases = EVERY_ROLE.flatMap((role) =>
    ACTIONS.flatMap(([action, fields]) => {
      const lower = LOWER[role];
      const onLower =
        lower === undefined ? [] : [{ role, action, fields, subject: lower, allowed: MODERATORS.includes(role) }];
      return [...onLower, { role, action, fields, subject: role, allowed: false }];
    }),
  );

  it.each(cases)("a $role may $action a $subject: $allowed", async ({ role, action, fields, subject, allowed }) => {
    const { room, owner, actor } = await roomWith(role);
    const target = await personAs(room, owner, subject, `subject-${subject}`);
    const undone = UNDONE[action];
    if (undone !== undefined && subject !== "owner") await moderate(owner, String(undone.action), target, undone);
    await expectOutcome(allowed, room, actor, { type: "moderate", user: target.user.id, ...fields });
  });

  const GRANTS: [Role, Role, boolean][] = [
    ["moderator", "member", true],
    ["moderator", "reader", true],
    ["moderator", "moderator", false],
    ["moderator", "owner", false],
    ["owner", "owner", true],
    ["owner", "moderator", true],
    ["owner", "member", true],
  ];

  it.each(GRANTS)("a %s may give a guest the role %s: %s", async (role, newRole, allowed) => {
    const { room, actor } = await roomWith(role);
    const guest = await join(room, { name: "guest" });
    await expectOutcome(allowed, room, actor, { type: "moderate", action: "role", user: guest.user.id, role: newRole });
  });
});

describe("keys: mint, list and revoke", () => {
  const MINTS: Record<Role, readonly Role[]> = {
    owner: KEY_ROLES,
    moderator: ["member", "reader"],
    member: [],
    reader: [],
    guest: [],
  };
  const mintCases = EVERY_ROLE.flatMap((role) =>
    KEY_ROLES.map((keyRole) => ({ role, keyRole, allowed: MINTS[role].includes(keyRole) })),
  );

  it.each(mintCases)("a $role may mint a $keyRole key: $allowed", async ({ role, keyRole, allowed }) => {
    const { owner, actor } = await roomWith(role);
    const keysBefore = (await askOk(owner, "keys", { type: "keys" })).keys.length;
    const answer = await ask(actor, "minted", { type: "mint", role: keyRole });
    if (allowed) {
      expect(answer).toMatchObject({
        type: "minted",
        key: { role: keyRole },
        secret: expect.stringMatching(/^[a-z2-7]{32}$/),
      });
    } else {
      expect(answer).toEqual(forbidden({ ref: expect.any(String) }));
      expect((await askOk(owner, "keys", { type: "keys" })).keys).toHaveLength(keysBefore);
    }
  });

  it("a refused mint echoes its ref", async () => {
    const { actor } = await roomWith("member");
    actor.send({ type: "mint", ref: "mint-1", role: "reader" });
    expect(await actor.waitFor("error")).toEqual(forbidden({ ref: "mint-1" }));
  });

  const LISTERS: readonly Role[] = ["owner", "moderator"];

  it.each(EVERY_ROLE)("a %s may list the keys as the role allows", async (role) => {
    const { actor } = await roomWith(role);
    const answer = await ask(actor, "keys", { type: "keys" });
    expect(answer.type).toBe(LISTERS.includes(role) ? "keys" : "error");
    if (answer.type === "error") expect(answer).toEqual(forbidden({ ref: expect.any(String) }));
  });

  const REVOKES: Record<Role, readonly Role[]> = {
    owner: ["moderator", "member"],
    moderator: ["member"],
    member: [],
    reader: [],
    guest: [],
  };
  const revokeCases = EVERY_ROLE.flatMap((role) =>
    (["moderator", "member"] as const).map((keyRole) => ({
      role,
      keyRole,
      allowed: REVOKES[role].includes(keyRole),
    })),
  );

  it.each(revokeCases)("a $role may revoke a $keyRole key: $allowed", async ({ role, keyRole, allowed }) => {
    const { room, owner, actor } = await roomWith(role);
    const minted = await mint(owner, keyRole);
    await expectOutcome(allowed, room, actor, { type: "revoke", key: minted.key.id });
    const ids = (await askOk(owner, "keys", { type: "keys" })).keys.map((key) => key.id);
    expect(ids.includes(minted.key.id)).toBe(!allowed);
  });
});

describe("the moderation record and the members", () => {
  const AUDITORS: readonly Role[] = ["owner", "moderator"];

  it.each(EVERY_ROLE)("a %s may read the audit as the role allows", async (role) => {
    const { actor } = await roomWith(role);
    const answer = await ask(actor, "audit", { type: "audit" });
    if (AUDITORS.includes(role)) expect(answer).toMatchObject({ type: "audit", hasMore: false });
    else expect(answer).toEqual(forbidden({ ref: expect.any(String) }));
  });

  it.each(EVERY_ROLE)("a %s may list the members", async (role) => {
    const { actor } = await roomWith(role);
    expect(await ask(actor, "members", { type: "members" })).toMatchObject({ type: "members" });
  });
});

describe("a room without an owner", () => {
  async function twoGuests(): Promise<{ room: string; alice: TestClient; bob: TestClient }> {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    return { room, alice, bob };
  }

  it("welcomes with no role and no settings", async () => {
    const { alice } = await twoGuests();
    expect(alice.welcome).not.toHaveProperty("role");
    expect(alice.welcome).not.toHaveProperty("settings");
    expect(alice.welcome).not.toHaveProperty("mutedUntil");
  });

  it.each([
    ["settings", (_: TestClient) => ({ type: "settings", topic: "mine" })],
    ["moderate", (bob: TestClient) => ({ type: "moderate", action: "kick", user: bob.user.id })],
    ["revoke", () => ({ type: "revoke", key: UNKNOWN_KEY_ID })],
  ])("refuses %s with forbidden, as a room with no owner, storing nothing", async (_, frame) => {
    const { room, alice, bob } = await twoGuests();
    const before = await lastSeqOf(room);
    const id = uniqueId();
    expect(await answered(alice, { id, ...frame(bob) })).toEqual({
      type: "error",
      code: "forbidden",
      message: expect.stringMatching(/no owner/i),
      id,
    });
    expect(await lastSeqOf(room)).toBe(before);
  });

  it.each([
    ["mint", { type: "mint", role: "owner" }, "minted"],
    ["keys", { type: "keys" }, "keys"],
    ["audit", { type: "audit" }, "audit"],
  ] as const)("refuses %s with forbidden, as a room with no owner", async (_, frame, answerType) => {
    const { alice } = await twoGuests();
    expect(await ask(alice, answerType, frame)).toEqual({
      type: "error",
      code: "forbidden",
      message: expect.stringMatching(/no owner/i),
      ref: expect.any(String),
    });
  });

  it("answers members with an empty list", async () => {
    const { alice } = await twoGuests();
    expect(await ask(alice, "members", { type: "members" })).toEqual({
      type: "members",
      ref: expect.any(String),
      members: [],
    });
  });

  it("lets anyone send, edit and delete their own messages and react, as before", async () => {
    const { room, alice, bob } = await twoGuests();
    const sent = await stored(alice, { type: "send", text: "hello" });
    await expectStored(room, bob, { type: "react", target: sent.seq, emoji: "👍", on: true });
    await expectStored(room, alice, { type: "edit", target: sent.seq, text: "hello again" });
    await expectStored(room, alice, { type: "delete", target: sent.seq });
  });

  it("relays typing, as before", async () => {
    const { alice, bob } = await twoGuests();
    alice.send({ type: "typing" });
    await framesUntilBarrier(alice);
    expect((await framesUntilBarrier(bob)).filter((frame) => frame.type === "typing")).toEqual([
      { type: "typing", user: alice.user },
    ]);
  });

  it("still lets no one delete someone else's message", async () => {
    const { room, alice, bob } = await twoGuests();
    const sent = await stored(alice, { type: "send", text: "mine" });
    await expectRefused(room, bob, { type: "delete", target: sent.seq });
  });
});
