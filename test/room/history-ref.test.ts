/**
 * `ref` on history requests: the room echoes it in the answer and in every
 * error about that request, so a client can match overlapping answers.
 */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sendAndAck } from "./support/client.ts";

describe("a history request with a ref", () => {
  it("is answered with its ref", async () => {
    const room = freshRoom();
    const alice = await connect(room);
    await sendAndAck(alice, "m1", "one");
    alice.send({ type: "history", ref: "older", before: 2 });
    const page = await alice.waitFor("history");
    expect(page).toMatchObject({ ref: "older", hasMore: false });
    expect(page.messages.map((message) => message.text)).toEqual(["one"]);
  });

  it("keeps each answer with its own ref when several are in flight", async () => {
    const room = freshRoom();
    const alice = await connect(room);
    for (let i = 1; i <= 4; i++) await sendAndAck(alice, `m${i}`, `text ${i}`);
    alice.send({ type: "history", ref: "a", after: 0, limit: 2 });
    alice.send({ type: "history", ref: "b", before: 5, limit: 1 });
    const first = await alice.waitFor("history");
    const second = await alice.waitFor("history");
    expect([first.ref, first.messages.map((m) => m.seq)]).toEqual(["a", [1, 2]]);
    expect([second.ref, second.messages.map((m) => m.seq)]).toEqual(["b", [4]]);
  });

  it("echoes its ref in a refusal", async () => {
    const alice = await connect(freshRoom());
    alice.send({ type: "history", ref: "bad", limit: 500 });
    expect(await alice.waitFor("error")).toMatchObject({ code: "bad_request", ref: "bad" });
  });

  it("is answered without a ref when it had none, as in version 1", async () => {
    const alice = await connect(freshRoom());
    alice.send({ type: "history" });
    const page = await alice.waitFor("history");
    expect("ref" in page).toBe(false);
  });
});
