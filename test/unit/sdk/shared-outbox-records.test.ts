/**
 * The rules of the browser's shared outbox that need no browser: reading
 * its IndexedDB records back, their order, and the writes one tab makes.
 */
import { describe, expect, it } from "vitest";
import {
  inQueueOrder,
  parseRecord,
  planWrites,
  type QueuedMessage,
  toRecord,
} from "../../../client/browser/queued-messages.ts";
import type { PendingMessage } from "../../../client/sdk.ts";

const ROOM = "general";
const NOW = 1_700_000_000_000;

function pending(id: string): PendingMessage {
  return { id, text: `text of ${id}`, status: "pending" };
}

function known(...queued: QueuedMessage[]): Map<string, QueuedMessage> {
  return new Map(queued.map((entry) => [entry.message.id, entry]));
}

describe("a stored record", () => {
  it("reads back as the message it was written from", () => {
    const failed: PendingMessage = { id: "b", text: "long", status: "failed", code: "too_large", reason: "too long" };
    for (const message of [pending("a"), failed]) {
      const queued = { queuedAt: NOW, message };
      expect(parseRecord(ROOM, structuredClone(toRecord(ROOM, queued)))).toEqual(queued);
    }
  });

  it("of an edit, a deletion or a reaction reads back as the change it was written from", () => {
    const changes: PendingMessage[] = [
      { kind: "edit", id: "c", target: 4, text: "fixed", mentions: ["bobbbbbbbbbbbbbb"], status: "pending" },
      { kind: "delete", id: "d", target: "a", status: "pending" },
      { kind: "react", id: "e", target: 4, emoji: "❤️", on: true, status: "pending" },
    ];
    for (const message of changes) {
      const queued = { queuedAt: NOW, message };
      expect(parseRecord(ROOM, structuredClone(toRecord(ROOM, queued)))).toEqual(queued);
    }
  });

  it("of a message is written as before other kinds of change existed", () => {
    expect(toRecord(ROOM, { queuedAt: NOW, message: pending("a") })).toEqual({
      id: "a",
      text: "text of a",
      status: "pending",
      room: ROOM,
      queuedAt: NOW,
    });
  });

  it("reads as nothing when damaged, so that it is dropped", () => {
    const record = toRecord(ROOM, { queuedAt: NOW, message: pending("a") });
    expect(parseRecord(ROOM, { ...record, status: "sent" })).toBeNull();
    expect(parseRecord(ROOM, { ...record, text: 42 })).toBeNull();
    expect(parseRecord(ROOM, { ...record, queuedAt: "yesterday" })).toBeNull();
    expect(parseRecord(ROOM, { ...record, queuedAt: Number.NaN })).toBeNull();
    expect(parseRecord(ROOM, "a string")).toBeNull();
    expect(parseRecord(ROOM, null)).toBeNull();
  });

  it("of another room is not this room's", () => {
    const record = toRecord("random", { queuedAt: NOW, message: pending("a") });
    expect(parseRecord(ROOM, record)).toBeNull();
  });
});

describe("the queue's order", () => {
  it("is the time each message was queued, whichever tab queued it, ids breaking a tie", () => {
    const queue: QueuedMessage[] = [
      { queuedAt: NOW + 2, message: pending("from-a-2") },
      { queuedAt: NOW + 1, message: pending("from-b-1") },
      { queuedAt: NOW, message: pending("from-a-1") },
      { queuedAt: NOW + 1, message: pending("from-a-0") },
    ];
    expect(queue.sort(inQueueOrder).map((entry) => entry.message.id)).toEqual([
      "from-a-1",
      "from-a-0",
      "from-b-1",
      "from-a-2",
    ]);
  });
});

describe("the writes of one tab", () => {
  it("add a new message, stamped now", () => {
    expect(planWrites(known(), [pending("a")], NOW)).toEqual({
      added: [{ queuedAt: NOW, message: pending("a") }],
      changed: [],
      removed: [],
    });
  });

  it("stamp two messages queued in one millisecond one after the other", () => {
    const { added } = planWrites(known(), [pending("a"), pending("b")], NOW);
    expect(added.map((entry) => entry.queuedAt)).toEqual([NOW, NOW + 1]);
  });

  it("stamp a new message after a later-stamped one before it, so that it never jumps the queue", () => {
    const before = { queuedAt: NOW + 50, message: pending("a") };
    const { added } = planWrites(known(before), [pending("a"), pending("b")], NOW);
    expect(added).toEqual([{ queuedAt: NOW + 51, message: pending("b") }]);
  });

  it("remove a message that left this tab's queue, and only that one", () => {
    const a = { queuedAt: NOW, message: pending("a") };
    const b = { queuedAt: NOW + 1, message: pending("b") };
    expect(planWrites(known(a, b), [pending("b")], NOW + 5)).toEqual({ added: [], changed: [], removed: ["a"] });
  });

  it("leave alone a message another tab queued that this tab has not seen yet", () => {
    const a = { queuedAt: NOW, message: pending("a") };
    expect(planWrites(known(a), [pending("a"), pending("c")], NOW + 5).removed).toEqual([]);
  });

  it("write nothing when nothing changed", () => {
    const a = { queuedAt: NOW, message: pending("a") };
    expect(planWrites(known(a), [{ ...pending("a") }], NOW + 5)).toEqual({ added: [], changed: [], removed: [] });
  });

  it("write nothing for a change read back with equal fields, its mentions included", () => {
    const edit: PendingMessage = {
      kind: "edit",
      id: "a",
      target: 4,
      text: "x",
      mentions: ["bobbbbbbbbbbbbbb"],
      status: "pending",
    };
    const a = { queuedAt: NOW, message: edit };
    expect(planWrites(known(a), [structuredClone(edit)], NOW + 5)).toEqual({ added: [], changed: [], removed: [] });
  });

  it("change a queued message whose text was edited, keeping its place", () => {
    const a = { queuedAt: NOW, message: pending("a") };
    const edited: PendingMessage = { id: "a", text: "edited", status: "pending" };
    expect(planWrites(known(a), [edited], NOW + 5).changed).toEqual([{ queuedAt: NOW, message: edited }]);
  });

  it("change a message that failed, keeping its place", () => {
    const a = { queuedAt: NOW, message: pending("a") };
    const failed: PendingMessage = { id: "a", text: "text of a", status: "failed", code: "too_large", reason: "long" };
    expect(planWrites(known(a), [failed], NOW + 5).changed).toEqual([{ queuedAt: NOW, message: failed }]);
  });

  it("move a retried message behind the ones waiting now, stamped anew", () => {
    const a = { queuedAt: NOW, message: pending("a") };
    const b = { queuedAt: NOW + 1, message: pending("b") };
    expect(planWrites(known(a, b), [pending("b"), pending("a")], NOW + 5).changed).toEqual([
      { queuedAt: NOW + 5, message: pending("a") },
    ]);
  });
});
