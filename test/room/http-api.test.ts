/** The HTTP API: every row of the contract's HTTP table and every error status. */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sendAndAck } from "./support/client.ts";
import { api, errorBody, type Posted, postJson, postOk, statusAndBody } from "./support/http.ts";

describe("GET /api/rooms/:room", () => {
  it("describes the room: users online, last seq, event-stream listeners", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    await connect(room, { token: alice.welcome.token });
    await sendAndAck(alice, "m1", "hello");
    const response = await api(`/api/rooms/${room}`);
    expect(await statusAndBody(response)).toEqual({ status: 200, body: { room, online: 1, lastSeq: 1, listeners: 0 } });
  });

  it("normalises the room name like every other route", async () => {
    const suffix = crypto.randomUUID();
    const response = await api(`/api/rooms/Caf%C3%A9-${suffix}`);
    expect(((await response.json()) as { room: string }).room).toBe(`café-${suffix}`);
  });

  it("refuses an invalid room name with 400 invalid_room", async () => {
    expect(await statusAndBody(await api("/api/rooms/a%2Fb"))).toEqual(errorBody(400, "invalid_room"));
  });
});

describe("GET /api/rooms/:room/messages", () => {
  it("gives the newest page by default, oldest first", async () => {
    const room = freshRoom();
    for (let i = 1; i <= 3; i++) await postOk(room, { text: `m${i}`, token: undefined });
    const response = await api(`/api/rooms/${room}/messages`);
    const body: { messages: { seq: number; text: string }[]; hasMore: boolean } = await response.json();
    expect(response.status).toBe(200);
    expect(body.messages.map((message) => message.text)).toEqual(["m1", "m2", "m3"]);
    expect(body.hasMore).toBe(false);
  });

  it("pages with before, after and limit", async () => {
    const room = freshRoom();
    let token: string | undefined;
    for (let i = 1; i <= 6; i++) {
      const posted: Posted = await postOk(room, token === undefined ? { text: `m${i}` } : { text: `m${i}`, token });
      token = posted.token;
    }
    const seqs = async (query: string) => {
      const body: { messages: { seq: number }[]; hasMore: boolean } = await (
        await api(`/api/rooms/${room}/messages?${query}`)
      ).json();
      return { seqs: body.messages.map((message) => message.seq), hasMore: body.hasMore };
    };
    expect(await seqs("limit=2")).toEqual({ seqs: [5, 6], hasMore: true });
    expect(await seqs("before=5&limit=2")).toEqual({ seqs: [3, 4], hasMore: true });
    expect(await seqs("before=3&limit=5")).toEqual({ seqs: [1, 2], hasMore: false });
    expect(await seqs("after=2&limit=3")).toEqual({ seqs: [3, 4, 5], hasMore: true });
    expect(await seqs("after=5")).toEqual({ seqs: [6], hasMore: false });
  });

  it.each(["before=1&after=2", "limit=0", "limit=101", "limit=ten", "before=-1", "after=1.5", "before=1&before=2"])(
    "refuses ?%s with 400 bad_request",
    async (query) => {
      const response = await api(`/api/rooms/${freshRoom()}/messages?${query}`);
      expect(await statusAndBody(response)).toEqual(errorBody(400, "bad_request"));
    },
  );
});

describe("POST /api/rooms/:room/messages", () => {
  it("stores the message as a fresh user and returns it with the user's token", async () => {
    const room = freshRoom();
    const response = await postJson(room, { text: "  hello from a bot  ", name: "bot", id: "b-1" });
    expect(response.status).toBe(201);
    const body: Posted = await response.json();
    expect(body.message).toEqual({
      seq: 1,
      id: "b-1",
      user: { id: expect.any(String), name: "bot" },
      text: "hello from a bot",
      ts: expect.any(Number),
    });
    expect(body.token.startsWith(`${body.message.user.id}.`)).toBe(true);
  });

  it("posts as the token's user", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const posted = await postOk(room, { text: "via http", token: alice.welcome.token });
    expect(posted.message.user).toEqual(alice.user);
    expect(posted.token).toBe(alice.welcome.token);
  });

  it("makes an id when none is given", async () => {
    const posted = await postOk(freshRoom(), { text: "no id" });
    expect(posted.message.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers a repeat of a stored (user, id) with 200 and the original message, storing one", async () => {
    const room = freshRoom();
    const first = await postOk(room, { text: "once", id: "retry-1" });
    const again = await postJson(room, { text: "once", id: "retry-1", token: first.token });
    expect(await statusAndBody(again)).toEqual({ status: 200, body: first });
    const page: { messages: unknown[] } = await (await api(`/api/rooms/${room}/messages`)).json();
    expect(page.messages).toHaveLength(1);
  });

  it("reaches WebSocket clients as a message frame", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const posted = await postOk(room, { text: "hi alice", name: "bot" });
    expect(await alice.next("message")).toEqual({ type: "message", ...posted.message });
  });

  it("shares the WebSocket send rate of the token's user", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    for (let i = 0; i < 10; i++) await sendAndAck(alice, `ws-${i}`, "burst");
    const response = await postJson(room, { text: "one more", token: alice.welcome.token });
    expect(await statusAndBody(response)).toEqual({
      status: 429,
      body: { error: { code: "rate_limited", message: expect.any(String), retryAfter: expect.any(Number) } },
    });
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  });

  it("rate-limits posts without a token by client address", async () => {
    const room = freshRoom();
    const headers = { "CF-Connecting-IP": "203.0.113.7" };
    for (let i = 0; i < 10; i++) expect((await postJson(room, { text: `anon ${i}` }, headers)).status).toBe(201);
    expect((await postJson(room, { text: "one more" }, headers)).status).toBe(429);
    expect((await postJson(room, { text: "another address" }, { "CF-Connecting-IP": "203.0.113.8" })).status).toBe(201);
  });

  it.each([
    ["not JSON", "{oops", "bad_request", 400],
    ["not an object", "[1]", "bad_request", 400],
    ["no text", JSON.stringify({ name: "x" }), "bad_request", 400],
    ["empty text", JSON.stringify({ text: "  " }), "bad_request", 400],
    ["an extra field", JSON.stringify({ text: "x", admin: true }), "bad_request", 400],
    ["a bad id", JSON.stringify({ text: "x", id: "" }), "bad_request", 400],
    ["a bad name", JSON.stringify({ text: "x", name: "a\u0000b" }), "invalid_name", 400],
    ["text over 4000 characters", JSON.stringify({ text: "x".repeat(4001) }), "too_large", 413],
    ["a body over 16 KiB", JSON.stringify({ text: "x", id: "y".repeat(20_000) }), "too_large", 413],
  ])("refuses %s", async (_, body, code, status) => {
    const room = freshRoom();
    const response = await api(`/api/rooms/${room}/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(await statusAndBody(response)).toEqual(errorBody(status, code));
    const page: { messages: unknown[] } = await (await api(`/api/rooms/${room}/messages`)).json();
    expect(page.messages).toEqual([]);
  });

  it("refuses a body that is not application/json with 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", ""]) {
      const response = await api(`/api/rooms/${freshRoom()}/messages`, {
        method: "POST",
        headers: type === "" ? {} : { "Content-Type": type },
        body: JSON.stringify({ text: "x" }),
      });
      expect(await statusAndBody(response)).toEqual(errorBody(415, "unsupported_media_type"));
    }
  });

  it("refuses a foreign page's post with 403 forbidden_origin", async () => {
    const response = await postJson(freshRoom(), { text: "csrf" }, { Origin: "https://evil.example" });
    expect(await statusAndBody(response)).toEqual(errorBody(403, "forbidden_origin"));
  });
});

describe("POST /api/rooms", () => {
  it("names a new private room of at least 128 random bits", async () => {
    const response = await api("/api/rooms", { method: "POST" });
    const body: { room: string } = await response.json();
    expect(response.status).toBe(201);
    expect(body.room).toMatch(/^[a-z2-7]{26}$/);
  });

  it("never names the same room twice", async () => {
    const names = new Set<string>();
    for (let i = 0; i < 50; i++)
      names.add(((await (await api("/api/rooms", { method: "POST" })).json()) as { room: string }).room);
    expect(names.size).toBe(50);
  });

  it("gives a name that works as a room", async () => {
    const { room }: { room: string } = await (await api("/api/rooms", { method: "POST" })).json();
    const client = await connect(room);
    expect(client.welcome.room).toBe(room);
  });
});

describe("errors", () => {
  it("answer a wrong method with 405 and Allow", async () => {
    const cases: [path: string, method: string, allow: string][] = [
      ["/api/rooms", "GET", "POST, OPTIONS"],
      [`/api/rooms/${freshRoom()}`, "POST", "GET, HEAD, OPTIONS"],
      [`/api/rooms/${freshRoom()}/messages`, "DELETE", "GET, HEAD, POST, OPTIONS"],
      [`/api/rooms/${freshRoom()}/events`, "PUT", "GET, HEAD, OPTIONS"],
      ["/healthz", "POST", "GET, HEAD, OPTIONS"],
    ];
    for (const [path, method, allow] of cases) {
      const response = await api(path, { method });
      expect(await statusAndBody(response)).toEqual(errorBody(405, "method_not_allowed"));
      expect(response.headers.get("Allow")).toBe(allow);
    }
  });

  it("answer an unknown path with 404 not_found", async () => {
    expect(await statusAndBody(await api("/api/rooms/x/y/z"))).toEqual(errorBody(404, "not_found"));
  });

  it("never carry a stack trace", async () => {
    const response = await api(`/api/rooms/${freshRoom()}/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "\u0000\u0001",
    });
    expect(await response.text()).not.toMatch(/at .*\.ts|Error:|stack/);
  });
});

describe("cross-origin callers", () => {
  it("are refused for reads too unless listed", async () => {
    const response = await api(`/api/rooms/${freshRoom()}/messages`, { headers: { Origin: "https://evil.example" } });
    expect(await statusAndBody(response)).toEqual(errorBody(403, "forbidden_origin"));
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("get a preflight answer only from an allowed origin", async () => {
    const path = `/api/rooms/${freshRoom()}/messages`;
    const own = await api(path, { method: "OPTIONS", headers: { Origin: "http://edgechat.test" } });
    expect(own.status).toBe(204);
    expect(own.headers.get("Access-Control-Allow-Methods")).toBe("GET, HEAD, POST, OPTIONS");
    const foreign = await api(path, { method: "OPTIONS", headers: { Origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
  });
});
