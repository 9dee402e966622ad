/**
 * The cool-down after abuse: a connection closed with 1008 cannot come
 * straight back, neither as the same user nor as a new identity from the same
 * address, so a flooder cannot make the room pay for a welcome, a join and a
 * leave ten times a second, nor collect a fresh send burst per connection.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect, freshRoom, roomStub, type TestClient, upgrade } from "./support/client.ts";
import { postJson } from "./support/http.ts";

const ABUSER = "203.0.113.66";
const NEIGHBOUR = "203.0.113.67";

async function closeForAbuse(client: TestClient): Promise<void> {
  for (let i = 0; i < 51; i++) client.sendRaw("not json");
  expect(await client.closed).toMatchObject({ code: 1008 });
}

async function refusalOf(response: Response) {
  return {
    status: response.status,
    retryAfterHeader: response.headers.get("Retry-After"),
    body: await response.json(),
  };
}

const barred = {
  status: 429,
  retryAfterHeader: expect.stringMatching(/^\d+$/),
  body: { error: { code: "rate_limited", message: expect.any(String), retryAfter: expect.any(Number) } },
};

describe("after a connection is closed for abuse", () => {
  it("its user is refused with 429 rate_limited and Retry-After when reconnecting", async () => {
    const room = freshRoom();
    const abuser = await connect(room, { address: ABUSER });
    await closeForAbuse(abuser);
    const response = await upgrade(room, `?token=${encodeURIComponent(abuser.welcome.token)}`, {
      "CF-Connecting-IP": NEIGHBOUR,
    });
    const refusal = await refusalOf(response);
    expect(refusal).toEqual(barred);
    expect(Number(refusal.retryAfterHeader)).toBeGreaterThan(50);
  });

  it("new identities from the same address are refused too", async () => {
    const room = freshRoom();
    const abuser = await connect(room, { address: ABUSER });
    await closeForAbuse(abuser);
    expect(await refusalOf(await upgrade(room, "", { "CF-Connecting-IP": ABUSER }))).toEqual(barred);
  });

  it("everyone else comes and goes as before: other addresses and existing users of the same address", async () => {
    const room = freshRoom();
    const colleague = await connect(room, { address: ABUSER, name: "colleague" });
    const abuser = await connect(room, { address: ABUSER });
    await closeForAbuse(abuser);
    const neighbour = await connect(room, { address: NEIGHBOUR });
    expect(neighbour.welcome.type).toBe("welcome");
    colleague.close();
    const back = await connect(room, { address: ABUSER, token: colleague.welcome.token });
    expect(back.user).toEqual(colleague.user);
  });

  it("its user's HTTP posts, and posts without a token from its address, are refused too", async () => {
    const room = freshRoom();
    const abuser = await connect(room, { address: ABUSER });
    await closeForAbuse(abuser);
    expect(await refusalOf(await postJson(room, { text: "back", token: abuser.welcome.token }))).toEqual(barred);
    expect(await refusalOf(await postJson(room, { text: "anon" }, { "CF-Connecting-IP": ABUSER }))).toEqual(barred);
    expect((await postJson(room, { text: "fine" }, { "CF-Connecting-IP": NEIGHBOUR })).status).toBe(201);
  });

  it("the bar outlasts the room's eviction", async () => {
    const room = freshRoom();
    const bystander = await connect(room, { address: NEIGHBOUR });
    const abuser = await connect(room, { address: ABUSER });
    await closeForAbuse(abuser);
    await evictDurableObject(roomStub(room), { webSockets: "close" });
    await bystander.closed;
    expect(await refusalOf(await upgrade(room, "", { "CF-Connecting-IP": ABUSER }))).toEqual(barred);
  });
});
