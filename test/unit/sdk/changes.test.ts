/**
 * Replies, mentions, edits and deletions: checked before they are queued,
 * then queued, sent and acknowledged exactly as messages are.
 */
import { describe, expect, it } from "vitest";
import { memoryStore, type PendingMessage } from "../../../client/sdk.ts";
import { ALICE, BOB, deleteFrame, editFrame, message, messages, welcome } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

const ACK_TS = 1_700_000_000_000;
const MINE = message(1, { id: "sent-before", user: ALICE, text: "helo" });

describe("send() with options, and reply()", () => {
  it("sends the seq answered and the people named", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    connection.send("hi bob", { mentions: [BOB.id] });
    network.latest.receive({ type: "ack", id: "id-1", seq: 2, ts: ACK_TS });
    connection.reply(1, "yes");
    expect(network.latest.sends()).toEqual([
      { type: "send", id: "id-1", text: "hi bob", mentions: [BOB.id] },
      { type: "send", id: "id-2", text: "yes", replyTo: 1 },
    ]);
  });

  it("fails a message with options the room would refuse, without sending it", () => {
    const { connection, network } = connectOnline();
    connection.send("hi", { mentions: ["not a user id"] });
    connection.reply(0, "to nothing");
    expect(connection.outbox).toMatchObject([
      { id: "id-1", status: "failed", code: "bad_request" },
      { id: "id-2", status: "failed", code: "bad_request" },
    ]);
    expect(network.latest.sends()).toEqual([]);
  });

  it("fails a reply the room refuses as not_found, for good", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    connection.reply(1, "too late");
    network.latest.receive({ type: "error", code: "not_found", message: "message 1 is deleted", id: "id-1" });
    expect(connection.outbox).toEqual<PendingMessage[]>([
      { id: "id-1", text: "too late", replyTo: 1, status: "failed", code: "not_found", reason: "message 1 is deleted" },
    ]);
  });
});

describe("edit()", () => {
  it("sends an edit of a stored message and is done once acked", () => {
    const { connection, network } = connectOnline([MINE]);
    expect(connection.edit(1, " hello ", { mentions: [BOB.id] })).toEqual({ ok: true, id: "id-1" });
    expect(network.latest.frames()).toEqual([
      { type: "edit", id: "id-1", target: 1, text: "hello", mentions: [BOB.id] },
    ]);
    network.latest.receive({ type: "ack", id: "id-1", seq: 2, ts: ACK_TS });
    expect(connection.outbox).toEqual([]);
  });

  it("is done when the room says it changed nothing", () => {
    const { connection, network } = connectOnline([MINE]);
    connection.edit(1, "helo");
    network.latest.receive({ type: "ack", id: "id-1", unchanged: true });
    expect(connection.outbox).toEqual([]);
  });

  it("names a stored message by the client id it was sent with", () => {
    const { connection, network } = connectOnline([MINE]);
    connection.edit("sent-before", "hello");
    expect(network.latest.frames()).toEqual([{ type: "edit", id: "id-1", target: 1, text: "hello" }]);
  });

  it("refuses, sending nothing, what the room would refuse", () => {
    const { connection, network } = connectOnline([
      MINE,
      message(2),
      message(3, { user: ALICE, deleted: true, text: "" }),
    ]);
    expect(connection.edit(1, "  ")).toMatchObject({ ok: false, code: "bad_request" });
    expect(connection.edit(1, "x".repeat(4001))).toMatchObject({ ok: false, code: "too_large" });
    expect(connection.edit(1, "hi", { mentions: [BOB.id, BOB.id] })).toMatchObject({ ok: false, code: "bad_request" });
    expect(connection.edit(2, "not mine")).toMatchObject({ ok: false, code: "forbidden" });
    expect(connection.edit(3, "gone")).toMatchObject({ ok: false, code: "not_found" });
    expect(connection.edit(-1, "no such seq")).toMatchObject({ ok: false, code: "bad_request" });
    expect(connection.edit("never-sent", "who?")).toMatchObject({ ok: false, code: "not_found" });
    expect(network.latest.frames()).toEqual([]);
    expect(connection.outbox).toEqual([]);
  });

  it("refused by the room stays in the outbox, failed, and can be retried", () => {
    const { connection, network } = connectOnline([MINE]);
    connection.edit(1, "hello");
    network.latest.receive({ type: "error", code: "not_found", message: "message 1 is deleted", id: "id-1" });
    expect(connection.outbox).toEqual<PendingMessage[]>([
      {
        kind: "edit",
        id: "id-1",
        target: 1,
        text: "hello",
        status: "failed",
        code: "not_found",
        reason: "message 1 is deleted",
      },
    ]);
    expect(connection.retry("id-1")).toBe(true);
    expect(network.latest.eventFrames().map((frame) => frame.id)).toEqual(["id-1", "id-1"]);
  });

  it("waits out rate_limited and goes again with the same id", () => {
    const { connection, network, clock } = connectOnline([MINE]);
    connection.edit(1, "hello");
    network.latest.receive({ type: "error", code: "rate_limited", message: "slow down", id: "id-1", retryAfter: 200 });
    clock.advance(200);
    expect(network.latest.eventFrames().map((frame) => frame.id)).toEqual(["id-1", "id-1"]);
  });
});

describe("edit() and delete() of a message still in the outbox", () => {
  it("an edit changes the queued text, and no edit is sent", () => {
    const harness = connect();
    const id = harness.connection.send("helo");
    expect(harness.connection.edit(id, "hello")).toEqual({ ok: true, id });
    expect(harness.connection.outbox).toEqual([{ id, text: "hello", status: "pending" }]);
    const socket = welcomeLatest(harness);
    expect(socket.frames()).toEqual([{ type: "send", id, text: "hello" }]);
  });

  it("an edit of a failed message queues it again with the new text", () => {
    const { connection, network } = connectOnline();
    const id = connection.send("x".repeat(4001));
    connection.edit(id, "shorter");
    expect(connection.outbox).toEqual([{ id, text: "shorter", status: "pending" }]);
    expect(network.latest.sends()).toEqual([{ type: "send", id, text: "shorter" }]);
  });

  it("a deletion removes it, and nothing is sent", () => {
    const harness = connect();
    const id = harness.connection.send("oops");
    expect(harness.connection.delete(id)).toEqual({ ok: true, id });
    expect(harness.connection.outbox).toEqual([]);
    expect(welcomeLatest(harness).frames()).toEqual([]);
  });

  it("in flight waits for its ack, then goes as an edit of the seq the ack gave", () => {
    const { connection, network } = connectOnline();
    const id = connection.send("helo");
    expect(connection.edit(id, "hello")).toEqual({ ok: true, id: "id-2" });
    expect(connection.outbox).toMatchObject([{ id }, { kind: "edit", id: "id-2", target: id }]);
    network.latest.receive({ type: "ack", id, seq: 7, ts: ACK_TS });
    expect(network.latest.frames()).toEqual([
      { type: "send", id, text: "helo" },
      { type: "edit", id: "id-2", target: 7, text: "hello" },
    ]);
  });

  it("sent on a link that dropped before its ack is edited with an edit, as the room may have stored it", () => {
    const harness = connectOnline();
    const id = harness.connection.send("helo");
    harness.network.latest.drop();
    harness.connection.edit(id, "hello");
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness);
    socket.receive({ type: "ack", id, seq: 1, ts: ACK_TS });
    expect(socket.eventFrames()).toEqual([
      { type: "send", id, text: "helo" },
      { type: "edit", id: "id-2", target: 1, text: "hello" },
    ]);
  });

  it("in flight is deleted once the ack gives its seq", () => {
    const { connection, network } = connectOnline();
    const id = connection.send("oops");
    connection.delete(id);
    network.latest.receive({ type: "ack", id, seq: 7, ts: ACK_TS });
    expect(network.latest.frames().at(-1)).toEqual({ type: "delete", id: "id-2", target: 7 });
  });
});

describe("delete()", () => {
  it("sends a deletion of a stored message", () => {
    const { connection, network } = connectOnline([MINE]);
    expect(connection.delete(1)).toEqual({ ok: true, id: "id-1" });
    expect(network.latest.frames()).toEqual([{ type: "delete", id: "id-1", target: 1 }]);
  });

  it("refused by the room leaves the outbox, and is reported", () => {
    const { connection, network } = connectOnline([MINE]);
    const errors = record(connection, "error");
    connection.delete(1);
    network.latest.receive({ type: "error", code: "forbidden", message: "not yours", id: "id-1" });
    expect(connection.outbox).toEqual([]);
    expect(errors).toEqual([
      {
        kind: "change_refused",
        change: { kind: "delete", id: "id-1", target: 1 },
        code: "forbidden",
        reason: "not yours",
      },
    ]);
  });

  it("refuses someone else's message and a deleted one, sending nothing", () => {
    const { connection, network } = connectOnline([message(1), message(2, { user: ALICE, text: "", deleted: true })]);
    expect(connection.delete(1)).toMatchObject({ ok: false, code: "forbidden" });
    expect(connection.delete(2)).toMatchObject({ ok: false, code: "not_found" });
    expect(network.latest.frames()).toEqual([]);
  });
});

describe("changes made offline", () => {
  it("wait in the outbox with the messages, and go in the order they were made", () => {
    const harness = connectOnline([MINE]);
    harness.network.latest.drop();
    harness.connection.send("one");
    harness.connection.edit(1, "hello");
    harness.connection.react(1, "👍");
    harness.connection.delete(1);
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome([], { lastSeq: 1 }));
    for (const [index, id] of ["id-1", "id-2", "id-3"].entries()) {
      socket.receive({ type: "ack", id, seq: 2 + index, ts: ACK_TS });
    }
    expect(socket.frames()).toEqual([
      { type: "send", id: "id-1", text: "one" },
      { type: "edit", id: "id-2", target: 1, text: "hello" },
      { type: "react", id: "id-3", target: 1, emoji: "👍", on: true },
      { type: "delete", id: "id-4", target: 1 },
    ]);
  });

  it("are kept in the session store, and a new connection sends them", () => {
    const session = memoryStore();
    const first = connectOnline([MINE], { session });
    first.network.latest.drop();
    first.connection.edit(1, "hello");
    first.connection.close();
    expect(session.load()?.outbox).toEqual([{ kind: "edit", id: "id-1", target: 1, text: "hello", status: "pending" }]);
    const second = connect({ session });
    expect(welcomeLatest(second).frames()).toEqual([{ type: "edit", id: "id-1", target: 1, text: "hello" }]);
  });

  it("are re-sent with the same id after a drop, and done once the room acks the repeat", () => {
    const harness = connectOnline([MINE]);
    harness.connection.edit(1, "hello");
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome([editFrame(2, 1, "hello", { user: ALICE })]));
    socket.receive({ type: "ack", id: "id-1", seq: 2, ts: ACK_TS });
    expect(socket.frames()).toEqual([{ type: "edit", id: "id-1", target: 1, text: "hello" }]);
    expect(harness.connection.outbox).toEqual([]);
    expect(harness.connection.message(1)?.text).toBe("hello");
  });
});

describe("the user's own changes in the stream", () => {
  it("show in the view like anyone's", () => {
    const { connection, network } = connectOnline([MINE]);
    connection.delete(1);
    network.latest.receive({ type: "ack", id: "id-1", seq: 2, ts: ACK_TS });
    network.latest.receive(deleteFrame(2, 1, { user: ALICE }));
    expect(connection.message(1)).toMatchObject({ deleted: true, text: "" });
  });
});
