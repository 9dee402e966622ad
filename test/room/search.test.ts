/**
 * Search in the room's own SQLite: words match as prefixes, in any script
 * (a two-character Chinese word, Japanese, Thai, Arabic, Cyrillic, emoji),
 * newest first with paging; edits and deletions are reflected at once;
 * nothing a person types is query syntax, so no query is an error.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SearchResultsFrame } from "../../protocol/frames.ts";
import { answered, connect, freshRoom, roomStub, sendAndAck, sleep, type TestClient } from "./support/client.ts";
import { api, statusAndBody } from "./support/http.ts";

let refs = 0;

/** Searches over the socket and returns the answer (or the error about it). */
async function search(client: TestClient, q: string, extra: Record<string, unknown> = {}) {
  const ref = `s${++refs}`;
  for (;;) {
    client.send({ type: "search", ref, q, ...extra });
    for (;;) {
      const frame = JSON.parse(await client.nextText()) as {
        type: string;
        ref?: string;
        code?: string;
        retryAfter?: number;
      };
      if (frame.ref !== ref) continue;
      if (frame.type === "error" && frame.code === "rate_limited") {
        await sleep(frame.retryAfter ?? 100);
        break;
      }
      return frame as SearchResultsFrame | { type: "error"; code: string; ref: string };
    }
  }
}

async function texts(client: TestClient, q: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  const answer = await search(client, q, extra);
  if (answer.type !== "results") throw new Error(`search answered ${JSON.stringify(answer)}`);
  return answer.hits.map((hit) => hit.message.text);
}

/** A room holding `lines`, sent in order, and a client in it. */
async function roomWith(lines: string[]): Promise<{ room: string; client: TestClient }> {
  const room = freshRoom();
  const client = await connect(room, { name: "searcher" });
  for (const [index, text] of lines.entries()) {
    const answer = await answered(client, { type: "send", id: `m${index}`, text });
    if (answer.type !== "ack") throw new Error(`message ${index} was refused: ${answer.message}`);
  }
  return { room, client };
}

describe("search", () => {
  it("finds words by prefix, without regard to case or diacritics, newest first", async () => {
    const { client } = await roomWith(["Deploy finished", "the deployment failed", "Café at noon", "nothing here"]);
    expect(await texts(client, "depl")).toEqual(["the deployment failed", "Deploy finished"]);
    expect(await texts(client, "DEPLOY FIN")).toEqual(["Deploy finished"]);
    expect(await texts(client, "cafe")).toEqual(["Café at noon"]);
    expect(await texts(client, "ploy")).toEqual([]);
  });

  it("finds text in every script, a two-character Chinese word and emoji included", async () => {
    const lines = ["我在东京工作", "東京タワーに行った", "สวัสดีครับ", "مرحبا بالعالم", "Привет, мир", "ship it 🚀 now"];
    const { client } = await roomWith(lines);
    expect(await texts(client, "东京")).toEqual(["我在东京工作"]);
    expect(await texts(client, "タワー")).toEqual(["東京タワーに行った"]);
    expect(await texts(client, "สวัสดี")).toEqual(["สวัสดีครับ"]);
    expect(await texts(client, "مرحب")).toEqual(["مرحبا بالعالم"]);
    expect(await texts(client, "прив")).toEqual(["Привет, мир"]);
    expect(await texts(client, "🚀")).toEqual(["ship it 🚀 now"]);
  });

  it("gives the code-point offsets of what matched, never markup", async () => {
    const { client } = await roomWith(["🎉 Deploy of the deployer, 我在东京"]);
    const answer = await search(client, "depl 东京");
    if (answer.type !== "results") throw new Error("no results");
    const text = Array.from(answer.hits[0]?.message.text ?? "");
    const marked = answer.hits[0]?.highlights.map(([start, end]) => text.slice(start, end).join(""));
    expect(marked).toEqual(["Depl", "depl", "东京"]);
  });

  it("pages with before, and says when older hits remain", async () => {
    const { client } = await roomWith(Array.from({ length: 7 }, (_, i) => `report ${i}`));
    const first = await search(client, "report", { limit: 3 });
    if (first.type !== "results") throw new Error("no results");
    expect(first.hits.map((hit) => hit.message.text)).toEqual(["report 6", "report 5", "report 4"]);
    expect(first.hasMore).toBe(true);
    const last = first.hits.at(-1)?.message.seq ?? 0;
    const next = await search(client, "report", { limit: 10, before: last });
    if (next.type !== "results") throw new Error("no results");
    expect(next.hits.map((hit) => hit.message.text)).toEqual(["report 3", "report 2", "report 1", "report 0"]);
    expect(next.hasMore).toBe(false);
  });

  it("follows edits and deletions at once, and survives the room's eviction", async () => {
    const { room, client } = await roomWith(["an apple", "a pear"]);
    client.send({ type: "edit", id: "e1", target: 1, text: "a banana" });
    await client.answerTo("e1");
    expect(await texts(client, "apple")).toEqual([]);
    expect(await texts(client, "banana")).toEqual(["a banana"]);
    client.send({ type: "delete", id: "d1", target: 2 });
    await client.answerTo("d1");
    expect(await texts(client, "pear")).toEqual([]);
    await evictDurableObject(roomStub(room));
    expect(await texts(client, "banana")).toEqual(["a banana"]);
  });

  it("sees every message, whether a batch has indexed it yet or not, edited and deleted ones included", async () => {
    const room = freshRoom();
    // Seven writers of ten: 70 messages at once within the default send burst, past one batch of the index (64).
    const writers = await Promise.all(Array.from({ length: 7 }, (_, w) => connect(room, { name: `w${w}` })));
    for (const [w, writer] of writers.entries()) {
      for (let i = 0; i < 10; i++) await sendAndAck(writer, `m${i}`, `note ${w * 10 + i} batch`);
    }
    const [first, last] = [writers[0], writers[6]];
    if (first === undefined || last === undefined) throw new Error("no writers");
    // Message 3 (seq 3) was indexed by the first batch (64); message 68 (seq 69) waits for the next one.
    for (const [writer, frame] of [
      [first, { type: "edit", id: "e1", target: 3, text: "note rewritten early" }],
      [last, { type: "edit", id: "e2", target: 69, text: "note rewritten late" }],
      [first, { type: "delete", id: "d1", target: 5 }],
      [last, { type: "delete", id: "d2", target: 70 }],
    ] as const) {
      expect(await answered(writer, frame)).toMatchObject({ type: "ack" });
    }
    expect(await texts(first, "rewritten")).toEqual(["note rewritten late", "note rewritten early"]);
    expect(await texts(first, "batch", { limit: 50 })).toHaveLength(50);
    const all = [
      ...(await texts(first, "note", { limit: 50 })),
      ...(await texts(first, "note", { limit: 50, before: 20 })),
    ];
    expect(all).toHaveLength(68);
    expect(all).not.toContain("note 4 batch");
    expect(all).not.toContain("note 69 batch");
  });

  it("treats query syntax as text: quotes, operators, column filters and NEAR give results, never an error", async () => {
    const { client } = await roomWith(['he said "ship it" OR not', "NEAR the body: column"]);
    for (const q of [
      '"',
      '""',
      "*",
      "ship*",
      "-ship",
      "NEAR(",
      "body:near",
      "ship OR",
      "(",
      "AND",
      '"'.repeat(200),
      "^x",
    ]) {
      const answer = await search(client, q);
      expect(answer.type, q).toBe("results");
    }
    expect(await texts(client, '"ship it"')).toEqual(['he said "ship it" OR not']);
    expect(await texts(client, "body:")).toEqual(["NEAR the body: column"]);
    expect(await texts(client, "*")).toEqual([]);
  });

  it("refuses what is no query with bad_request or too_large, echoing ref", async () => {
    const { client } = await roomWith([]);
    client.send({ type: "search", ref: "r1", q: "   " });
    expect(await client.waitFor("error")).toMatchObject({ code: "bad_request", ref: "r1" });
    client.send({ type: "search", ref: "r2", q: "x".repeat(201) });
    expect(await client.waitFor("error")).toMatchObject({ code: "too_large", ref: "r2" });
    client.send({ type: "search", ref: "r3", q: "\ud800" });
    expect(await client.waitFor("error")).toMatchObject({ code: "bad_request", ref: "r3" });
    client.send({ type: "search", ref: "r4", q: "x", limit: 51 });
    expect(await client.waitFor("error")).toMatchObject({ code: "bad_request", ref: "r4" });
    client.send({ type: "search", q: "no ref" });
    expect(await client.waitFor("error")).toMatchObject({ code: "bad_request" });
  });

  it("is answered over HTTP too", async () => {
    const { room } = await roomWith(["quarterly numbers", "numbers again"]);
    const { status, body } = await statusAndBody(await api(`/api/rooms/${room}/search?q=numb&limit=1`));
    expect(status).toBe(200);
    expect(body).toMatchObject({ hits: [{ message: { text: "numbers again" }, highlights: [[0, 4]] }], hasMore: true });
    expect((await api(`/api/rooms/${room}/search`)).status).toBe(400);
    expect((await api(`/api/rooms/${room}/search?q=a&q=b`)).status).toBe(400);
  });
});

describe("read positions", () => {
  it("are kept per user, shared with their other connections, never move back and survive eviction", async () => {
    const room = freshRoom();
    const tab = await connect(room, { name: "ana" });
    await sendAndAck(tab, "m1", "one");
    await sendAndAck(tab, "m2", "two");
    const other = await connect(room, { token: tab.welcome.token });
    expect(other.welcome.read).toBeUndefined();
    tab.send({ type: "read", seq: 2 });
    expect(await other.waitFor("read")).toEqual({ type: "read", seq: 2 });
    tab.send({ type: "read", seq: 1 });
    tab.send({ type: "read", seq: 99 });
    await other.expectSilence();
    await evictDurableObject(roomStub(room));
    const later = await connect(room, { token: tab.welcome.token });
    expect(later.welcome.read).toBe(2);
    const stranger = await connect(room, { name: "bo" });
    expect(stranger.welcome.read).toBeUndefined();
  });

  it("are clamped to the room's last seq", async () => {
    const room = freshRoom();
    const tab = await connect(room, { name: "ana" });
    await sendAndAck(tab, "m1", "one");
    const other = await connect(room, { token: tab.welcome.token });
    tab.send({ type: "read", seq: 1_000 });
    expect(await other.waitFor("read")).toEqual({ type: "read", seq: 1 });
  });
});
