/**
 * Rooms with owners, as the SDK follows them: the key presented until a
 * welcome answers it, the role, settings and mute the welcome gives and the
 * log's events move on, and the connection ended for good by a kick, a ban
 * or a room for key holders only.
 */
import { describe, expect, it } from "vitest";
import type { ModerationEventFrame, Settings, SettingsEventFrame, WelcomeFrame } from "../../../protocol/frames.ts";
import { ALICE, BOB, welcome } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, type Harness, record, welcomeLatest } from "./support/harness.ts";

const KEY = "abcdefghijklmnopqrstuvwxyz234567";
const TS = 1_700_000_000_000;
const SETTINGS: Settings = { topic: "release week", read: "anyone", write: "anyone", slowMode: 0, locked: false };

/** A welcome to an owned room, as of seq `lastSeq`. */
function ownedWelcome(overrides: Partial<WelcomeFrame> = {}): WelcomeFrame {
  return welcome([], { role: "member", settings: SETTINGS, ...overrides });
}

function settingsEvent(seq: number, settings: Partial<Settings>): SettingsEventFrame {
  return { type: "settings", seq, ts: TS + seq, user: BOB, settings: { ...SETTINGS, ...settings }, changed: ["topic"] };
}

/** Event `seq`: bob takes `action` on alice. */
function onAlice(seq: number, fields: Partial<ModerationEventFrame> & Pick<ModerationEventFrame, "action">) {
  return { type: "moderation", seq, ts: TS + seq, user: BOB, subject: ALICE, ...fields } satisfies ModerationEventFrame;
}

/** The key offered in `Sec-WebSocket-Protocol`, or null. */
function offeredKey(harness: Harness): string | null {
  return harness.network.latest.protocols.find((entry) => entry.startsWith("key."))?.slice("key.".length) ?? null;
}

describe("a key", () => {
  it("is offered as `key.<key>` beside the subprotocol, never in the URL", () => {
    const harness = connect({ key: KEY });
    expect(harness.network.latest.protocols).toEqual(["edgechat.v2", `key.${KEY}`]);
    expect(harness.network.latest.url.href).not.toContain(KEY);
  });

  it("is offered again after a drop that came before any welcome", () => {
    const harness = connect({ key: KEY });
    dropAndReconnect(harness);
    expect(offeredKey(harness)).toBe(KEY);
  });

  it("is dropped once a welcome answered it: the role is the token's now", () => {
    const harness = connect({ key: KEY });
    welcomeLatest(harness, ownedWelcome({ role: "moderator" }));
    dropAndReconnect(harness);
    expect(offeredKey(harness)).toBeNull();
    expect(harness.network.latest.token).not.toBeNull();
  });

  it("is refused when it is not shaped like a key, without repeating it", () => {
    expect(() => connect({ key: "not-a-key" })).toThrow(RangeError);
    expect(() => connect({ key: "not-a-key" })).not.toThrow(/not-a-key/);
  });

  it("that granted nothing says why, from the welcome that answered it", () => {
    const harness = connect({ key: KEY });
    welcomeLatest(harness, ownedWelcome({ role: "guest", keyRefused: "expired" }));
    expect(harness.connection.keyRefused).toBe("expired");
    dropAndReconnect(harness);
    welcomeLatest(harness, ownedWelcome({ role: "guest" }));
    expect(harness.connection.keyRefused).toBe("expired");
  });
});

describe("where the user stands", () => {
  it("is nothing in a room without an owner", () => {
    const { connection } = connectOnline();
    expect([connection.role, connection.settings, connection.mutedUntil, connection.keyRefused]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it("is the welcome's role, settings and mute in an owned room, known when the welcome event fires", () => {
    const harness = connect();
    const seen: unknown[] = [];
    harness.connection.on("welcome", () => seen.push(harness.connection.role, harness.connection.settings));
    welcomeLatest(harness, ownedWelcome({ mutedUntil: TS + 60_000 }));
    expect(seen).toEqual(["member", SETTINGS]);
    expect(harness.connection.mutedUntil).toBe(TS + 60_000);
  });

  it("follows a settings event, holding the new settings when the event fires", () => {
    const harness = connect();
    welcomeLatest(harness, ownedWelcome());
    const topics: string[] = [];
    harness.connection.on("settings", () => topics.push(harness.connection.settings?.topic ?? "none"));
    harness.network.latest.receive(settingsEvent(1, { topic: "launch day", slowMode: 30 }));
    expect(topics).toEqual(["launch day"]);
    expect(harness.connection.settings).toMatchObject({ topic: "launch day", slowMode: 30 });
  });

  it("is not taken back by older settings events in a welcome's history", () => {
    const harness = connect();
    const events = record(harness.connection, "settings");
    const history = [settingsEvent(3, { topic: "old topic" })];
    welcomeLatest(harness, welcome(history, { lastSeq: 9, role: "member", settings: SETTINGS }));
    expect(events.map((event) => event.settings.topic)).toEqual(["old topic"]);
    expect(harness.connection.settings?.topic).toBe("release week");
  });

  it("makes the user a guest when the room is claimed while they are in it", () => {
    const harness = connectOnline();
    const { user: _, ...claimed } = settingsEvent(1, {});
    harness.network.latest.receive(claimed);
    expect(harness.connection.role).toBe("guest");
    expect(harness.connection.settings).toEqual(SETTINGS);
  });

  it("holds a mute of the user until it is lifted, and ignores one of someone else", () => {
    const harness = connect();
    welcomeLatest(harness, ownedWelcome());
    const socket = harness.network.latest;
    socket.receive({ ...onAlice(1, { action: "mute", until: TS + 600_000 }), subject: BOB });
    expect(harness.connection.mutedUntil).toBeNull();
    socket.receive(onAlice(2, { action: "mute", until: TS + 600_000 }));
    expect(harness.connection.mutedUntil).toBe(TS + 600_000);
    socket.receive(onAlice(3, { action: "unmute" }));
    expect(harness.connection.mutedUntil).toBeNull();
  });

  it("emits the moderation event after the user's own standing has moved", () => {
    const harness = connect();
    welcomeLatest(harness, ownedWelcome());
    const mutes: (number | null)[] = [];
    harness.connection.on("moderation", () => mutes.push(harness.connection.mutedUntil));
    harness.network.latest.receive(onAlice(1, { action: "mute", until: TS + 5000 }));
    expect(mutes).toEqual([TS + 5000]);
  });

  it("emits `role` when a moderator gives the user a role", () => {
    const harness = connect();
    welcomeLatest(harness, ownedWelcome());
    const changes = record(harness.connection, "role");
    harness.network.latest.receive(onAlice(1, { action: "role", role: "moderator" }));
    expect(changes).toEqual([{ role: "moderator", previous: "member" }]);
    expect(harness.connection.role).toBe("moderator");
  });

  it("emits `role` when a later welcome gives another role", () => {
    const harness = connect();
    welcomeLatest(harness, ownedWelcome());
    const changes = record(harness.connection, "role");
    dropAndReconnect(harness);
    welcomeLatest(harness, ownedWelcome({ role: "guest" }));
    expect(changes).toEqual([{ role: "guest", previous: "member" }]);
  });

  it("asks the member list whether a key of the user's role that someone else revoked was theirs", async () => {
    const harness = connect();
    welcomeLatest(harness, ownedWelcome());
    const changes = record(harness.connection, "role");
    const socket = harness.network.latest;
    socket.receive({
      type: "moderation",
      seq: 1,
      ts: TS,
      user: BOB,
      action: "revoke",
      key: "b7c2xq4m",
      role: "member",
    });
    const asked = socket.frames().find((frame) => frame.type === "members");
    if (asked?.type !== "members") throw new Error("the SDK did not ask for the member list");
    socket.receive({ type: "members", ref: asked.ref, members: [{ user: BOB, role: "owner" }] });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(changes).toEqual([{ role: "guest", previous: "member" }]);
  });

  it("does not doubt its role when a key of another role is revoked", () => {
    const harness = connect();
    welcomeLatest(harness, ownedWelcome());
    const socket = harness.network.latest;
    socket.receive({
      type: "moderation",
      seq: 1,
      ts: TS,
      user: BOB,
      action: "revoke",
      key: "b7c2xq4m",
      role: "reader",
    });
    expect(socket.frames()).toEqual([]);
  });
});

describe("a connection a moderator or the room ends", () => {
  it.each([
    [4001, "kicked"],
    [4003, "banned"],
    [4004, "key required"],
  ])("stops reconnecting after close %i (%s) and says so with the room's reason", (code, reason) => {
    const harness = connectOnline();
    const removals = record(harness.connection, "removed");
    harness.network.latest.drop(code, reason);
    harness.clock.advance(60_000);
    expect(harness.connection.state).toBe("offline");
    expect(harness.network.sockets).toHaveLength(1);
    expect(removals).toEqual([{ code, reason }]);
    expect(harness.connection.removal).toEqual({ code, reason });
  });

  it("takes the reason from the error frame sent before a close that carries none", () => {
    const harness = connect();
    const removals = record(harness.connection, "removed");
    harness.network.latest.open();
    harness.network.latest.receive({ type: "error", code: "forbidden", message: "You are banned from this room" });
    harness.network.latest.drop(4003, "");
    expect(removals).toEqual([{ code: 4003, reason: "You are banned from this room" }]);
  });

  it.each([
    ["kick", 4001],
    ["ban", 4003],
  ] as const)(
    "stops at once on a live %s of the user, with the moderator's reason, before the close comes",
    (action, code) => {
      const harness = connect();
      welcomeLatest(harness, ownedWelcome());
      const removals = record(harness.connection, "removed");
      harness.network.latest.receive(onAlice(1, { action, reason: "spam" }));
      expect(removals).toEqual([{ code, reason: "spam" }]);
      expect(harness.connection.state).toBe("offline");
      harness.network.latest.drop(code, "banned from this room");
      harness.clock.advance(60_000);
      expect(removals).toHaveLength(1);
      expect(harness.network.sockets).toHaveLength(1);
    },
  );

  it("is not ended by a kick in a resume's history, which the user came back from", () => {
    const harness = connect();
    const history = [onAlice(3, { action: "kick" })];
    welcomeLatest(harness, welcome(history, { lastSeq: 3, role: "guest", settings: SETTINGS }));
    expect(harness.connection.state).toBe("online");
  });

  it("is not ended by a kick of someone else", () => {
    const harness = connect();
    welcomeLatest(harness, ownedWelcome());
    harness.network.latest.receive({ ...onAlice(1, { action: "kick" }), subject: BOB });
    expect(harness.connection.state).toBe("online");
  });

  it("still reports a close with 1008 as a policy close, not a removal", () => {
    const harness = connectOnline();
    const removals = record(harness.connection, "removed");
    const errors = record(harness.connection, "error");
    harness.network.latest.drop(1008, "too many refused frames");
    expect(removals).toEqual([]);
    expect(errors).toEqual([{ kind: "policy_close", reason: "too many refused frames" }]);
  });

  it("reconnects as before after any other close from the room", () => {
    const harness = connectOnline();
    dropAndReconnect(harness, 4000);
    expect(harness.network.sockets).toHaveLength(2);
  });
});
