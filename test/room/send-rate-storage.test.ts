/**
 * One SQLite write per message: a connected user's send bucket lives in
 * their sockets' attachments, so a WebSocket send writes its message and no
 * bucket row; the bucket goes to storage at the user's last close and on an
 * HTTP post. Every path keeps the rate across evictions and reconnects.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect, freshRoom, roomStub, sendAndAck, sleep, type TestClient } from "./support/client.ts";
import { postJson } from "./support/http.ts";

/** How many rows the room keeps in a table. */
async function rowsIn(room: string, table: "messages" | "send_buckets"): Promise<number> {
  return runInDurableObject(roomStub(room), (_instance, state) => {
    const row = state.storage.sql.exec<{ count: number }>(`SELECT COUNT(*) AS count FROM ${table}`).one();
    return row.count;
  });
}

async function sendBurst(client: TestClient, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await sendAndAck(client, `${prefix}${i}`, "burst");
}

describe("the send bucket of a connected user", () => {
  it("is written to no table by a WebSocket send", async () => {
    const room = freshRoom();
    const alice = await connect(room);
    await sendBurst(alice, "m", 5);
    expect(await rowsIn(room, "messages")).toBe(5);
    expect(await rowsIn(room, "send_buckets")).toBe(0);
  });

  it("goes to storage at the user's last close, so a reconnect after an eviction is still limited", async () => {
    const room = freshRoom();
    const first = await connect(room);
    await sendBurst(first, "m", 10);
    first.close();
    await first.closed;
    await sleep(50);
    expect(await rowsIn(room, "send_buckets")).toBe(1);
    await evictDurableObject(roomStub(room));
    const again = await connect(room, { token: first.welcome.token });
    again.send({ type: "send", id: "over", text: "over" });
    expect(await again.waitFor("error")).toMatchObject({ code: "rate_limited", id: "over" });
  });

  it("is shared by the user's tabs across an eviction", async () => {
    const room = freshRoom();
    const tab1 = await connect(room);
    const tab2 = await connect(room, { token: tab1.welcome.token });
    await sendBurst(tab1, "a", 5);
    await sendBurst(tab2, "b", 5);
    await evictDurableObject(roomStub(room));
    tab1.send({ type: "send", id: "over", text: "over" });
    expect(await tab1.waitFor("error")).toMatchObject({ code: "rate_limited", id: "over" });
  });

  it("is spent by an HTTP post too, which keeps it in storage, across an eviction", async () => {
    const room = freshRoom();
    const alice = await connect(room);
    await sendBurst(alice, "m", 9);
    const posted = await postJson(room, { text: "by post" }, { Authorization: `Bearer ${alice.welcome.token}` });
    expect(posted.status).toBe(201);
    expect(await rowsIn(room, "send_buckets")).toBe(1);
    await evictDurableObject(roomStub(room));
    alice.send({ type: "send", id: "over", text: "over" });
    expect(await alice.waitFor("error")).toMatchObject({ code: "rate_limited", id: "over" });
  });
});
