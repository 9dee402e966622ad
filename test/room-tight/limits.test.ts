/** Capacity, the typing interval, the abuse window and ALLOWED_ORIGINS, with this project's small limits. */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sleep, upgrade } from "../room/support/client.ts";

describe("capacity", () => {
  it("answers 503 room_full once MAX_CONNECTIONS connections are open", async () => {
    const room = freshRoom();
    const open = [];
    for (let i = 0; i < 6; i++) open.push(await connect(room));
    const response = await upgrade(room);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: "room_full", message: expect.any(String) } });
  });

  it("counts connections, not users, and admits again once one closes", async () => {
    const room = freshRoom();
    const first = await connect(room, { name: "many-tabs" });
    const tabs = [first];
    for (let i = 1; i < 6; i++) tabs.push(await connect(room, { token: first.welcome.token }));
    expect((await upgrade(room)).status).toBe(503);
    tabs[0]?.close();
    let status = 503;
    for (let attempt = 0; attempt < 20 && status === 503; attempt++) {
      await sleep(50);
      status = (await upgrade(room)).status;
    }
    expect(status).toBe(101);
  });
});

describe("typing", () => {
  it("is relayed again once the interval has passed", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const bob = await connect(room, { name: "bob" });
    await alice.next("join");
    bob.send({ type: "typing" });
    await alice.next("typing");
    await sleep(350);
    bob.send({ type: "typing" });
    expect(await alice.next("typing")).toEqual({ type: "typing", user: bob.user });
  });
});

describe("the abuse window", () => {
  it("forgets errors older than the window", async () => {
    const client = await connect(freshRoom());
    for (let i = 0; i < 5; i++) client.sendRaw("x");
    for (let i = 0; i < 5; i++) await client.next("error");
    await sleep(2100);
    for (let i = 0; i < 5; i++) client.sendRaw("x");
    for (let i = 0; i < 5; i++) await client.next("error");
    client.send({ type: "typing" });
    await client.expectSilence(100);
  });

  it("closes with 1008 past the limit inside the window", async () => {
    const client = await connect(freshRoom());
    for (let i = 0; i < 6; i++) client.sendRaw("x");
    expect(await client.closed).toMatchObject({ code: 1008 });
  });
});

describe("ALLOWED_ORIGINS", () => {
  it("lets a listed origin open a socket", async () => {
    for (const origin of ["https://allowed.example", "http://localhost:5173"]) {
      const client = await connect(freshRoom(), { origin });
      expect(client.welcome.type).toBe("welcome");
    }
  });

  it("still refuses an origin that is only similar to a listed one", async () => {
    for (const origin of [
      "https://allowed.example.evil",
      "http://allowed.example",
      "https://allowed.example:444",
      "http://localhost:5174",
    ]) {
      const response = await upgrade(freshRoom(), "", { Origin: origin });
      expect(response.status).toBe(403);
    }
  });
});

describe("the abuse cool-down", () => {
  it("lets the user back once it has passed", async () => {
    const room = freshRoom();
    const abuser = await connect(room);
    for (let i = 0; i < 6; i++) abuser.sendRaw("x");
    await abuser.closed;
    expect((await upgrade(room, `?token=${encodeURIComponent(abuser.welcome.token)}`)).status).toBe(429);
    await sleep(600);
    const back = await connect(room, { token: abuser.welcome.token });
    expect(back.user).toEqual(abuser.user);
  });
});
