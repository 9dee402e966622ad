/** Bad frames get typed errors; the connection and the history survive them. */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sendAndAck, sleep } from "./support/client.ts";

describe("bad frames", () => {
  it.each([
    ["not JSON", "{nope"],
    ["not an object", "[1,2]"],
    ["null", "null"],
    ["an unknown type", JSON.stringify({ type: "shout", text: "hi" })],
    ["a missing type", JSON.stringify({ text: "hi" })],
    ["a missing field", JSON.stringify({ type: "send", text: "hi" })],
    ["a wrong field type", JSON.stringify({ type: "send", id: 7, text: "hi" })],
    ["an extra field", JSON.stringify({ type: "typing", extra: true })],
    ["a __proto__ key", '{"type":"typing","__proto__":{"admin":true}}'],
    ["empty text", JSON.stringify({ type: "send", id: "x", text: "   " })],
    ["a lone surrogate", '{"type":"send","id":"x","text":"\\ud800"}'],
  ])("answer %s with bad_request and keep the connection usable", async (_, raw) => {
    const room = freshRoom();
    const client = await connect(room, { name: "alice" });
    client.sendRaw(raw);
    expect(await client.next("error")).toMatchObject({
      type: "error",
      code: "bad_request",
      message: expect.any(String),
    });
    const ack = await sendAndAck(client, "after", "still here");
    expect(ack.seq).toBe(1);
  });

  it("answer a binary frame with bad_request", async () => {
    const client = await connect(freshRoom());
    client.sendRaw(new TextEncoder().encode(JSON.stringify({ type: "typing" })).slice().buffer);
    expect(await client.next("error")).toMatchObject({ code: "bad_request" });
  });

  it("answer a frame over 16 KiB with too_large", async () => {
    const client = await connect(freshRoom());
    client.sendRaw(JSON.stringify({ type: "send", id: "big", text: "é".repeat(8200) }));
    expect(await client.next("error")).toMatchObject({ code: "too_large" });
  });

  it("answer text over 4000 characters with too_large, echoing the id", async () => {
    const client = await connect(freshRoom());
    client.send({ type: "send", id: "long", text: "x".repeat(4001) });
    expect(await client.next("error")).toEqual({
      type: "error",
      code: "too_large",
      message: expect.any(String),
      id: "long",
    });
  });

  it("accept 4000 characters of emoji, counted as code points", async () => {
    const client = await connect(freshRoom());
    const ack = await sendAndAck(client, "emoji", "😀".repeat(4000));
    expect(ack.seq).toBe(1);
  });

  it("echo the id of a refused send so the client can mark that message", async () => {
    const client = await connect(freshRoom());
    client.send({ type: "send", id: "empty", text: "" });
    expect(await client.next("error")).toMatchObject({ code: "bad_request", id: "empty" });
  });

  it("never reach the history", async () => {
    const room = freshRoom();
    const client = await connect(room);
    for (const raw of ["{", "[]", '{"type":"send","id":"","text":"x"}', '{"type":"send","id":"a","text":""}']) {
      client.sendRaw(raw);
      await client.next("error");
    }
    const reader = await connect(room);
    expect(reader.welcome.lastSeq).toBe(0);
  });
});

describe("the send rate", () => {
  it("allows a burst of 10, then refuses with rate_limited and retryAfter", async () => {
    const client = await connect(freshRoom());
    for (let i = 0; i < 10; i++) client.send({ type: "send", id: `b${i}`, text: "burst" });
    for (let i = 0; i < 10; i++) await client.waitFor("ack");
    client.send({ type: "send", id: "over", text: "one too many" });
    const refusal = await client.waitFor("error");
    expect(refusal).toMatchObject({ code: "rate_limited", id: "over" });
    expect(refusal.retryAfter).toBeGreaterThan(0);
    expect(refusal.retryAfter).toBeLessThanOrEqual(200);
  });

  it("accepts the refused message once retryAfter has passed, and stores it once", async () => {
    const room = freshRoom();
    const client = await connect(room);
    for (let i = 0; i < 10; i++) await sendAndAck(client, `b${i}`, "burst");
    client.send({ type: "send", id: "later", text: "patience" });
    const refusal = await client.waitFor("error");
    await sleep((refusal.retryAfter ?? 0) + 20);
    expect((await sendAndAck(client, "later", "patience")).seq).toBe(11);
  });

  it("counts a resend of a stored message like any send", async () => {
    const client = await connect(freshRoom());
    for (let i = 0; i < 10; i++) await sendAndAck(client, "same", "again and again");
    client.send({ type: "send", id: "same", text: "again and again" });
    expect(await client.waitFor("error")).toMatchObject({ code: "rate_limited" });
  });

  it("is per user, shared by the user's tabs, and leaves other users alone", async () => {
    const room = freshRoom();
    const tab1 = await connect(room, { name: "alice" });
    const tab2 = await connect(room, { token: tab1.welcome.token });
    const bob = await connect(room, { name: "bob" });
    for (let i = 0; i < 10; i++) await sendAndAck(i % 2 === 0 ? tab1 : tab2, `a${i}`, "burst");
    tab2.send({ type: "send", id: "a10", text: "over" });
    expect(await tab2.waitFor("error")).toMatchObject({ code: "rate_limited" });
    expect((await sendAndAck(bob, "b0", "fine")).seq).toBe(11);
  });

  it("survives a reconnect: a new connection does not refill the bucket", async () => {
    const room = freshRoom();
    const first = await connect(room);
    for (let i = 0; i < 10; i++) await sendAndAck(first, `a${i}`, "burst");
    first.close();
    const again = await connect(room, { token: first.welcome.token });
    again.send({ type: "send", id: "a10", text: "over" });
    expect(await again.waitFor("error")).toMatchObject({ code: "rate_limited" });
  });
});

describe("the frame budget", () => {
  it("refuses valid frames beyond the burst with rate_limited, typing and history included", async () => {
    const room = freshRoom();
    const flooder = await connect(room, { name: "flooder" });
    // The burst is 40 and the budget refills 20 a second: of 50 frames sent at once, some must be refused.
    for (let i = 0; i < 40; i++) flooder.send({ type: "history", limit: 1 });
    for (let i = 0; i < 10; i++) flooder.send({ type: "typing" });
    for (let i = 0; i < 40; i++) await flooder.next("history");
    expect(await flooder.next("error")).toEqual({
      type: "error",
      code: "rate_limited",
      message: expect.any(String),
      retryAfter: expect.any(Number),
    });
  });

  it("echoes the id of a send it refuses", async () => {
    const client = await connect(freshRoom());
    for (let i = 0; i < 40; i++) client.send({ type: "typing" });
    client.send({ type: "send", id: "over-budget", text: "hi" });
    expect(await client.next("error")).toMatchObject({ code: "rate_limited", id: "over-budget" });
  });

  it("ends a flood of typing frames, which are otherwise dropped silently, with 1008", async () => {
    const room = freshRoom();
    const flooder = await connect(room, { name: "flooder" });
    const bystander = await connect(room, { name: "bystander" });
    for (let i = 0; i < 200; i++) flooder.send({ type: "typing" });
    expect(await flooder.closed).toMatchObject({ code: 1008 });
    expect((await sendAndAck(bystander, "fine", "unaffected")).seq).toBe(1);
  });

  it("refills: the same frames pass again once the budget has recovered", async () => {
    const client = await connect(freshRoom());
    for (let i = 0; i < 40; i++) client.send({ type: "history", limit: 1 });
    for (let i = 0; i < 40; i++) await client.next("history");
    await sleep(120);
    client.send({ type: "history", limit: 1 });
    expect(await client.next("history")).toMatchObject({ type: "history" });
  });
});

describe("sustained abuse", () => {
  it("closes the connection with 1008 after more than 50 errors in 10 s, and only that one", async () => {
    const room = freshRoom();
    const abuser = await connect(room, { name: "abuser" });
    const bystander = await connect(room, { name: "bystander" });
    await abuser.next("join");
    for (let i = 0; i < 51; i++) abuser.sendRaw("not json");
    for (let i = 0; i < 51; i++) await abuser.next("error");
    expect(await abuser.closed).toMatchObject({ code: 1008 });
    expect(await bystander.waitFor("leave")).toMatchObject({ user: abuser.user });
    expect((await sendAndAck(bystander, "ok", "still fine")).seq).toBe(1);
  });

  it("leaves a connection open at 50 errors", async () => {
    const abuser = await connect(freshRoom());
    for (let i = 0; i < 50; i++) abuser.sendRaw("not json");
    for (let i = 0; i < 50; i++) await abuser.next("error");
    expect((await sendAndAck(abuser, "ok", "still here")).seq).toBe(1);
  });
});
