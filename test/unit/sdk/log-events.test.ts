/**
 * The room's log as a connection delivers it: messages, edits, deletions
 * and reactions once each and in seq order, pages that fill gaps with
 * messages in their current state, and resumes whose messages already
 * reflect the events that follow them.
 */
import { describe, expect, it } from "vitest";
import type { RoomConnection } from "../../../client/sdk.ts";
import type { Message } from "../../../protocol/frames.ts";
import {
  BOB,
  deleteFrame,
  editFrame,
  message,
  messageFrame,
  messages,
  reactionFrame,
  welcome,
} from "./support/frames.ts";
import { connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

/** Every log event the connection emits, as "<type> <seq>", in order. */
function logOf(connection: RoomConnection): string[] {
  const log: string[] = [];
  connection.on("message", (delivered) => log.push(`message ${delivered.seq}`));
  connection.on("edit", ({ event }) => log.push(`edit ${event.seq}`));
  connection.on("delete", ({ event }) => log.push(`delete ${event.seq}`));
  connection.on("reaction", ({ event }) => log.push(event === null ? "pending reaction" : `reaction ${event.seq}`));
  return log;
}

const THUMBS = "👍";

describe("live events", () => {
  it("are delivered in seq order, messages and changes alike", () => {
    const { connection, network } = connectOnline(messages(1, 2));
    const log = logOf(connection);
    network.latest.receive(editFrame(3, 1, "fixed"));
    network.latest.receive(messageFrame(4));
    network.latest.receive(reactionFrame(5, 4, THUMBS, true));
    network.latest.receive(deleteFrame(6, 2));
    expect(log).toEqual(["edit 3", "message 4", "reaction 5", "delete 6"]);
    expect(connection.lastDeliveredSeq).toBe(6);
  });

  it("come with the message in its new state", () => {
    const { connection, network } = connectOnline(messages(1, 2));
    const edits = record(connection, "edit");
    network.latest.receive(editFrame(3, 1, "fixed"));
    expect(edits).toEqual([
      {
        event: editFrame(3, 1, "fixed"),
        message: { ...message(1), text: "fixed", editedAt: editFrame(3, 1, "").ts },
        replies: [],
      },
    ]);
    expect(connection.message(1)?.text).toBe("fixed");
  });

  it("about a message the connection does not hold come with no message", () => {
    const { connection, network } = connectOnline(messages(5, 6), {});
    const deletes = record(connection, "delete");
    network.latest.receive(deleteFrame(7, 1));
    expect(deletes).toEqual([{ event: deleteFrame(7, 1), message: null, replies: [] }]);
  });

  it("update the replies quoting the message, and say which", () => {
    const reply = message(2, { replyTo: { seq: 1, user: BOB, text: "message 1" } });
    const { connection, network } = connectOnline([message(1), reply]);
    const deletes = record(connection, "delete");
    network.latest.receive(deleteFrame(3, 1));
    const quoting: Message = { ...reply, replyTo: { seq: 1, user: BOB, text: "", deleted: true } };
    expect(deletes[0]?.replies).toEqual([quoting]);
    expect(connection.message(2)).toEqual(quoting);
  });

  it("a duplicate is dropped", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    const reactions = record(connection, "reaction");
    network.latest.receive(reactionFrame(2, 1, THUMBS, true));
    network.latest.receive(reactionFrame(2, 1, THUMBS, true));
    expect(reactions).toHaveLength(1);
    expect(connection.message(1)?.reactions).toEqual([{ emoji: THUMBS, count: 1, users: [BOB.id] }]);
  });
});

describe("a gap in the live stream", () => {
  it("holds the events past it and asks for the messages after the last delivered event", () => {
    const { connection, network } = connectOnline(messages(1, 2));
    const log = logOf(connection);
    network.latest.receive(reactionFrame(6, 2, THUMBS, true));
    expect(log).toEqual([]);
    expect(network.latest.historyRequests()).toEqual([{ type: "history", ref: "h1", after: 2, limit: 100 }]);
  });

  it("is filled by a page whose messages skip seqs, then the events that waited follow", () => {
    const { connection, network } = connectOnline(messages(1, 2));
    const log = logOf(connection);
    network.latest.receive(reactionFrame(6, 2, THUMBS, true));
    network.latest.receive({ type: "history", messages: [message(3), message(5)], hasMore: false });
    expect(log).toEqual(["message 3", "message 5", "reaction 6"]);
    expect(connection.message(2)?.reactions).toEqual([{ emoji: THUMBS, count: 1, users: [BOB.id] }]);
    expect(connection.lastDeliveredSeq).toBe(6);
  });

  it("filled by a page in current state is not changed again by the events that waited", () => {
    const { connection, network } = connectOnline(messages(1, 2));
    const pageState = message(4, {
      text: "second try",
      editedAt: 99,
      reactions: [{ emoji: THUMBS, count: 1, users: [BOB.id] }],
    });
    network.latest.receive(editFrame(5, 4, "second try"));
    network.latest.receive(reactionFrame(6, 4, THUMBS, true));
    network.latest.receive({ type: "history", messages: [message(3), pageState], hasMore: false });
    expect(connection.message(4)).toEqual(pageState);
  });

  it("ends where the page says more remain, and the next page continues from its newest message", () => {
    const { connection, network } = connectOnline(messages(1, 2));
    const log = logOf(connection);
    const socket = network.latest;
    socket.receive(messageFrame(9));
    socket.receive({ type: "history", messages: [message(3), message(5)], hasMore: true });
    expect(connection.lastDeliveredSeq).toBe(5);
    socket.receive({ type: "history", messages: [message(7), message(9)], hasMore: false });
    expect(socket.historyRequests().map((frame) => frame.after)).toEqual([2, 5]);
    expect(log).toEqual(["message 3", "message 5", "message 7", "message 9"]);
  });

  it("loses a change, made inside it, to a message older than the page: pages hold messages only", () => {
    const { connection, network } = connectOnline(messages(1, 2));
    network.latest.receive(messageFrame(5));
    // Event 3 edited message 1; the page after 2 cannot say so.
    network.latest.receive({ type: "history", messages: [message(4), message(5)], hasMore: false });
    expect(connection.message(1)).toEqual(message(1));
    expect(connection.lastDeliveredSeq).toBe(5);
  });
});

describe("a resume", () => {
  it("replays the events after `since`, changes to messages it already holds included", () => {
    const harness = connectOnline(messages(1, 2));
    const log = logOf(harness.connection);
    dropAndReconnect(harness);
    welcomeLatest(harness, welcome([editFrame(3, 1, "fixed"), messageFrame(4), reactionFrame(5, 2, THUMBS, true)]));
    expect(log).toEqual(["edit 3", "message 4", "reaction 5"]);
    expect(harness.connection.message(1)?.text).toBe("fixed");
    expect(harness.connection.message(2)?.reactions).toHaveLength(1);
  });

  it("whose messages are in current state is not changed again by the older events after them", () => {
    const harness = connectOnline(messages(1, 2));
    dropAndReconnect(harness);
    const current = message(3, {
      text: "final",
      editedAt: 6,
      reactions: [{ emoji: THUMBS, count: 1, users: [BOB.id] }],
    });
    welcomeLatest(
      harness,
      welcome([
        messageFrame(3, current),
        editFrame(4, 3, "final"),
        reactionFrame(5, 3, THUMBS, true),
        editFrame(6, 3, "final"),
      ]),
    );
    expect(harness.connection.message(3)).toEqual(current);
  });

  it("with more to come pages in newer messages, as of the welcome", () => {
    const harness = connectOnline(messages(1, 2));
    const log = logOf(harness.connection);
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome([editFrame(3, 1, "fixed"), messageFrame(4)], { lastSeq: 12, more: true }));
    expect(socket.historyRequests()).toEqual([{ type: "history", ref: "h1", after: 4, limit: 100 }]);
    socket.receive({ type: "history", messages: [message(8), message(11)], hasMore: false });
    expect(log).toEqual(["edit 3", "message 4", "message 8", "message 11"]);
    expect(harness.connection.lastDeliveredSeq).toBe(12);
    expect(dropAndReconnect(harness).url.searchParams.get("since")).toBe("12");
  });

  it("that was truncated because the room's history was reset starts the view over", () => {
    const harness = connectOnline(messages(1, 5));
    dropAndReconnect(harness);
    welcomeLatest(harness, welcome(messages(1, 2), { truncated: true }));
    expect(harness.connection.messages.map((each) => each.seq)).toEqual([1, 2]);
  });
});

describe("pages asked for with history()", () => {
  it("join the view, so that later events change their messages", async () => {
    const { connection, network } = connectOnline(messages(20, 21));
    const page = connection.history({ before: 20 }, 2);
    network.latest.receive({ type: "history", ref: "h1", messages: messages(5, 6), hasMore: true });
    await page;
    network.latest.receive(editFrame(22, 5, "fixed"));
    expect(connection.message(5)?.text).toBe("fixed");
    expect(connection.messages.map((each) => each.seq)).toEqual([5, 6, 20, 21]);
  });
});
