import { describe, expect, it } from "vitest";
import { message, messageFrame, messages, welcome } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, seqsOf, welcomeLatest } from "./support/harness.ts";

describe("message delivery", () => {
  it("delivers live messages in seq order", () => {
    const harness = connectOnline(messages(1, 2));
    const delivered = record(harness.connection, "message");
    harness.network.latest.receive(messageFrame(3));
    harness.network.latest.receive(messageFrame(4));
    expect(delivered).toEqual([message(3), message(4)]);
  });

  it("drops a message it already delivered", () => {
    const harness = connectOnline(messages(1, 2));
    const delivered = record(harness.connection, "message");
    harness.network.latest.receive(messageFrame(2));
    harness.network.latest.receive(messageFrame(3));
    harness.network.latest.receive(messageFrame(3));
    expect(seqsOf(delivered)).toEqual([3]);
  });

  it("remembers the last delivered seq", () => {
    const harness = connectOnline(messages(1, 2));
    harness.network.latest.receive(messageFrame(3));
    expect(harness.connection.lastDeliveredSeq).toBe(3);
  });

  it("starts a view with the welcome's newest messages when there is no `since`", () => {
    const harness = connect();
    const delivered = record(harness.connection, "message");
    welcomeLatest(harness, welcome(messages(51, 100)));
    expect(seqsOf(delivered)).toEqual(seqsOf(messages(51, 100)));
  });

  it("sees nothing twice after a resume whose history overlaps what it delivered", () => {
    const harness = connectOnline(messages(1, 3));
    const delivered = record(harness.connection, "message");
    dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(2, 5)));
    expect(seqsOf(delivered)).toEqual([4, 5]);
  });

  it("holds a message that arrives past a gap and pages the gap in", () => {
    const harness = connectOnline(messages(1, 2));
    const delivered = record(harness.connection, "message");
    const socket = harness.network.latest;
    socket.receive(messageFrame(5));
    expect(delivered).toEqual([]);
    expect(socket.historyRequests()).toEqual([{ type: "history", ref: "h1", after: 2, limit: 100 }]);
    socket.receive({ type: "history", messages: messages(3, 5), hasMore: false });
    expect(seqsOf(delivered)).toEqual([3, 4, 5]);
  });
});

describe("catching up after a welcome with `more`", () => {
  it("pages `after` until caught up, with live messages interleaved, each once and in order", () => {
    const harness = connectOnline(messages(1, 2));
    const delivered = record(harness.connection, "message");
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(3, 4), { lastSeq: 9, more: true }));
    socket.receive(messageFrame(10));
    socket.receive({ type: "history", messages: messages(5, 7), hasMore: true });
    socket.receive(messageFrame(11));
    socket.receive({ type: "history", messages: messages(8, 11), hasMore: false });
    socket.receive(messageFrame(12));
    expect(seqsOf(delivered)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("asks for each page after the last delivered message, one page at a time", () => {
    const harness = connectOnline(messages(1, 2));
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(3, 4), { lastSeq: 9, more: true }));
    socket.receive(messageFrame(10));
    expect(socket.historyRequests()).toEqual([{ type: "history", ref: "h1", after: 4, limit: 100 }]);
    socket.receive({ type: "history", messages: messages(5, 7), hasMore: true });
    expect(socket.historyRequests().map((frame) => frame.after)).toEqual([4, 7]);
  });

  it("starts over from the last delivered message when the link drops mid-way", () => {
    const harness = connectOnline(messages(1, 2));
    const delivered = record(harness.connection, "message");
    let socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(3, 4), { lastSeq: 9, more: true }));
    socket.receive({ type: "history", messages: messages(5, 6), hasMore: true });
    socket = dropAndReconnect(harness);
    expect(socket.url.searchParams.get("since")).toBe("6");
    welcomeLatest(harness, welcome(messages(7, 9)));
    expect(seqsOf(delivered)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("truncation", () => {
  it("is surfaced as an event when the room trimmed messages the client had not seen", () => {
    const harness = connectOnline(messages(1, 2));
    const truncations = record(harness.connection, "truncated");
    dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(40, 42), { truncated: true }));
    expect(truncations).toEqual([{ lastDelivered: 2, resumeAfter: 39 }]);
  });

  it("comes before the messages that follow the break, which are still delivered", () => {
    const harness = connectOnline(messages(1, 2));
    const events: string[] = [];
    harness.connection.on("truncated", () => events.push("truncated"));
    harness.connection.on("message", (delivered) => events.push(`message ${delivered.seq}`));
    dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(40, 41), { truncated: true }));
    expect(events).toEqual(["truncated", "message 40", "message 41"]);
  });

  it("restarts the view when the room no longer has the history the client saw", () => {
    const harness = connectOnline(messages(1, 50));
    const delivered = record(harness.connection, "message");
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome([], { lastSeq: 3, truncated: true }));
    socket.receive(messageFrame(4));
    expect(seqsOf(delivered)).toEqual([4]);
  });

  it("is not inferred from a page whose seqs skip: seqs number edits, deletions and reactions too", () => {
    const harness = connectOnline(messages(1, 2));
    const truncations = record(harness.connection, "truncated");
    const delivered = record(harness.connection, "message");
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(3, 4), { lastSeq: 20, more: true }));
    socket.receive({ type: "history", messages: messages(10, 20), hasMore: false });
    expect(truncations).toEqual([]);
    expect(seqsOf(delivered)).toEqual([3, 4, ...seqsOf(messages(10, 20))]);
  });
});
