import { describe, expect, it } from "vitest";
import type { HistoryPage } from "../../../client/sdk.ts";
import { ALICE, BOB, messageFrame, messages, welcome } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

const PAGE: HistoryPage = { messages: messages(1, 3), hasMore: true };

describe("history()", () => {
  it("asks for a page and resolves with the page that answers it", async () => {
    const { connection, network } = connectOnline();
    const page = connection.history({ before: 4 }, 3);
    expect(network.latest.historyRequests()).toEqual([{ type: "history", ref: "h1", before: 4, limit: 3 }]);
    network.latest.receive({ type: "history", ...PAGE });
    await expect(page).resolves.toEqual(PAGE);
  });

  it("answers pages in the order they were asked", async () => {
    const { connection, network } = connectOnline();
    const older = connection.history({ before: 4 });
    const newer = connection.history({ after: 10 });
    network.latest.receive({ type: "history", messages: messages(1, 3), hasMore: false });
    network.latest.receive({ type: "history", messages: messages(11, 12), hasMore: false });
    await expect(older).resolves.toEqual({ messages: messages(1, 3), hasMore: false });
    await expect(newer).resolves.toEqual({ messages: messages(11, 12), hasMore: false });
  });

  it("waits for the link when asked while offline", async () => {
    const harness = connect();
    const page = harness.connection.history({ before: 4 });
    const socket = welcomeLatest(harness);
    expect(socket.historyRequests()).toEqual([{ type: "history", ref: "h1", before: 4, limit: 50 }]);
    socket.receive({ type: "history", ...PAGE });
    await expect(page).resolves.toEqual(PAGE);
  });

  it("asks again on the next link when the link drops before the answer", async () => {
    const harness = connectOnline();
    const page = harness.connection.history({ before: 4 });
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness);
    expect(socket.historyRequests()).toEqual([{ type: "history", ref: "h1", before: 4, limit: 50 }]);
    socket.receive({ type: "history", ...PAGE });
    await expect(page).resolves.toEqual(PAGE);
  });

  it("asks for a page around a message and resolves with hasNewer", async () => {
    const { connection, network } = connectOnline();
    const page = connection.history({ around: 7 }, 4);
    expect(network.latest.historyRequests()).toEqual([{ type: "history", ref: "h1", around: 7, limit: 4 }]);
    network.latest.receive({ type: "history", ref: "h1", messages: messages(5, 8), hasMore: true, hasNewer: false });
    await expect(page).resolves.toEqual({ messages: messages(5, 8), hasMore: true, hasNewer: false });
  });

  it("matches overlapping answers to their requests by ref, whatever their order", async () => {
    const { connection, network } = connectOnline();
    const older = connection.history({ before: 4 });
    const newer = connection.history({ after: 10 });
    const [first, second] = network.latest.historyRequests();
    expect([first?.ref, second?.ref]).toEqual(["h1", "h2"]);
    network.latest.receive({ type: "history", ref: "h2", messages: messages(11, 12), hasMore: false });
    network.latest.receive({ type: "history", ref: "h1", messages: messages(1, 3), hasMore: true });
    await expect(newer).resolves.toEqual({ messages: messages(11, 12), hasMore: false });
    await expect(older).resolves.toEqual({ messages: messages(1, 3), hasMore: true });
  });

  it("rejects the request a refusal names by ref, and answers the others", async () => {
    const { connection, network } = connectOnline();
    const answered = connection.history({ before: 4 });
    const refused = connection.history({ after: 10 });
    network.latest.receive({ type: "error", code: "bad_request", message: "no", ref: "h2" });
    network.latest.receive({ type: "history", ref: "h1", ...PAGE });
    await expect(refused).rejects.toThrow("refused");
    await expect(answered).resolves.toEqual(PAGE);
  });

  it("asks again, once retryAfter has passed, for a request refused for the rate", async () => {
    const { connection, network, clock } = connectOnline();
    const page = connection.history({ before: 4 });
    network.latest.receive({ type: "error", code: "rate_limited", message: "slow down", ref: "h1", retryAfter: 300 });
    clock.advance(299);
    expect(network.latest.historyRequests()).toHaveLength(1);
    clock.advance(1);
    expect(network.latest.historyRequests()).toEqual([
      { type: "history", ref: "h1", before: 4, limit: 50 },
      { type: "history", ref: "h1", before: 4, limit: 50 },
    ]);
    network.latest.receive({ type: "history", ref: "h1", ...PAGE });
    await expect(page).resolves.toEqual(PAGE);
  });

  it("rejects arguments the room would refuse", async () => {
    const { connection } = connectOnline();
    await expect(connection.history({ before: -1 })).rejects.toThrow(RangeError);
    await expect(connection.history({ after: 1 }, 101)).rejects.toThrow(RangeError);
    // @ts-expect-error both bounds at once, as a JavaScript caller could pass them.
    await expect(connection.history({ before: 4, after: 1 })).rejects.toThrow(RangeError);
  });

  it("rejects a request the room refuses, and keeps the later pages matched", async () => {
    const { connection, network } = connectOnline();
    const refused = connection.history({ before: 4 });
    const answered = connection.history({ after: 10 });
    network.latest.receive({ type: "error", code: "bad_request", message: "`before` must be a non-negative integer" });
    network.latest.receive({ type: "history", ...PAGE });
    await expect(refused).rejects.toThrow("refused");
    await expect(answered).resolves.toEqual(PAGE);
  });

  it("rejects what is pending when the connection is closed", async () => {
    const { connection } = connectOnline();
    const page = connection.history({ before: 4 });
    connection.close();
    await expect(page).rejects.toThrow("closed");
  });
});

describe("typing() and rename()", () => {
  it("typing sends a typing frame while online", () => {
    const { connection, network } = connectOnline();
    connection.typing();
    expect(network.latest.frames()).toEqual([{ type: "typing" }]);
  });

  it("typing sends nothing while offline", () => {
    const harness = connect();
    harness.connection.typing();
    const socket = welcomeLatest(harness);
    expect(socket.frames()).toEqual([]);
  });

  it("rename asks the room for the normalised name", () => {
    const { connection, network } = connectOnline();
    expect(connection.rename("  alicia ")).toEqual({ ok: true, value: "alicia" });
    expect(network.latest.frames()).toEqual([{ type: "rename", name: "alicia" }]);
  });

  it("rename refuses a name the room would refuse, sending nothing", () => {
    const { connection, network } = connectOnline();
    expect(connection.rename("")).toEqual({ ok: false, reason: "empty" });
    expect(network.latest.frames()).toEqual([]);
  });

  it("rename made while offline takes effect with the next connection", () => {
    const harness = connectOnline();
    harness.network.latest.drop();
    harness.connection.rename("alicia");
    const socket = dropAndReconnect(harness);
    expect(socket.url.searchParams.get("name")).toBe("alicia");
  });

  it("rename made while the connection opens is sent once the room has welcomed it", () => {
    const harness = connect();
    harness.connection.rename("alicia");
    const socket = welcomeLatest(harness);
    expect(socket.frames()).toEqual([{ type: "rename", name: "alicia" }]);
  });

  it("rename is asked for again after a reconnect until the room confirms it", () => {
    const harness = connect();
    harness.connection.rename("alicia");
    welcomeLatest(harness);
    const next = dropAndReconnect(harness);
    welcomeLatest(harness);
    expect(next.frames()).toEqual([{ type: "rename", name: "alicia" }]);
  });

  it("rename confirmed by the room is not asked for again", () => {
    const harness = connect();
    harness.connection.rename("alicia");
    harness.network.latest.open();
    harness.network.latest.receive(welcome([], { you: { id: ALICE.id, name: "alicia" } }));
    expect(harness.network.latest.frames()).toEqual([]);
  });

  it("follows a rename of the user made elsewhere (another tab)", () => {
    const { connection, network } = connectOnline();
    network.latest.receive({ type: "rename", user: { id: ALICE.id, name: "ali" }, previous: "alice" });
    expect(connection.user).toEqual({ id: ALICE.id, name: "ali" });
  });
});

describe("relayed frames", () => {
  it("are emitted as events of their type", () => {
    const { connection, network } = connectOnline();
    const joins = record(connection, "join");
    const typing = record(connection, "typing");
    network.latest.receive({ type: "join", user: BOB, online: 2 });
    network.latest.receive({ type: "typing", user: BOB });
    expect(joins).toEqual([{ type: "join", user: BOB, online: 2 }]);
    expect(typing).toEqual([{ type: "typing", user: BOB }]);
  });
});

describe("frames that break the contract", () => {
  it("are reported and ignored", () => {
    const { connection, network } = connectOnline();
    const errors = record(connection, "error");
    network.latest.receive('{"type":"message","seq":"one"}');
    network.latest.receive("not json");
    expect(errors).toEqual([
      { kind: "bad_frame", data: '{"type":"message","seq":"one"}' },
      { kind: "bad_frame", data: "not json" },
    ]);
  });

  it("does not count a frame of a type it does not know: a newer server's frames are ignored", () => {
    const { connection, network } = connectOnline();
    const errors = record(connection, "error");
    const messages = record(connection, "message");
    network.latest.receive('{"type":"poll","seq":2,"question":"lunch?"}');
    network.latest.receive(messageFrame(1));
    expect(errors).toEqual([]);
    expect(messages.map((message) => message.seq)).toEqual([1]);
  });

  it("reports a binary frame", () => {
    const { connection, network } = connectOnline();
    const errors = record(connection, "error");
    network.latest.receive(new ArrayBuffer(4));
    expect(errors).toEqual([{ kind: "bad_frame", data: "(binary)" }]);
  });

  it("leave the connection working", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    const delivered = record(connection, "message");
    network.latest.receive("{");
    network.latest.receive(messageFrame(2));
    expect(connection.state).toBe("online");
    expect(delivered).toHaveLength(1);
  });
});

describe("event handlers", () => {
  it("a throwing handler does not stop the others or the connection", async () => {
    const { connection, network } = connectOnline(messages(1, 1));
    const uncaught = new Promise<unknown>((resolve) => process.once("uncaughtException", resolve));
    connection.on("message", () => {
      throw new Error("a bug in the caller");
    });
    const delivered = record(connection, "message");
    network.latest.receive(messageFrame(2));
    expect(delivered).toHaveLength(1);
    expect(connection.lastDeliveredSeq).toBe(2);
    await expect(uncaught).resolves.toMatchObject({ message: "a bug in the caller" });
  });
});
