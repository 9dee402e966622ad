import { describe, expect, it } from "vitest";
import { memoryStore, parseSavedSession, type SavedSession } from "../../../client/sdk.ts";

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

  it("a session saved as JSON reads back the same", () => {
    expect(parseSavedSession(JSON.stringify(SESSION))).toEqual(SESSION);
  });

  it("missing or damaged JSON reads as no session", () => {
    expect(parseSavedSession(null)).toBeNull();
    expect(parseSavedSession("{")).toBeNull();
    expect(parseSavedSession('{"token":"t"}')).toBeNull();
  });

  it("a session with a message of the wrong shape reads as no session", () => {
    const damaged = { token: "t", outbox: [{ id: "a", text: "x", status: "sent" }] };
    expect(parseSavedSession(JSON.stringify(damaged))).toBeNull();
  });
});
