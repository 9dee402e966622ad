import { describe, expect, it } from "vitest";
import {
  memoryStore,
  type PendingMessage,
  parsePendingMessage,
  parseSavedSession,
  type SavedSession,
} from "../../../client/sdk.ts";

const SESSION: SavedSession = {
  token: "user.signature",
  outbox: [
    { id: "a", text: "queued", status: "pending" },
    { id: "b", text: "refused", status: "failed", code: "too_large", reason: "too long" },
  ],
};

describe("session stores", () => {
  it("the memory store gives back what was saved", () => {
    const store = memoryStore();
    expect(store.load()).toBeNull();
    store.save(SESSION);
    expect(store.load()).toEqual(SESSION);
  });

  it("the memory store grants its lease at once, and nobody else changes its queue", () => {
    const store = memoryStore(SESSION);
    let granted = 0;
    store.lease(() => granted++);
    expect(granted).toBe(1);
    let changes = 0;
    const stop = store.watch(() => changes++);
    store.save({ token: SESSION.token, outbox: [] });
    expect(changes).toBe(0);
    stop();
  });

  it("a session saved as JSON reads back the same", () => {
    expect(parseSavedSession(JSON.stringify(SESSION))).toEqual(SESSION);
  });

  it("missing or damaged JSON reads as no session", () => {
    expect(parseSavedSession(null)).toBeNull();
    expect(parseSavedSession("{")).toBeNull();
    expect(parseSavedSession('{"token":"t"}')).toBeNull();
  });

  it("one queued message reads back only with every field right", () => {
    for (const message of SESSION.outbox) expect(parsePendingMessage({ ...message })).toEqual(message);
    expect(parsePendingMessage({ id: "a", text: "x", status: "sent" })).toBeNull();
    expect(parsePendingMessage({ id: "a", text: "x", status: "failed", code: "no_such_code", reason: "r" })).toBeNull();
    expect(parsePendingMessage({ id: 1, text: "x", status: "pending" })).toBeNull();
    expect(parsePendingMessage(null)).toBeNull();
  });

  it("queued replies, edits, deletions and reactions read back as they were saved", () => {
    const changes: PendingMessage[] = [
      { id: "c", text: "yes", replyTo: 4, mentions: ["bobbbbbbbbbbbbbb"], status: "pending" },
      { kind: "edit", id: "d", target: 4, text: "fixed", mentions: [], status: "pending" },
      { kind: "edit", id: "e", target: "c", text: "yes!", status: "failed", code: "not_found", reason: "gone" },
      { kind: "delete", id: "f", target: 4, status: "pending" },
      { kind: "delete", id: "g", target: "c", status: "pending" },
      { kind: "react", id: "h", target: 4, emoji: "👩🏽‍💻", on: false, status: "pending" },
      { kind: "send", id: "i", text: "said so", status: "pending" },
    ];
    const session: SavedSession = { token: null, outbox: changes };
    expect(parseSavedSession(JSON.stringify(session))).toEqual(session);
  });

  it("a queued change reads back only with every field of its kind right", () => {
    const pending = { status: "pending" };
    for (const damaged of [
      { kind: "poll", id: "a", text: "x" },
      { kind: "edit", id: "a", text: "x" },
      { kind: "edit", id: "a", target: 0, text: "x" },
      { kind: "edit", id: "a", target: "", text: "x" },
      { kind: "edit", id: "a", target: 4 },
      { kind: "delete", id: "a", target: 1.5 },
      { kind: "react", id: "a", target: 4, emoji: "ok", on: true },
      { kind: "react", id: "a", target: 4, emoji: "👍", on: "yes" },
      { kind: "react", id: "a", target: "b", emoji: "👍", on: true },
      { id: "a", text: "x", replyTo: 0 },
      { id: "a", text: "x", mentions: ["not a user id"] },
      { id: "a", text: "x", mentions: "bobbbbbbbbbbbbbb" },
    ]) {
      expect(parsePendingMessage({ ...damaged, ...pending })).toBeNull();
    }
  });

  it("a session with a message of the wrong shape reads as no session", () => {
    const damaged = { token: "t", outbox: [{ id: "a", text: "x", status: "sent" }] };
    expect(parseSavedSession(JSON.stringify(damaged))).toBeNull();
  });
});
