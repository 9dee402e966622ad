/** The Worker's front door: request-line checks happen before any Room exists. */
import { listDurableObjectIds } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connect, freshRoom, ORIGIN, upgrade } from "./support/client.ts";

async function errorOf(response: Response) {
  const body: unknown = await response.json();
  return { status: response.status, body };
}

function expectError(status: number, code: string) {
  return { status, body: { error: { code, message: expect.any(String) } } };
}

describe("the WebSocket endpoint", () => {
  it("answers a plain GET with 426 upgrade_required", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/api/rooms/${freshRoom()}/ws`);
    expect(await errorOf(response)).toEqual(expectError(426, "upgrade_required"));
    expect(response.headers.get("Upgrade")).toBe("websocket");
  });

  it("answers another method with 405 and the allowed methods", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/api/rooms/${freshRoom()}/ws`, { method: "POST" });
    expect(await errorOf(response)).toEqual(expectError(405, "method_not_allowed"));
    expect(response.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("refuses a foreign browser Origin with 403 forbidden_origin", async () => {
    for (const origin of [
      "https://evil.example",
      "null",
      "http://edgechat.test.evil.example",
      "https://edgechat.test",
    ]) {
      const response = await upgrade(freshRoom(), "", { Origin: origin });
      expect(await errorOf(response)).toEqual(expectError(403, "forbidden_origin"));
    }
  });

  it("accepts the app's own Origin and requests without one", async () => {
    const room = freshRoom();
    const fromPage = await connect(room, { origin: ORIGIN });
    const fromBot = await connect(room);
    expect(fromPage.welcome.room).toBe(room);
    expect(fromBot.welcome.room).toBe(room);
  });

  it("refuses an invalid display name with 400 invalid_name", async () => {
    for (const name of ["a\u0000b", "x".repeat(33), "bell\u0007"]) {
      const response = await upgrade(freshRoom(), `?name=${encodeURIComponent(name)}`);
      expect(await errorOf(response)).toEqual(expectError(400, "invalid_name"));
    }
  });

  it("refuses a `since` that is not a non-negative integer with 400 bad_request", async () => {
    for (const since of ["-1", "abc", "1.5", "", "1e3", "99999999999999999999"]) {
      const response = await upgrade(freshRoom(), `?since=${since}`);
      expect(await errorOf(response)).toEqual(expectError(400, "bad_request"));
    }
  });
});

describe("room names", () => {
  it("are case-insensitive: General and general are one room", async () => {
    const suffix = crypto.randomUUID();
    const upper = await connect(`General-${suffix}`, { name: "upper" });
    const lower = await connect(`general-${suffix}`, { name: "lower" });
    expect(upper.welcome.room).toBe(`general-${suffix}`);
    expect(lower.welcome.online.map((user) => user.name)).toEqual(["lower", "upper"]);
  });

  it("may use letters of any script", async () => {
    const client = await connect(encodeURIComponent(`技术-${crypto.randomUUID()}`));
    expect(client.welcome.room.startsWith("技术-")).toBe(true);
  });

  it("are normalised to NFC, so composed and decomposed spellings meet", async () => {
    const suffix = crypto.randomUUID();
    const composed = await connect(encodeURIComponent(`caf\u00e9-${suffix}`), { name: "composed" });
    const decomposed = await connect(encodeURIComponent(`cafe\u0301-${suffix}`), { name: "decomposed" });
    expect(decomposed.welcome.room).toBe(composed.welcome.room);
    expect(decomposed.welcome.onlineCount).toBe(2);
  });

  it("are refused with 400 invalid_room before any Durable Object exists", async () => {
    const before = (await listDurableObjectIds(env.ROOM)).length;
    const invalid = [
      "a%20b",
      "a%2Fb",
      "..%2f..%2fetc",
      "%252F",
      "%ZZ",
      "x".repeat(65),
      "tab%09",
      "dot.dot",
      "%00",
      "a%2Fb%2Fc",
    ];
    for (const name of invalid) {
      const response = await upgrade(name);
      expect({ name, ...(await errorOf(response)) }).toEqual({ name, ...expectError(400, "invalid_room") });
    }
    const page = await exports.default.fetch(`${ORIGIN}/r/a%2Fb`);
    expect(await errorOf(page)).toEqual(expectError(400, "invalid_room"));
    expect((await listDurableObjectIds(env.ROOM)).length).toBe(before);
  });

  it("accept 64 characters", async () => {
    const name = `${crypto.randomUUID()}`.padEnd(64, "x");
    const client = await connect(name);
    expect(client.welcome.room).toBe(name);
  });
});

describe("pages and probes", () => {
  it("serves the room page at /r/:room with a strict Content-Security-Policy", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/r/${freshRoom()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/text\/html/);
    const policy = response.headers.get("Content-Security-Policy") ?? "";
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-inline");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("answers /healthz with 200", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/healthz`);
    expect(response.status).toBe(200);
  });

  it("answers an unknown API path with 404 not_found", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/api/nothing-here`);
    expect(await errorOf(response)).toEqual(expectError(404, "not_found"));
  });
});
