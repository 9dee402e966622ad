/**
 * Reactions: the aggregate each emoji keeps, and the user's own reactions,
 * shown at once and reconciled with the room's answer.
 */
import { describe, expect, it } from "vitest";
import { withReaction } from "../../../client/sdk/reactions.ts";
import { memoryStore, type PendingMessage } from "../../../client/sdk.ts";
import type { Reaction } from "../../../protocol/frames.ts";
import { ALICE, BOB, message, messages, reactionFrame, welcome } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

const THUMBS = "👍";
const HEART = "❤️";
const ACK_TS = 1_700_000_000_000;

/** The ids of `count` other users who reacted, earliest first. */
function crowd(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `user-${index}`);
}

describe("a reaction aggregate", () => {
  it("starts at one for an emoji new to the message, after the others", () => {
    const before: Reaction[] = [{ emoji: HEART, count: 1, users: [BOB.id] }];
    expect(withReaction(before, THUMBS, ALICE.id, true)).toEqual([
      ...before,
      { emoji: THUMBS, count: 1, users: [ALICE.id] },
    ]);
  });

  it("counts and lists another user of an emoji, keeping its place", () => {
    const before: Reaction[] = [
      { emoji: THUMBS, count: 1, users: [BOB.id] },
      { emoji: HEART, count: 1, users: [BOB.id] },
    ];
    expect(withReaction(before, THUMBS, ALICE.id, true)).toEqual([
      { emoji: THUMBS, count: 2, users: [BOB.id, ALICE.id] },
      { emoji: HEART, count: 1, users: [BOB.id] },
    ]);
  });

  it("lists at most 50 users, and counts the rest", () => {
    const full: Reaction[] = [{ emoji: THUMBS, count: 50, users: crowd(50) }];
    expect(withReaction(full, THUMBS, ALICE.id, true)).toEqual([{ emoji: THUMBS, count: 51, users: crowd(50) }]);
  });

  it("uncounts a user beyond the listed 50, keeping the list", () => {
    const beyond: Reaction[] = [{ emoji: THUMBS, count: 60, users: crowd(50) }];
    expect(withReaction(beyond, THUMBS, ALICE.id, false)).toEqual([{ emoji: THUMBS, count: 59, users: crowd(50) }]);
  });

  it("uncounts and unlists a listed user", () => {
    const before: Reaction[] = [{ emoji: THUMBS, count: 52, users: crowd(50) }];
    const [leaving] = crowd(1);
    expect(withReaction(before, THUMBS, leaving ?? "", false)).toEqual([
      { emoji: THUMBS, count: 51, users: crowd(50).slice(1) },
    ]);
  });

  it("drops an emoji whose count falls to zero", () => {
    const before: Reaction[] = [
      { emoji: THUMBS, count: 1, users: [ALICE.id] },
      { emoji: HEART, count: 1, users: [BOB.id] },
    ];
    expect(withReaction(before, THUMBS, ALICE.id, false)).toEqual([{ emoji: HEART, count: 1, users: [BOB.id] }]);
  });

  it("is unchanged by removing an emoji it does not have", () => {
    expect(withReaction(undefined, THUMBS, ALICE.id, false)).toEqual([]);
  });
});

describe("reaction events", () => {
  it("add to and take from the message's aggregate, and drop the field at zero", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    network.latest.receive(reactionFrame(2, 1, THUMBS, true));
    network.latest.receive(reactionFrame(3, 1, THUMBS, true, ALICE));
    expect(connection.message(1)?.reactions).toEqual([{ emoji: THUMBS, count: 2, users: [BOB.id, ALICE.id] }]);
    network.latest.receive(reactionFrame(4, 1, THUMBS, false));
    network.latest.receive(reactionFrame(5, 1, THUMBS, false, ALICE));
    expect(connection.message(1)).toEqual(message(1));
  });
});

describe("the user's own reaction", () => {
  it("is shown at once and sent as a react frame", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    const reactions = record(connection, "reaction");
    expect(connection.react(1, THUMBS)).toEqual({ ok: true, id: "id-1" });
    const shown = { ...message(1), reactions: [{ emoji: THUMBS, count: 1, users: [ALICE.id] }] };
    expect(reactions).toEqual([{ event: null, message: shown }]);
    expect(network.latest.frames()).toEqual([{ type: "react", id: "id-1", target: 1, emoji: THUMBS, on: true }]);
  });

  it("is counted once when the room's event for it follows the ack", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    connection.react(1, THUMBS);
    network.latest.receive({ type: "ack", id: "id-1", seq: 2, ts: ACK_TS });
    expect(connection.message(1)?.reactions).toEqual([{ emoji: THUMBS, count: 1, users: [ALICE.id] }]);
    network.latest.receive(reactionFrame(2, 1, THUMBS, true, ALICE));
    expect(connection.message(1)?.reactions).toEqual([{ emoji: THUMBS, count: 1, users: [ALICE.id] }]);
    expect(connection.outbox).toEqual([]);
  });

  it("is counted once when the room's event for it comes before the ack", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    connection.react(1, THUMBS);
    network.latest.receive(reactionFrame(2, 1, THUMBS, true, ALICE));
    network.latest.receive({ type: "ack", id: "id-1", seq: 2, ts: ACK_TS });
    network.latest.receive(reactionFrame(3, 1, THUMBS, true));
    expect(connection.message(1)?.reactions).toEqual([{ emoji: THUMBS, count: 2, users: [ALICE.id, BOB.id] }]);
  });

  it("answered unchanged shows the room's state, and leaves the outbox", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    connection.react(1, THUMBS, false);
    network.latest.receive({ type: "ack", id: "id-1", unchanged: true });
    expect(connection.message(1)).toEqual(message(1));
    expect(connection.outbox).toEqual([]);
  });

  it("refused by the room is taken back, and reported", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    connection.react(1, THUMBS);
    const reactions = record(connection, "reaction");
    const errors = record(connection, "error");
    network.latest.receive({ type: "error", code: "not_found", message: "message 1 is deleted", id: "id-1" });
    expect(reactions).toEqual([{ event: null, message: message(1) }]);
    expect(errors).toEqual([
      {
        kind: "change_refused",
        change: { kind: "react", id: "id-1", target: 1, emoji: THUMBS, on: true },
        code: "not_found",
        reason: "message 1 is deleted",
      },
    ]);
    expect(connection.outbox).toEqual([]);
  });

  it("toggles as the view shows it, the reaction not stored yet included", () => {
    const { connection, network } = connectOnline(messages(1, 1));
    connection.react(1, THUMBS);
    connection.react(1, THUMBS);
    network.latest.receive({ type: "ack", id: "id-1", seq: 2, ts: ACK_TS });
    expect(network.latest.frames().map((frame) => frame.type === "react" && frame.on)).toEqual([true, false]);
    expect(connection.message(1)).toEqual(message(1));
  });

  it("toggles off a reaction of the user's beyond the 50 the room lists", () => {
    const crowded = message(1, { reactions: [{ emoji: THUMBS, count: 50, users: crowd(50) }] });
    const { connection, network } = connectOnline([crowded]);
    network.latest.receive(reactionFrame(2, 1, THUMBS, true, ALICE));
    expect(connection.message(1)?.reactions).toEqual([{ emoji: THUMBS, count: 51, users: crowd(50) }]);
    connection.react(1, THUMBS);
    expect(network.latest.frames()).toEqual([{ type: "react", id: "id-1", target: 1, emoji: THUMBS, on: false }]);
    expect(connection.message(1)?.reactions).toEqual([{ emoji: THUMBS, count: 50, users: crowd(50) }]);
  });

  it("made offline is shown at once, kept across a reconnect and sent after the welcome", () => {
    const harness = connectOnline(messages(1, 1));
    harness.network.latest.drop();
    harness.connection.react(1, HEART);
    expect(harness.connection.message(1)?.reactions).toEqual([{ emoji: HEART, count: 1, users: [ALICE.id] }]);
    const socket = dropAndReconnect(harness);
    welcomeLatest(harness, welcome([], { lastSeq: 1 }));
    expect(socket.frames()).toEqual([{ type: "react", id: "id-1", target: 1, emoji: HEART, on: true }]);
    expect(harness.connection.message(1)?.reactions).toEqual([{ emoji: HEART, count: 1, users: [ALICE.id] }]);
  });

  it("waiting in a saved outbox is shown over the message once it arrives", () => {
    const saved: PendingMessage[] = [
      { kind: "react", id: "r-1", target: 1, emoji: THUMBS, on: true, status: "pending" },
    ];
    const harness = connect({ session: memoryStore({ token: null, outbox: saved }) });
    welcomeLatest(harness, welcome(messages(1, 1)));
    expect(harness.connection.message(1)?.reactions).toEqual([{ emoji: THUMBS, count: 1, users: [ALICE.id] }]);
  });

  it("is refused without sending for a bad emoji, a deleted message or a 21st emoji", () => {
    const many = Array.from({ length: 20 }, (_, index) => ({
      emoji: String.fromCodePoint(0x1f600 + index),
      count: 1,
      users: [BOB.id],
    }));
    const { connection, network } = connectOnline([
      message(1, { reactions: many }),
      message(2, { deleted: true, text: "" }),
    ]);
    expect(connection.react(1, "ok")).toMatchObject({ ok: false, code: "bad_request" });
    expect(connection.react(1, "👍👍")).toMatchObject({ ok: false, code: "bad_request" });
    expect(connection.react(2, THUMBS)).toMatchObject({ ok: false, code: "not_found" });
    expect(connection.react(1, THUMBS)).toMatchObject({ ok: false, code: "limit_reached" });
    expect(connection.react(0, THUMBS)).toMatchObject({ ok: false, code: "bad_request" });
    expect(connection.react(1, "😀")).toMatchObject({ ok: true });
    expect(network.latest.frames()).toEqual([{ type: "react", id: "id-1", target: 1, emoji: "😀", on: true }]);
  });
});
