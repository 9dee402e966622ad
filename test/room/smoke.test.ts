import { describe, expect, it } from "vitest";
import { connect, freshRoom } from "./support/client.ts";

describe("smoke", () => {
  it("welcomes, stores and broadcasts", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    expect(alice.welcome.you.name).toBe("alice");
    const bob = await connect(room, { name: "bob" });
    expect((await alice.next("join")).user.name).toBe("bob");
    alice.send({ type: "send", id: "m1", text: " hello " });
    const ack = await alice.next("ack");
    expect(ack.seq).toBe(1);
    expect((await alice.next("message")).text).toBe("hello");
    expect((await bob.next("message")).seq).toBe(1);
  });
});
