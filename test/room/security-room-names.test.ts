/**
 * Room names under attack, through the Worker's front door: names that try
 * percent-encoding tricks, path traversal, overlong or invalid UTF-8,
 * control, invisible or look-alike characters are refused with 400
 * invalid_room on every route that names a room, before any Durable Object
 * exists. And private rooms cannot be found: nothing lists rooms, and a
 * private name is 26 random base32 characters (130 bits).
 */
import { listDurableObjectIds } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connect, ORIGIN } from "./support/client.ts";
import { statusAndCode } from "./support/http.ts";

/**
 * Path segments as they arrive. Pure `.` and `..` segments are left out: every
 * URL parser, the browser's included, resolves them before a request is sent.
 */
const MALFORMED = [
  "..%2f",
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f",
  "%252e%252e%252f",
  "%252F",
  "a%2Fb",
  "%5c",
  "..%5c..%5c",
  "%c0%af",
  "%c0%ae%c0%ae",
  "%e0%80%af",
  "%ed%a0%80",
  "%ff",
  "%",
  "%2",
  "%zz",
  "a%00b",
  "%0a",
  "%0d%0a",
  "%09",
  "%7f",
  "%c2%85",
  "%e2%80%ae",
  "%e2%80%8b",
  "%ef%bb%bf",
  "%c2%a0",
  "%ef%bc%8f",
  "%ef%bc%8e%ef%bc%8e",
  "%F0%9F%98%80",
  "a%20b",
  "a%3bb",
  "a%3fb",
  "a%23b",
  "a.b",
  "a+b",
  "a~b",
  "%3Cscript%3E",
  "x".repeat(65),
  encodeURIComponent("é".repeat(65)),
  encodeURIComponent("技".repeat(65)),
];

/** Every route that names a room, as method and path. */
const ROUTES: [string, (room: string) => string][] = [
  ["GET", (room) => `/api/rooms/${room}`],
  ["GET", (room) => `/api/rooms/${room}/messages`],
  ["POST", (room) => `/api/rooms/${room}/messages`],
  ["GET", (room) => `/api/rooms/${room}/events`],
  ["GET", (room) => `/api/rooms/${room}/ws`],
  ["GET", (room) => `/r/${room}`],
];

describe("malformed room names", () => {
  it("are refused with 400 invalid_room on every route, before any Durable Object exists", async () => {
    const before = (await listDurableObjectIds(env.ROOM)).length;
    const answers: string[] = [];
    for (const name of MALFORMED) {
      for (const [method, path] of ROUTES) {
        const headers: Record<string, string> = { Upgrade: "websocket", "Content-Type": "application/json" };
        const init: RequestInit = method === "POST" ? { method, headers, body: '{"text":"hi"}' } : { method, headers };
        const response = await exports.default.fetch(`${ORIGIN}${path(name)}`, init);
        answers.push(`${method} ${path(name)} -> ${await statusAndCode(response)}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith("-> 400 invalid_room"))).toEqual([]);
    expect(answers).toHaveLength(MALFORMED.length * ROUTES.length);
    expect((await listDurableObjectIds(env.ROOM)).length).toBe(before);
  });
});

describe("private rooms", () => {
  it("have 26-character base32 names that do not repeat, each one Room that holds its owner key", async () => {
    const before = (await listDurableObjectIds(env.ROOM)).length;
    const names: string[] = [];
    for (let i = 0; i < 500; i++) {
      const response = await exports.default.fetch(`${ORIGIN}/api/rooms`, { method: "POST" });
      expect(response.status).toBe(201);
      const body: { room: string; key: string } = await response.json();
      expect(body.key).toMatch(/^[a-z2-7]{32}$/);
      names.push(body.room);
    }
    expect(names.filter((name) => !/^[a-z2-7]{26}$/.test(name))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    expect((await listDurableObjectIds(env.ROOM)).length).toBe(before + names.length);
  }, 60_000); // each creation starts a Room and stores its owner key: 500 take seconds on a busy machine

  it("use every base32 character about equally often, as 5 random bits each would", async () => {
    const counts = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < 500; i++) {
      const response = await exports.default.fetch(`${ORIGIN}/api/rooms`, { method: "POST" });
      const { room }: { room: string } = await response.json();
      for (const char of room) counts.set(char, (counts.get(char) ?? 0) + 1);
      total += room.length;
    }
    // 13,000 characters over 32 symbols: 406 each, with a standard deviation of about 20.
    const expected = total / 32;
    expect(counts.size).toBe(32);
    expect([...counts.values()].filter((count) => Math.abs(count - expected) > 150)).toEqual([]);
  }, 60_000);

  it("are listed nowhere: no route answers with the names of rooms", async () => {
    const created = await exports.default.fetch(`${ORIGIN}/api/rooms`, { method: "POST" });
    const { room: secret }: { room: string } = await created.json();
    const member = await connect(secret, { name: "member" });
    expect(member.welcome.room).toBe(secret);
    const probes = ["/api/rooms", "/api/rooms/", "/api", "/api/", "/r/", "/r", "/api/rooms?list=1", "/api/rooms/*"];
    const leaks: string[] = [];
    const reads: string[] = [];
    for (const path of probes) {
      for (const method of ["GET", "HEAD", "OPTIONS"]) {
        const response = await exports.default.fetch(`${ORIGIN}${path}`, { method });
        if ((await response.text()).includes(secret)) leaks.push(`${method} ${path}`);
        if (response.ok && method !== "OPTIONS") reads.push(`${method} ${path} -> ${response.status}`);
      }
    }
    expect({ leaks, reads }).toEqual({ leaks: [], reads: [] });
  });
});
