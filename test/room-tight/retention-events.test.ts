/**
 * Retention of a log of events (HISTORY_LIMIT 5, RESUME_LIMIT 4 here, and
 * with a limit of 5 no slack: the sixth message trims the first). A trimmed
 * message takes its edits, deletion and reactions with it; a resume is
 * truncated exactly when an event after its `since` is gone; `seq` and
 * `lastSeq` count every event, trimmed or not.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EventFrame, HistoryRequestFrame, Message } from "../../protocol/frames.ts";
import type { Room } from "../../worker/room.ts";
import { connect, freshRoom, roomStub, sendAndAck, type TestClient } from "../room/support/client.ts";

/** Sends a frame that stores an event and returns the event's seq; fails unless it was stored. */
async function store(client: TestClient, frame: EventFrame): Promise<number> {
  client.send(frame);
  const answer = await client.answerTo(frame.id);
  if (answer.type !== "ack" || !("seq" in answer)) throw new Error(`${frame.type} ${frame.id} was not stored`);
  return answer.seq;
}

/** Sends `count` messages, `m<from>` on, and returns their seqs. */
async function sendMessages(writer: TestClient, from: number, count: number): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = from; i < from + count; i++) seqs.push((await sendAndAck(writer, `m${i}`, `text ${i}`)).seq);
  return seqs;
}

/** The welcome of a connection that resumes after `since`, as [type, seq] pairs and its flags. */
async function resumeFrom(room: string, since: number) {
  const reader = await connect(room, { since });
  const { history, lastSeq, more, truncated } = reader.welcome;
  reader.close();
  return { events: history.map((event) => [event.type, event.seq]), lastSeq, more, truncated };
}

async function pageOf(room: string, query: Omit<HistoryRequestFrame, "type"> = { limit: 100 }): Promise<Message[]> {
  const reader = await connect(room);
  reader.send({ type: "history", ...query });
  const page = await reader.waitFor("history");
  reader.close();
  return page.messages;
}

/** How many rows of the room's log still refer to message `target`. */
function rowsAbout(room: string, target: number) {
  return runInDurableObject(roomStub(room) as DurableObjectStub<Room>, (_instance, state) => {
    const count = (table: string) =>
      state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE target = ?`, target).one().n;
    return { events: count("events"), reactions: count("reactions"), totals: count("reaction_totals") };
  });
}

describe("trimming a message", () => {
  it("removes its edits and reactions with it", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const [first = 0] = await sendMessages(writer, 1, 1);
    await store(writer, { type: "react", id: "r1", target: first, emoji: "👍", on: true });
    await store(writer, { type: "edit", id: "e1", target: first, text: "text 1, edited" });
    await sendMessages(writer, 2, 4);
    expect(await rowsAbout(room, first)).toEqual({ events: 2, reactions: 1, totals: 1 });
    await sendMessages(writer, 6, 1);
    expect(await rowsAbout(room, first)).toEqual({ events: 0, reactions: 0, totals: 0 });
    expect((await resumeFrom(room, 0)).events).toEqual([
      ["message", 4],
      ["message", 5],
      ["message", 6],
      ["message", 7],
    ]);
  });

  it("keeps the events of the messages it keeps", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const [first = 0, second = 0] = await sendMessages(writer, 1, 2);
    const reaction = await store(writer, { type: "react", id: "r1", target: second, emoji: "🔥", on: true });
    await store(writer, { type: "edit", id: "e1", target: first, text: "text 1, edited" });
    await sendMessages(writer, 3, 4);
    expect(await rowsAbout(room, first)).toEqual({ events: 0, reactions: 0, totals: 0 });
    expect(await rowsAbout(room, second)).toEqual({ events: 1, reactions: 1, totals: 1 });
    const [kept] = await pageOf(room);
    expect(kept).toMatchObject({ seq: second, reactions: [{ emoji: "🔥", count: 1, users: [writer.user.id] }] });
    expect((await resumeFrom(room, reaction - 1)).events[0]).toEqual(["reaction", reaction]);
  });

  it("makes it not_found for edits, deletions, reactions and replies", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const [first = 0] = await sendMessages(writer, 1, 6);
    const frames: EventFrame[] = [
      { type: "edit", id: "e1", target: first, text: "too late" },
      { type: "delete", id: "d1", target: first },
      { type: "react", id: "r1", target: first, emoji: "👍", on: true },
      { type: "send", id: "s1", text: "re", replyTo: first },
    ];
    for (const frame of frames) {
      writer.send(frame);
      expect(await writer.answerTo(frame.id)).toMatchObject({ type: "error", code: "not_found", id: frame.id });
    }
  });

  it("shows a reply to it as answering a deleted message", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const [first = 0] = await sendMessages(writer, 1, 1);
    const reply = await store(writer, { type: "send", id: "reply", text: "re", replyTo: first });
    await sendMessages(writer, 3, 4);
    const page = await pageOf(room);
    expect(page.map((message) => message.seq)).toEqual([reply, 3, 4, 5, 6]);
    expect(page[0]?.replyTo).toEqual({ seq: first, user: writer.user, text: "", deleted: true });
  });
});

describe("pages after trimming", () => {
  it("never return a trimmed message, whichever way they are read", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const [first = 0] = await sendMessages(writer, 1, 1);
    await store(writer, { type: "react", id: "r1", target: first, emoji: "👍", on: true });
    await store(writer, { type: "edit", id: "e1", target: first, text: "edited" });
    const retained = await sendMessages(writer, 2, 5);
    expect(retained).toEqual([4, 5, 6, 7, 8]);
    const seqs = async (query: Omit<HistoryRequestFrame, "type">) =>
      (await pageOf(room, query)).map((message) => message.seq);
    expect(await seqs({ limit: 100 })).toEqual(retained);
    expect(await seqs({ after: 0, limit: 100 })).toEqual(retained);
    expect(await seqs({ before: 4, limit: 100 })).toEqual([]);
    expect(await seqs({ around: first, limit: 4 })).toEqual([4, 5, 6, 7]);
  });
});

describe("resume across trimmed events", () => {
  /**
   * Messages at 1 to 5, a reaction to message 2 at 6, an edit and a reaction
   * of message 1 at 7 and 8, then message 9, which trims message 1 and with
   * it the events at 7 and 8.
   */
  async function trimmedInTheMiddle(): Promise<string> {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    await sendMessages(writer, 1, 5);
    await store(writer, { type: "react", id: "r1", target: 2, emoji: "🎉", on: true });
    await store(writer, { type: "edit", id: "e1", target: 1, text: "text 1, edited" });
    await store(writer, { type: "react", id: "r2", target: 1, emoji: "👍", on: true });
    expect(await sendMessages(writer, 6, 1)).toEqual([9]);
    writer.close();
    return room;
  }

  it("is truncated from before a trimmed event, though it came after every trimmed message", async () => {
    const room = await trimmedInTheMiddle();
    expect(await resumeFrom(room, 5)).toEqual({
      events: [
        ["reaction", 6],
        ["message", 9],
      ],
      lastSeq: 9,
      more: undefined,
      truncated: true,
    });
    expect((await resumeFrom(room, 7)).truncated).toBe(true);
  });

  it("is not truncated from the last trimmed event on", async () => {
    const room = await trimmedInTheMiddle();
    expect(await resumeFrom(room, 8)).toEqual({
      events: [["message", 9]],
      lastSeq: 9,
      more: undefined,
      truncated: undefined,
    });
  });

  it("is not truncated when only events at or before `since` were trimmed", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const [first = 0] = await sendMessages(writer, 1, 1);
    const edit = await store(writer, { type: "edit", id: "e1", target: first, text: "edited" });
    await sendMessages(writer, 2, 5);
    const from = await resumeFrom(room, edit);
    expect(from.truncated).toBeUndefined();
    expect(from.events).toEqual([
      ["message", 3],
      ["message", 4],
      ["message", 5],
      ["message", 6],
    ]);
    expect((await resumeFrom(room, edit - 1)).truncated).toBe(true);
  });

  it("keeps knowing what was trimmed after the room leaves memory", async () => {
    const room = await trimmedInTheMiddle();
    await evictDurableObject(roomStub(room));
    expect(await resumeFrom(room, 5)).toMatchObject({ lastSeq: 9, truncated: true });
    expect(await resumeFrom(room, 8)).toMatchObject({ lastSeq: 9, truncated: undefined });
  });
});

describe("seq across trimming", () => {
  it("keeps counting every event: lastSeq and the next seq include the trimmed ones", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const [first = 0] = await sendMessages(writer, 1, 1);
    await store(writer, { type: "react", id: "r1", target: first, emoji: "👍", on: true });
    await store(writer, { type: "react", id: "r2", target: first, emoji: "👍", on: false });
    await store(writer, { type: "delete", id: "d1", target: first });
    expect(await sendMessages(writer, 2, 5)).toEqual([5, 6, 7, 8, 9]);
    const reader = await connect(room);
    expect(reader.welcome.lastSeq).toBe(9);
    expect(reader.welcome.history.map((event) => event.seq)).toEqual([5, 6, 7, 8, 9]);
    const edit = await store(writer, { type: "edit", id: "e1", target: 5, text: "edited" });
    expect(edit).toBe(10);
    expect(await reader.waitFor("edit")).toMatchObject({ seq: 10, target: 5 });
  });
});

describe("resume beyond RESUME_LIMIT", () => {
  it("counts events, not messages: more: true when more than four events follow, though two messages do", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    const [first = 0] = await sendMessages(writer, 1, 1);
    await store(writer, { type: "react", id: "r1", target: first, emoji: "👍", on: true });
    await store(writer, { type: "edit", id: "e1", target: first, text: "edited" });
    await store(writer, { type: "react", id: "r2", target: first, emoji: "👍", on: false });
    await sendMessages(writer, 2, 1);
    expect(await resumeFrom(room, 0)).toEqual({
      events: [
        ["message", 1],
        ["reaction", 2],
        ["edit", 3],
        ["reaction", 4],
      ],
      lastSeq: 5,
      more: true,
      truncated: undefined,
    });
    expect(await resumeFrom(room, 1)).toMatchObject({
      events: [
        ["reaction", 2],
        ["edit", 3],
        ["reaction", 4],
        ["message", 5],
      ],
      more: undefined,
    });
    expect(await resumeFrom(room, 4)).toMatchObject({ events: [["message", 5]], more: undefined });
  });
});

describe("search under retention", () => {
  async function found(client: TestClient, q: string): Promise<string[]> {
    client.send({ type: "search", ref: q, q });
    const answer = await client.waitFor("results");
    return answer.hits.map((hit) => hit.message.text);
  }

  it("finds only retained messages, whether they were indexed before the trim or not", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    await sendMessages(writer, 0, 3);
    // The search indexes messages 0 to 2; the trim that follows must take them out of the index again.
    expect(await found(writer, "text")).toEqual(["text 2", "text 1", "text 0"]);
    await sendMessages(writer, 3, 5);
    expect(await found(writer, "text")).toEqual(["text 7", "text 6", "text 5", "text 4", "text 3"]);
    expect(await found(writer, "0")).toEqual([]);
    const indexed = await runInDurableObject(roomStub(room) as DurableObjectStub<Room>, (_room, state) =>
      state.storage.sql
        .exec("SELECT rowid FROM message_search WHERE message_search MATCH 'text' ORDER BY rowid")
        .toArray(),
    );
    expect(indexed.map((row) => row.rowid)).toEqual([4, 5, 6, 7, 8]);
  });
});
