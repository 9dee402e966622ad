import { describe, expect, it } from "vitest";
import { memoryStore, type PendingMessage } from "../../../client/sdk.ts";
import type { ErrorFrame } from "../../../protocol/frames.ts";
import { ALICE, message, messageFrame, messages, welcome } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

const ACK_TS = 1_700_000_000_000;

describe("sending", () => {
  it("returns the client id it chose and records the message as pending", () => {
    const { connection } = connectOnline();
    const id = connection.send("hello");
    expect(id).toBe("id-1");
    expect(connection.outbox).toEqual([{ id: "id-1", text: "hello", status: "pending" }]);
  });

  it("chooses a different id for every message by default", () => {
    const { connection } = connectOnline([], { newId: crypto.randomUUID.bind(crypto) });
    expect(connection.send("one")).not.toBe(connection.send("two"));
  });

  it("sends the message with its id", () => {
    const { connection, network } = connectOnline();
    connection.send("hello");
    expect(network.latest.sends()).toEqual([{ type: "send", id: "id-1", text: "hello" }]);
  });

  it("keeps one message in flight and sends the next after the ack", () => {
    const { connection, network } = connectOnline();
    connection.send("one");
    connection.send("two");
    expect(network.latest.sends().map((frame) => frame.id)).toEqual(["id-1"]);
    network.latest.receive({ type: "ack", id: "id-1", seq: 1, ts: ACK_TS });
    expect(network.latest.sends().map((frame) => frame.id)).toEqual(["id-1", "id-2"]);
  });

  it("forgets a message once the room acks it, and says so", () => {
    const { connection, network } = connectOnline();
    const acks = record(connection, "ack");
    connection.send("hello");
    network.latest.receive({ type: "ack", id: "id-1", seq: 1, ts: ACK_TS });
    expect(connection.outbox).toEqual([]);
    expect(acks).toEqual([{ type: "ack", id: "id-1", seq: 1, ts: ACK_TS }]);
  });

  it("fails a message the room would refuse without sending it", () => {
    const { connection, network } = connectOnline();
    connection.send("   ");
    expect(connection.outbox).toMatchObject([{ id: "id-1", status: "failed", code: "bad_request" }]);
    expect(network.latest.sends()).toEqual([]);
  });
});

describe("the outbox across reconnects", () => {
  it("sends what was queued while offline after the welcome, in order", () => {
    const harness = connect();
    harness.connection.send("one");
    harness.connection.send("two");
    const socket = welcomeLatest(harness);
    socket.receive({ type: "ack", id: "id-1", seq: 1, ts: ACK_TS });
    expect(socket.sends()).toEqual([
      { type: "send", id: "id-1", text: "one" },
      { type: "send", id: "id-2", text: "two" },
    ]);
  });

  it("re-sends an unacknowledged message with the same id, ahead of later ones", () => {
    const harness = connectOnline();
    harness.connection.send("one");
    harness.network.latest.drop();
    harness.connection.send("two");
    dropAndReconnect(harness);
    const socket = welcomeLatest(harness);
    socket.receive({ type: "ack", id: "id-1", seq: 1, ts: ACK_TS });
    expect(socket.sends().map((frame) => frame.id)).toEqual(["id-1", "id-2"]);
  });

  it("does not re-send a message the resumed history shows was stored", () => {
    const harness = connectOnline();
    harness.connection.send("one");
    dropAndReconnect(harness);
    const socket = welcomeLatest(harness, welcome([message(1, { id: "id-1", user: ALICE, text: "one" })]));
    expect(socket.sends()).toEqual([]);
    expect(harness.connection.outbox).toEqual([]);
  });

  it("keeps the outbox in the session store, and a new connection sends it with the saved token", () => {
    const session = memoryStore();
    const first = connectOnline([], { session });
    first.connection.send("written before the reload");
    first.connection.close();
    const second = connect({ session });
    const socket = welcomeLatest(second);
    expect(socket.token).toBe(welcome().token);
    expect(socket.sends()).toEqual([{ type: "send", id: "id-1", text: "written before the reload" }]);
  });

  it("saves every change of the outbox", () => {
    const session = memoryStore();
    const { connection, network } = connectOnline([], { session });
    connection.send("hello");
    expect(session.load()?.outbox).toEqual([{ id: "id-1", text: "hello", status: "pending" }]);
    network.latest.receive({ type: "ack", id: "id-1", seq: 1, ts: ACK_TS });
    expect(session.load()?.outbox).toEqual([]);
  });
});

describe("refusals", () => {
  it("pauses on rate_limited and sends the same id again after retryAfter", () => {
    const { connection, network, clock } = connectOnline();
    connection.send("one");
    connection.send("two");
    const socket = network.latest;
    socket.receive({ type: "error", code: "rate_limited", message: "slow down", id: "id-1", retryAfter: 300 });
    clock.advance(299);
    expect(socket.sends().map((frame) => frame.id)).toEqual(["id-1"]);
    clock.advance(1);
    expect(socket.sends().map((frame) => frame.id)).toEqual(["id-1", "id-1"]);
  });

  it("holds later messages while paused, so the user's order is kept", () => {
    const { connection, network, clock } = connectOnline();
    connection.send("one");
    network.latest.receive({ type: "error", code: "rate_limited", message: "slow down", id: "id-1", retryAfter: 300 });
    connection.send("two");
    clock.advance(300);
    network.latest.receive({ type: "ack", id: "id-1", seq: 1, ts: ACK_TS });
    expect(network.latest.sends().map((frame) => frame.id)).toEqual(["id-1", "id-1", "id-2"]);
  });

  it("marks a message refused as too_large as failed and moves on", () => {
    const { connection, network } = connectOnline();
    connection.send("one");
    connection.send("two");
    network.latest.receive({ type: "error", code: "too_large", message: "too long", id: "id-1" });
    expect(connection.outbox).toEqual<PendingMessage[]>([
      { id: "id-1", text: "one", status: "failed", code: "too_large", reason: "too long" },
      { id: "id-2", text: "two", status: "pending" },
    ]);
    expect(network.latest.sends().map((frame) => frame.id)).toEqual(["id-1", "id-2"]);
  });

  it("marks a message refused as bad_request as failed and never re-sends it", () => {
    const harness = connectOnline();
    harness.connection.send("one");
    harness.network.latest.receive({ type: "error", code: "bad_request", message: "no", id: "id-1" });
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness);
    expect(socket.sends()).toEqual([]);
    expect(harness.connection.outbox).toMatchObject([{ id: "id-1", status: "failed", code: "bad_request" }]);
  });

  it("attributes a too_large without id to the send in flight (an oversized frame cannot be parsed for its id)", () => {
    const { connection, network } = connectOnline([], { maxFrameBytes: 1_000_000 });
    connection.send("x".repeat(4000));
    network.latest.receive({ type: "error", code: "too_large", message: "frame is larger than 16384 bytes" });
    expect(connection.outbox).toMatchObject([{ id: "id-1", status: "failed", code: "too_large" }]);
  });

  it("reports a refusal that is not about a queued message as an error", () => {
    const { connection, network } = connectOnline();
    const errors = record(connection, "error");
    const refusal: ErrorFrame = { type: "error", code: "invalid_name", message: "bad name" };
    network.latest.receive(refusal);
    expect(errors).toEqual([{ kind: "refused", frame: refusal }]);
  });
});

describe("retry and discard", () => {
  it("retry queues a failed message again, after the messages waiting now", () => {
    const { connection, network } = connectOnline();
    connection.send("one");
    network.latest.receive({ type: "error", code: "bad_request", message: "no", id: "id-1" });
    connection.send("two");
    expect(connection.retry("id-1")).toBe(true);
    expect(connection.outbox).toEqual([
      { id: "id-2", text: "two", status: "pending" },
      { id: "id-1", text: "one", status: "pending" },
    ]);
    network.latest.receive({ type: "ack", id: "id-2", seq: 1, ts: ACK_TS });
    expect(network.latest.sends().map((frame) => frame.id)).toEqual(["id-1", "id-2", "id-1"]);
  });

  it("retry refuses a message that has not failed", () => {
    const { connection } = connectOnline();
    const id = connection.send("one");
    expect(connection.retry(id)).toBe(false);
  });

  it("discard forgets a failed message", () => {
    const { connection, network } = connectOnline();
    connection.send("one");
    network.latest.receive({ type: "error", code: "too_large", message: "too long", id: "id-1" });
    expect(connection.discard("id-1")).toBe(true);
    expect(connection.outbox).toEqual([]);
  });

  it("discard forgets a message still waiting to be sent", () => {
    const { connection } = connect();
    const id = connection.send("written offline");
    expect(connection.discard(id)).toBe(true);
    expect(connection.outbox).toEqual([]);
  });

  it("discard refuses the message in flight, which the room may already have stored", () => {
    const { connection } = connectOnline();
    const id = connection.send("one");
    expect(connection.discard(id)).toBe(false);
  });

  it("discard refuses a message sent on a link that dropped before the answer, which the room may have stored", () => {
    const harness = connectOnline();
    const id = harness.connection.send("one");
    harness.network.latest.drop();
    expect(harness.connection.discard(id)).toBe(false);
  });
});

describe("own messages in the stream", () => {
  it("confirm a queued message even when its ack was lost", () => {
    const harness = connectOnline(messages(1, 1));
    harness.connection.send("two");
    harness.network.latest.receive(messageFrame(2, { id: "id-1", user: ALICE, text: "two" }));
    expect(harness.connection.outbox).toEqual([]);
  });
});
