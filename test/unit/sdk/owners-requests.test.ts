/**
 * What a moderator or owner asks of an owned room through the SDK: changes
 * (settings, moderation, revocations) acked by id and sent again after a
 * drop, questions (mint, keys, audit, members) answered by ref, refusals as
 * a RoomRefusal with the room's words, and the outbox's pause under slow
 * mode.
 */
import { describe, expect, it } from "vitest";
import { RoomRefusal } from "../../../client/sdk.ts";
import type { ClientFrame, KeyInfo } from "../../../protocol/frames.ts";
import type { FakeSocket } from "./support/fake-socket.ts";
import { ALICE, BOB } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

const TS = 1_700_000_000_000;
const SECRET = "abcdefghijklmnopqrstuvwxyz234567";
const KEY: KeyInfo = { id: "b7c2xq4m", role: "member", label: "team", createdBy: ALICE, createdAt: TS };

/** The last frame the SDK sent of this type. */
function lastSent<T extends ClientFrame["type"]>(socket: FakeSocket, type: T): Extract<ClientFrame, { type: T }> {
  const frame = socket.frames().findLast((each): each is Extract<ClientFrame, { type: T }> => each.type === type);
  if (frame === undefined) throw new Error(`the SDK sent no ${type} frame`);
  return frame;
}

describe("changes: settings, moderation and revocations", () => {
  it("sends a settings frame with an id and resolves with the room's ack", async () => {
    const { connection, network } = connectOnline();
    const changed = connection.updateSettings({ topic: "release week", slowMode: 30 });
    expect(network.latest.frames()).toEqual([{ type: "settings", id: "id-1", topic: "release week", slowMode: 30 }]);
    network.latest.receive({ type: "ack", id: "id-1", seq: 4, ts: TS });
    await expect(changed).resolves.toEqual({ type: "ack", id: "id-1", seq: 4, ts: TS });
  });

  it("resolves a change to what the room already has as unchanged", async () => {
    const { connection, network } = connectOnline();
    const changed = connection.updateSettings({ locked: false });
    network.latest.receive({ type: "ack", id: "id-1", unchanged: true });
    await expect(changed).resolves.toMatchObject({ unchanged: true });
  });

  it("sends each moderation action as the contract shapes it", () => {
    const { connection, network } = connectOnline();
    void connection.moderate({ action: "mute", user: BOB.id, duration: 600_000, reason: "spam" });
    void connection.moderate({ action: "ban", user: BOB.id, addressFor: 3_600_000 });
    void connection.moderate({ action: "role", user: BOB.id, role: "moderator" });
    void connection.revokeKey(KEY.id);
    expect(network.latest.frames()).toEqual([
      { type: "moderate", id: "id-1", action: "mute", user: BOB.id, duration: 600_000, reason: "spam" },
      { type: "moderate", id: "id-2", action: "ban", user: BOB.id, addressFor: 3_600_000 },
      { type: "moderate", id: "id-3", action: "role", user: BOB.id, role: "moderator" },
      { type: "revoke", id: "id-4", key: KEY.id },
    ]);
  });

  it("rejects with a RoomRefusal that carries the room's code and words", async () => {
    const { connection, network } = connectOnline();
    const kicked = connection.moderate({ action: "kick", user: BOB.id });
    const message = "You cannot kick someone whose role is not below yours";
    network.latest.receive({ type: "error", code: "forbidden", message, id: "id-1" });
    const refusal = await kicked.catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RoomRefusal);
    expect(refusal).toMatchObject({ code: "forbidden", message });
  });

  it("asks again after retryAfter when the room refuses it for the rate, then resolves", async () => {
    const { connection, network, clock } = connectOnline();
    const changed = connection.updateSettings({ topic: "x" });
    network.latest.receive({ type: "error", code: "rate_limited", message: "slow down", id: "id-1", retryAfter: 300 });
    clock.advance(299);
    expect(network.latest.frames()).toHaveLength(1);
    clock.advance(1);
    expect(network.latest.frames()).toEqual([
      { type: "settings", id: "id-1", topic: "x" },
      { type: "settings", id: "id-1", topic: "x" },
    ]);
    network.latest.receive({ type: "ack", id: "id-1", seq: 2, ts: TS });
    await expect(changed).resolves.toMatchObject({ seq: 2 });
  });

  it("is sent again with the same id after a drop before its ack, and resolves once", async () => {
    const harness = connectOnline();
    const muted = harness.connection.moderate({ action: "unmute", user: BOB.id });
    const next = dropAndReconnect(harness);
    expect(next.frames()).toEqual([]);
    welcomeLatest(harness);
    expect(next.frames()).toEqual([{ type: "moderate", id: "id-1", action: "unmute", user: BOB.id }]);
    next.receive({ type: "ack", id: "id-1", seq: 3, ts: TS });
    await expect(muted).resolves.toMatchObject({ id: "id-1" });
  });

  it("waits for the welcome when asked while connecting", () => {
    const harness = connect();
    void harness.connection.updateSettings({ locked: true });
    harness.network.latest.open();
    expect(harness.network.latest.frames()).toEqual([]);
    welcomeLatest(harness);
    expect(harness.network.latest.frames()).toEqual([{ type: "settings", id: "id-1", locked: true }]);
  });

  it("refuses what the room would refuse as a RangeError, sending nothing", async () => {
    const { connection, network } = connectOnline();
    await expect(connection.updateSettings({})).rejects.toThrow(RangeError);
    await expect(connection.updateSettings({ topic: "x".repeat(201) })).rejects.toThrow(RangeError);
    await expect(connection.moderate({ action: "mute", user: BOB.id, duration: 10 })).rejects.toThrow(RangeError);
    await expect(connection.revokeKey("not a key id")).rejects.toThrow(RangeError);
    expect(network.latest.frames()).toEqual([]);
  });

  it("rejects what waits when the connection is closed, and refuses new ones", async () => {
    const { connection } = connectOnline();
    const waiting = connection.updateSettings({ topic: "x" });
    connection.close();
    await expect(waiting).rejects.toThrow("closed");
    await expect(connection.moderate({ action: "kick", user: BOB.id })).rejects.toThrow("closed");
  });

  it("leaves the outbox alone: an owner's ack is not a message's", () => {
    const { connection, network } = connectOnline();
    connection.send("hello");
    void connection.updateSettings({ topic: "x" });
    network.latest.receive({ type: "ack", id: "id-2", seq: 5, ts: TS });
    expect(connection.outbox).toMatchObject([{ id: "id-1", status: "pending" }]);
  });
});

describe("questions: keys, the audit and the members", () => {
  it("mints a key and resolves with it and its secret", async () => {
    const { connection, network } = connectOnline();
    const minted = connection.mintKey({ role: "member", expiresIn: 86_400_000, uses: 20, label: "team" });
    const asked = lastSent(network.latest, "mint");
    expect(asked).toEqual({
      type: "mint",
      ref: asked.ref,
      role: "member",
      expiresIn: 86_400_000,
      uses: 20,
      label: "team",
    });
    network.latest.receive({ type: "minted", ref: asked.ref, key: KEY, secret: SECRET });
    await expect(minted).resolves.toEqual({ key: KEY, secret: SECRET });
  });

  it("matches each answer to its question by ref, whatever their order", async () => {
    const { connection, network } = connectOnline();
    const keys = connection.listKeys();
    const members = connection.members();
    const audit = connection.audit(40);
    const socket = network.latest;
    expect(lastSent(socket, "audit")).toMatchObject({ before: 40 });
    socket.receive({ type: "audit", ref: lastSent(socket, "audit").ref, events: [], hasMore: true });
    socket.receive({
      type: "members",
      ref: lastSent(socket, "members").ref,
      members: [{ user: ALICE, role: "owner" }],
    });
    socket.receive({ type: "keys", ref: lastSent(socket, "keys").ref, keys: [KEY] });
    await expect(keys).resolves.toEqual([KEY]);
    await expect(members).resolves.toEqual([{ user: ALICE, role: "owner" }]);
    await expect(audit).resolves.toEqual({ events: [], hasMore: true });
  });

  it("rejects with the room's refusal, leaving a search waiting", async () => {
    const { connection, network } = connectOnline();
    const found = connection.search("deploy");
    const audit = connection.audit();
    const ref = lastSent(network.latest, "audit").ref;
    const message = "Only moderators can read the moderation record";
    network.latest.receive({ type: "error", code: "forbidden", message, ref });
    await expect(audit).rejects.toMatchObject({ name: "RoomRefusal", code: "forbidden", message });
    const search = lastSent(network.latest, "search");
    network.latest.receive({ type: "results", ref: search.ref, hits: [], hasMore: false });
    await expect(found).resolves.toEqual({ hits: [], hasMore: false });
  });

  it("is refused while the connection is not online, sending nothing", async () => {
    const harness = connect();
    await expect(harness.connection.members()).rejects.toThrow("connecting");
    expect(harness.network.latest.frames()).toEqual([]);
  });

  it("rejects a mint whose answer a drop lost, and does not ask again: a second mint makes a second key", async () => {
    const harness = connectOnline();
    const minted = harness.connection.mintKey({ role: "reader" });
    dropAndReconnect(harness);
    await expect(minted).rejects.toThrow("dropped");
    welcomeLatest(harness);
    expect(harness.network.latest.frames()).toEqual([]);
  });

  it("refuses a guest key or a label the room would refuse as a RangeError", async () => {
    const { connection, network } = connectOnline();
    // @ts-expect-error: a key grants a role above guest.
    await expect(connection.mintKey({ role: "guest" })).rejects.toThrow(RangeError);
    await expect(connection.mintKey({ role: "member", label: "x".repeat(65) })).rejects.toThrow(RangeError);
    expect(network.latest.frames()).toEqual([]);
  });
});

describe("slow mode, as the outbox meets it", () => {
  it("says how long the queue waits when the room refuses a message for the rate, then sends it", () => {
    const { connection, network, clock } = connectOnline();
    const pauses = record(connection, "paused");
    connection.send("hello");
    const reason = "Slow mode: one message every 30 s";
    network.latest.receive({ type: "error", code: "rate_limited", message: reason, id: "id-1", retryAfter: 1200 });
    expect(pauses).toEqual([{ id: "id-1", retryAfter: 1200, reason }]);
    clock.advance(1199);
    expect(network.latest.sends()).toHaveLength(1);
    clock.advance(1);
    expect(network.latest.sends()).toHaveLength(2);
  });

  it("keeps a message the room refuses for the user's standing, failed, with the room's words", () => {
    const { connection, network } = connectOnline();
    connection.send("hello");
    const reason = "Only members can write here";
    network.latest.receive({ type: "error", code: "forbidden", message: reason, id: "id-1" });
    expect(connection.outbox).toMatchObject([{ id: "id-1", status: "failed", code: "forbidden", reason }]);
  });
});
