import { describe, expect, it } from "vitest";
import { messages, welcome } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

/** A connection welcomed into a room of 20 messages, where the room has the user's read position at `read`. */
function onlineWithRead(read?: number) {
  const harness = connect();
  const socket = welcomeLatest(harness, welcome(messages(1, 20), read === undefined ? {} : { read }));
  return { ...harness, socket };
}

describe("readPosition", () => {
  it("is null before the room has said anything", () => {
    const { connection } = connect();
    expect(connection.readPosition).toBeNull();
  });

  it("stays null after a welcome without one: the room has none for the user", () => {
    const { connection } = onlineWithRead();
    expect(connection.readPosition).toBeNull();
  });

  it("is the welcome's `read`", () => {
    const { connection } = onlineWithRead(12);
    expect(connection.readPosition).toBe(12);
  });

  it("moves when another connection of the user reads further, and emits `read`", () => {
    const { connection, socket } = onlineWithRead(12);
    const reads = record(connection, "read");
    socket.receive({ type: "read", seq: 15 });
    expect(connection.readPosition).toBe(15);
    expect(reads).toEqual([{ type: "read", seq: 15 }]);
  });

  it("is set by a `read` frame when the welcome had none", () => {
    const { connection, socket } = onlineWithRead();
    socket.receive({ type: "read", seq: 3 });
    expect(connection.readPosition).toBe(3);
  });

  it.each([
    ["an older", 10],
    ["the same", 12],
  ])("never moves back: %s position from the room changes nothing and emits nothing", (_, seq) => {
    const { connection, socket } = onlineWithRead(12);
    const reads = record(connection, "read");
    socket.receive({ type: "read", seq });
    expect(connection.readPosition).toBe(12);
    expect(reads).toEqual([]);
  });

  it("never moves back when a reconnect's welcome carries an older position", () => {
    const harness = onlineWithRead(12);
    harness.socket.receive({ type: "read", seq: 18 });
    dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(1, 20), { read: 14 }));
    expect(harness.connection.readPosition).toBe(18);
  });

  it("moves forward with a reconnect's welcome that carries a newer position", () => {
    const harness = onlineWithRead(12);
    dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(1, 20), { read: 19 }));
    expect(harness.connection.readPosition).toBe(19);
  });
});

describe("markRead()", () => {
  it("sends a `read` frame, moves the position and emits `read`", () => {
    const { connection, socket } = onlineWithRead();
    const reads = record(connection, "read");
    connection.markRead(7);
    expect(socket.readPositions()).toEqual([7]);
    expect(connection.readPosition).toBe(7);
    expect(reads).toEqual([{ type: "read", seq: 7 }]);
  });

  it("sends each move forward, and only those", () => {
    const { connection, socket } = onlineWithRead();
    for (const seq of [5, 5, 3, 9, 8, 9, 20]) connection.markRead(seq);
    expect(socket.readPositions()).toEqual([5, 9, 20]);
    expect(connection.readPosition).toBe(20);
  });

  it("sends nothing and emits nothing for a position at or below the welcome's", () => {
    const { connection, socket } = onlineWithRead(12);
    const reads = record(connection, "read");
    connection.markRead(12);
    connection.markRead(4);
    expect(socket.readPositions()).toEqual([]);
    expect(reads).toEqual([]);
    expect(connection.readPosition).toBe(12);
  });

  it("sends nothing for a position another connection has already reached", () => {
    const { connection, socket } = onlineWithRead(12);
    socket.receive({ type: "read", seq: 16 });
    connection.markRead(15);
    connection.markRead(16);
    expect(socket.readPositions()).toEqual([]);
    connection.markRead(17);
    expect(socket.readPositions()).toEqual([17]);
  });

  it.each([
    ["0", 0],
    ["a negative seq", -3],
    ["a fractional seq", 2.5],
    ["NaN", Number.NaN],
    ["an unsafe integer", 2 ** 53],
  ])("ignores %s", (_, seq) => {
    const { connection, socket } = onlineWithRead();
    const reads = record(connection, "read");
    connection.markRead(seq);
    expect(socket.readPositions()).toEqual([]);
    expect(reads).toEqual([]);
    expect(connection.readPosition).toBeNull();
  });

  it("emits `read` once for its own move, even when the room then names the same position", () => {
    const { connection, network } = connectOnline(messages(1, 5));
    const reads = record(connection, "read");
    connection.markRead(5);
    network.latest.receive({ type: "read", seq: 5 });
    expect(reads).toEqual([{ type: "read", seq: 5 }]);
  });
});

describe("a position marked while the link is down", () => {
  it("reaches the room with the next welcome, which had an older one", () => {
    const harness = onlineWithRead(3);
    // Reconnecting, not welcomed yet: the link is not up.
    const socket = dropAndReconnect(harness);
    expect(harness.connection.state).not.toBe("online");
    harness.connection.markRead(9);
    welcomeLatest(harness, welcome(messages(1, 20), { read: 3 }));
    expect(socket.readPositions()).toEqual([9]);
    expect(harness.connection.readPosition).toBe(9);
  });

  it("is not sent again when the welcome already has it", () => {
    const harness = onlineWithRead(3);
    harness.connection.markRead(9);
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(1, 20), { read: 9 }));
    expect(socket.readPositions()).toEqual([]);
  });
});
