/**
 * Bounded identities: connections and posts without a valid token make a
 * new user each, and one client address may make at most
 * NEW_IDENTITIES_PER_MINUTE (20) of them per room; past that, 429
 * rate_limited with Retry-After. People with a token, and other addresses,
 * are not affected, and neither hibernation nor a restart resets the count.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect, freshRoom, roomStub, upgrade } from "./support/client.ts";
import { postJson, statusAndBody } from "./support/http.ts";

const PER_MINUTE = 20;

/** Opens `count` tokenless connections from `address`, each a new user. */
async function connectNewUsers(room: string, address: string, count: number) {
  const clients = [];
  for (let i = 0; i < count; i++) clients.push(await connect(room, { address }));
  return clients;
}

describe("new identities from one address", () => {
  it(`are refused past ${PER_MINUTE} a minute with 429 rate_limited and Retry-After`, async () => {
    const room = freshRoom();
    const clients = await connectNewUsers(room, "203.0.113.7", PER_MINUTE);
    expect(new Set(clients.map((client) => client.user.id)).size).toBe(PER_MINUTE);
    const refused = await upgrade(room, "", { "CF-Connecting-IP": "203.0.113.7" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await statusAndBody(refused)).toMatchObject({
      status: 429,
      body: { error: { code: "rate_limited", retryAfter: expect.any(Number) } },
    });
  });

  it("count posts without a token too", async () => {
    const room = freshRoom();
    await connectNewUsers(room, "203.0.113.8", PER_MINUTE);
    const response = await postJson(room, { text: "hi" }, { "CF-Connecting-IP": "203.0.113.8" });
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).not.toBeNull();
  });

  it("leave a returning user with a token, and other addresses, alone", async () => {
    const room = freshRoom();
    const [first] = await connectNewUsers(room, "203.0.113.9", PER_MINUTE);
    const token = first?.welcome.token;
    const back = await connect(room, { address: "203.0.113.9", ...(token === undefined ? {} : { token }) });
    expect(back.user.id).toBe(first?.user.id);
    const elsewhere = await connect(room, { address: "198.51.100.9" });
    expect(elsewhere.user.id).not.toBe(first?.user.id);
  });

  it("stay counted across hibernation", async () => {
    const room = freshRoom();
    await connectNewUsers(room, "203.0.113.10", PER_MINUTE);
    await evictDurableObject(roomStub(room));
    const refused = await upgrade(room, "", { "CF-Connecting-IP": "203.0.113.10" });
    expect(refused.status).toBe(429);
  });
});
