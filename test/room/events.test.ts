/** Server-Sent Events: a read-only view of the room, resumable like a WebSocket. */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sleep } from "./support/client.ts";
import { api, EventReader, errorBody, postJson, postOk, statusAndBody } from "./support/http.ts";

async function openEvents(room: string, headers: Record<string, string> = {}, query = ""): Promise<EventReader> {
  const response = await api(`/api/rooms/${room}/events${query}`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
  return new EventReader(response);
}

async function listeners(room: string): Promise<number> {
  const info: { listeners: number } = await (await api(`/api/rooms/${room}`)).json();
  return info.listeners;
}

async function fill(room: string, count: number): Promise<string> {
  let token: string | undefined;
  for (let i = 1; i <= count; i++)
    token = (await postOk(room, token === undefined ? { text: `m${i}` } : { text: `m${i}`, token })).token;
  return token ?? "";
}

describe("GET /api/rooms/:room/events", () => {
  it("opens with a welcome event, then replays the last messages as message events with id = seq", async () => {
    const room = freshRoom();
    await fill(room, 3);
    const events = await openEvents(room);
    const welcome = await events.next();
    expect(welcome.event).toBe("welcome");
    expect(JSON.parse(welcome.data)).toEqual({ room, onlineCount: 0, lastSeq: 3 });
    for (let seq = 1; seq <= 3; seq++) {
      const event = await events.next();
      expect(event).toMatchObject({ event: "message", id: String(seq) });
      expect(JSON.parse(event.data)).toMatchObject({ type: "message", seq, text: `m${seq}` });
    }
    await events.close();
  });

  it("streams new messages live", async () => {
    const room = freshRoom();
    const events = await openEvents(room);
    await events.next();
    const posted = await postOk(room, { text: "live" });
    const event = await events.next();
    expect(event).toEqual({ event: "message", id: "1", data: JSON.stringify({ type: "message", ...posted.message }) });
    await events.close();
  });

  it("streams join, rename, typing and leave", async () => {
    const room = freshRoom();
    const events = await openEvents(room);
    await events.next();
    const alice = await connect(room, { name: "alice" });
    expect(await events.next()).toMatchObject({ event: "join" });
    const bob = await connect(room, { name: "bob" });
    await events.next();
    bob.send({ type: "typing" });
    expect(JSON.parse((await events.next()).data)).toEqual({ type: "typing", user: bob.user });
    alice.send({ type: "rename", name: "alicia" });
    expect(JSON.parse((await events.next()).data)).toEqual({
      type: "rename",
      user: { id: alice.user.id, name: "alicia" },
      previous: "alice",
    });
    bob.close();
    expect(JSON.parse((await events.next()).data)).toEqual({ type: "leave", user: bob.user, online: 1 });
    await events.close();
  });

  it("does not count a listener as an online user", async () => {
    const room = freshRoom();
    const events = await openEvents(room);
    await events.next();
    const alice = await connect(room, { name: "alice" });
    expect(alice.welcome.onlineCount).toBe(1);
    const info = await (await api(`/api/rooms/${room}`)).json();
    expect(info).toMatchObject({ online: 1, listeners: 1 });
    await events.close();
  });

  it("forgets a listener that went away", async () => {
    const room = freshRoom();
    const events = await openEvents(room);
    await events.next();
    expect(await listeners(room)).toBe(1);
    await events.close();
    // Each nudge is a broadcast the stream can no longer take; the send rate is waited out, not refused.
    let count = 1;
    for (let attempt = 0; attempt < 40 && count > 0; attempt++) {
      await sleep(25);
      const nudge = await postJson(room, { text: "nudge" });
      if (nudge.status === 429)
        await sleep(((await nudge.json()) as { error: { retryAfter: number } }).error.retryAfter);
      count = await listeners(room);
    }
    expect(count).toBe(0);
  });
});

describe("resuming an event stream", () => {
  it("with Last-Event-ID misses nothing and repeats nothing", async () => {
    const room = freshRoom();
    const token = await fill(room, 2);
    const first = await openEvents(room);
    await first.next();
    const seen: number[] = [];
    for (let i = 0; i < 2; i++) seen.push(Number((await first.next()).id));
    await first.close();
    for (let i = 3; i <= 5; i++) await postOk(room, { text: `m${i}`, token });
    const again = await openEvents(room, { "Last-Event-ID": String(seen.at(-1)) });
    const welcome = JSON.parse((await again.next()).data);
    expect(welcome).toEqual({ room, onlineCount: 0, lastSeq: 5 });
    for (let i = 0; i < 3; i++) seen.push(Number((await again.next()).id));
    await postOk(room, { text: "m6", token });
    seen.push(Number((await again.next()).id));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    await again.close();
  });

  it("with ?since= for a first connection that already saw part of the room", async () => {
    const room = freshRoom();
    await fill(room, 4);
    const events = await openEvents(room, {}, "?since=2");
    await events.next();
    expect((await events.next()).id).toBe("3");
    expect((await events.next()).id).toBe("4");
    await events.close();
  });

  it("says truncated when the client saw more than the room has", async () => {
    const room = freshRoom();
    await fill(room, 1);
    const events = await openEvents(room, { "Last-Event-ID": "9" });
    expect(JSON.parse((await events.next()).data)).toEqual({ room, onlineCount: 0, lastSeq: 1, truncated: true });
    await events.close();
  });

  it("refuses a Last-Event-ID that is not a seq with 400 bad_request", async () => {
    const response = await api(`/api/rooms/${freshRoom()}/events`, { headers: { "Last-Event-ID": "abc" } });
    expect(await statusAndBody(response)).toEqual(errorBody(400, "bad_request"));
  });
});

describe("a client on SSE + POST and a client on WebSocket", () => {
  it("chat with each other and see one order", async () => {
    const room = freshRoom();
    const ws = await connect(room, { name: "ws-user" });
    const sse = await openEvents(room);
    await sse.next();
    let token: string | undefined;
    const wsSeen: number[] = [];
    const sseSeen: number[] = [];
    for (let round = 0; round < 4; round++) {
      const posted = await postOk(
        room,
        token === undefined ? { text: `http ${round}`, name: "http-user" } : { text: `http ${round}`, token },
      );
      token = posted.token;
      ws.send({ type: "send", id: `ws-${round}`, text: `ws ${round}` });
    }
    while (wsSeen.length < 8) wsSeen.push((await ws.waitFor("message")).seq);
    while (sseSeen.length < 8) sseSeen.push(Number((await sse.nextOf("message")).id));
    expect(wsSeen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(sseSeen).toEqual(wsSeen);
    await sse.close();
  });
});
