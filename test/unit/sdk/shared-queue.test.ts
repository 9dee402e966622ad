/**
 * A connection whose session store shares the queue with other connections,
 * as the browser's tabs of one room share it: only the holder of the lease
 * sends, and every connection shows the queue as the others change it.
 */
import { describe, expect, it } from "vitest";
import type { PendingMessage } from "../../../client/sdk.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";
import { SharedStore } from "./support/shared-store.ts";

const ACK_TS = 1_700_000_000_000;
const FROM_OTHER_TAB: PendingMessage = { id: "other-1", text: "typed in the other tab", status: "pending" };

describe("the lease to send a shared queue", () => {
  it("is asked for once the connection is welcomed, not before", () => {
    const session = new SharedStore();
    const harness = connect({ session });
    expect(session.asking).toBe(false);
    welcomeLatest(harness);
    expect(session.asking).toBe(true);
  });

  it("must be granted before anything is sent", () => {
    const session = new SharedStore();
    const { connection, network } = connectOnline([], { session });
    connection.send("one");
    expect(network.latest.sends()).toEqual([]);
    expect(session.saved?.outbox).toEqual([{ id: "id-1", text: "one", status: "pending" }]);
    session.grant();
    expect(network.latest.sends()).toEqual([{ type: "send", id: "id-1", text: "one" }]);
  });

  it("is given up when the link drops, and asked for again after the next welcome", () => {
    const session = new SharedStore();
    const harness = connectOnline([], { session });
    session.grant();
    harness.connection.send("one");
    dropAndReconnect(harness);
    expect(session.holding).toBe(false);
    expect(session.asking).toBe(false);
    const socket = welcomeLatest(harness);
    expect(socket.sends()).toEqual([]);
    session.grant();
    expect(socket.sends()).toEqual([{ type: "send", id: "id-1", text: "one" }]);
  });

  it("is given up when the connection is closed", () => {
    const session = new SharedStore();
    const { connection } = connectOnline([], { session });
    session.grant();
    connection.close();
    expect(session.holding).toBe(false);
  });
});

describe("a queue changed elsewhere", () => {
  it("shows in the outbox and its event", () => {
    const session = new SharedStore();
    const { connection } = connect({ session });
    const changes = record(connection, "outbox");
    session.changeElsewhere([FROM_OTHER_TAB]);
    expect(connection.outbox).toEqual([FROM_OTHER_TAB]);
    expect(changes).toEqual([[FROM_OTHER_TAB]]);
  });

  it("is sent in its own order by the holder of the lease", () => {
    const session = new SharedStore();
    const { connection, network } = connectOnline([], { session });
    connection.send("typed here");
    session.changeElsewhere([FROM_OTHER_TAB, { id: "id-1", text: "typed here", status: "pending" }]);
    session.grant();
    const socket = network.latest;
    socket.receive({ type: "ack", id: "other-1", seq: 1, ts: ACK_TS });
    expect(socket.sends().map((frame) => frame.id)).toEqual(["other-1", "id-1"]);
  });

  it("moves on when the message in flight left the queue elsewhere (its own message seen there)", () => {
    const session = new SharedStore();
    const { connection, network } = connectOnline([], { session });
    session.grant();
    connection.send("one");
    connection.send("two");
    session.changeElsewhere([{ id: "id-2", text: "two", status: "pending" }]);
    expect(network.latest.sends().map((frame) => frame.id)).toEqual(["id-1", "id-2"]);
  });

  it("is no longer followed once the connection is closed", () => {
    const session = new SharedStore();
    const { connection } = connect({ session });
    connection.close();
    session.changeElsewhere([FROM_OTHER_TAB]);
    expect(connection.outbox).toEqual([]);
  });
});

describe("an ack", () => {
  it("is emitted while the outbox still holds the message, then the outbox changes", () => {
    const { connection, network } = connectOnline();
    connection.send("hello");
    const outboxAtAck: (readonly PendingMessage[])[] = [];
    connection.on("ack", () => outboxAtAck.push(connection.outbox));
    network.latest.receive({ type: "ack", id: "id-1", seq: 1, ts: ACK_TS });
    expect(outboxAtAck).toEqual([[{ id: "id-1", text: "hello", status: "pending" }]]);
    expect(connection.outbox).toEqual([]);
  });
});
