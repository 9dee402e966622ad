/**
 * Large rooms (this project runs with PRESENCE_LIMIT 3 and an occupancy
 * interval of 300 ms): above the limit joins and leaves go quiet, a
 * throttled count replaces them, and falling back brings one full list.
 */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sleep, type TestClient } from "../room/support/client.ts";

async function crowd(room: string, size: number): Promise<TestClient[]> {
  const clients: TestClient[] = [];
  for (let i = 0; i < size; i++) clients.push(await connect(room, { name: `u${i}` }));
  return clients;
}

describe("a room above PRESENCE_LIMIT", () => {
  it("does not broadcast the join that takes it over the limit", async () => {
    const room = freshRoom();
    const [first, second, third] = await crowd(room, 3);
    await first?.next("join");
    await first?.next("join");
    await second?.next("join");
    await connect(room, { name: "fourth" });
    const frame = await third?.nextText(1000);
    expect(frame && JSON.parse(frame)).toEqual({ type: "occupancy", online: 4 });
  });

  it("welcomes a newcomer with at most PRESENCE_LIMIT users, the newcomer among them, and the true count", async () => {
    const room = freshRoom();
    await crowd(room, 4);
    const newcomer = await connect(room, { name: "newcomer" });
    expect(newcomer.welcome.onlineCount).toBe(5);
    expect(newcomer.welcome.online).toHaveLength(3);
    expect(newcomer.welcome.online[0]).toEqual(newcomer.user);
  });

  it("sends occupancy at most once per interval, and the latest count follows within one", async () => {
    const room = freshRoom();
    const [watcher] = await crowd(room, 4);
    if (watcher === undefined) throw new Error("no watcher");
    await watcher.waitFor("occupancy");
    const joinedAt = Date.now();
    await connect(room, { name: "x1" });
    await connect(room, { name: "x2" });
    const next = await watcher.next("occupancy", 1000);
    const elapsed = Date.now() - joinedAt;
    expect(next.online).toBe(6);
    expect(elapsed).toBeLessThan(1000);
    await watcher.expectSilence(400);
  });

  it("goes quiet about leaves, then sends one full presence list when back at the limit", async () => {
    const room = freshRoom();
    const clients = await crowd(room, 5);
    const [watcher, , , fourth, fifth] = clients;
    if (watcher === undefined || fourth === undefined || fifth === undefined) throw new Error("crowd too small");
    await sleep(400);
    await watcher.waitFor("occupancy");
    fifth.close();
    expect(await watcher.waitFor("occupancy", 1000)).toEqual({ type: "occupancy", online: 4 });
    fourth.close();
    const list = await watcher.waitFor("presence", 1000);
    expect(list.onlineCount).toBe(3);
    expect(list.online.map((user) => user.name).sort()).toEqual(["u0", "u1", "u2"]);
  });

  it("resumes exact presence after falling back", async () => {
    const room = freshRoom();
    const clients = await crowd(room, 4);
    const [watcher, , , fourth] = clients;
    if (watcher === undefined || fourth === undefined) throw new Error("crowd too small");
    fourth.close();
    await watcher.waitFor("presence", 1000);
    const last = clients[2];
    last?.close();
    expect(await watcher.waitFor("leave", 1000)).toMatchObject({ type: "leave", online: 2 });
  });
});
