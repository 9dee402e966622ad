/**
 * An unexpected failure inside the room (here a storage call that throws)
 * is answered with `internal_error` to the one socket whose frame failed,
 * logged once without user text, and leaves nothing half-stored: the room
 * carries on as if the frame had never come.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { connect, freshRoom, type TestClient } from "./support/client.ts";
import { failNextStatement } from "./support/faults.ts";

/** Makes the room's next `INSERT INTO messages` throw. */
function failNextMessageInsert(room: string): Promise<void> {
  return failNextStatement(room, "INSERT INTO messages");
}

function sendMessage(client: TestClient, id: string, text: string): void {
  client.send({ type: "send", id, text });
}

/** Alice and Bob in a fresh room whose next message insert fails; the failure's log line is silenced. */
async function twoPeopleBeforeAFailure(): Promise<{ alice: TestClient; bob: TestClient }> {
  const room = freshRoom();
  const alice = await connect(room, { name: "alice" });
  const bob = await connect(room, { name: "bob" });
  await alice.next("join");
  vi.spyOn(console, "error").mockImplementation(() => {});
  await failNextMessageInsert(room);
  return { alice, bob };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an unexpected failure while handling a frame", () => {
  it("answers internal_error with the frame's id to that socket only, which stays open", async () => {
    const { alice, bob } = await twoPeopleBeforeAFailure();

    sendMessage(alice, "m1", "this one fails");
    const error = await alice.next("error");
    expect(error).toMatchObject({ type: "error", code: "internal_error", id: "m1" });
    await bob.expectSilence();
    expect(await alice.closesWithin(100)).toBe(false);
  });

  it("stores nothing of the failed frame, and the next message takes seq 1", async () => {
    const { alice, bob } = await twoPeopleBeforeAFailure();

    sendMessage(alice, "m1", "this one fails");
    await alice.next("error");
    sendMessage(alice, "m2", "this one lands");
    expect(await alice.next("ack")).toMatchObject({ id: "m2", seq: 1 });
    expect(await bob.next("message")).toMatchObject({ seq: 1, id: "m2", text: "this one lands" });

    alice.send({ type: "history" });
    const page = await alice.waitFor("history");
    expect(page.messages.map((message) => message.text)).toEqual(["this one lands"]);
  });

  it("lets a resend of the failed message through, stored once", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    vi.spyOn(console, "error").mockImplementation(() => {});
    await failNextMessageInsert(room);

    sendMessage(alice, "m1", "retried");
    await alice.next("error");
    sendMessage(alice, "m1", "retried");
    expect(await alice.waitFor("ack")).toMatchObject({ id: "m1", seq: 1 });
    const later = await connect(room);
    expect(
      later.welcome.history.map((event) => [event.seq, event.type === "message" ? event.text : event.type]),
    ).toEqual([[1, "retried"]]);
  });

  it("is logged once, naming the hook, without the message text or the token", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    await failNextMessageInsert(room);

    sendMessage(alice, "m1", "a secret plan");
    await alice.next("error");
    const lines = log.mock.calls.map((call) => call.map(String).join(" "));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("webSocketMessage");
    expect(lines[0]).not.toContain("a secret plan");
    expect(lines[0]).not.toContain("SQLITE_IOERR");
    expect(lines[0]).not.toContain(alice.welcome.token);
  });
});
