import { describe, expect, it } from "vitest";
import { connectRoom, memoryStore } from "../../../client/sdk.ts";
import { FakeNetwork } from "./support/fake-socket.ts";
import { ALICE, ALICE_TOKEN, messages, welcome } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

describe("opening a room", () => {
  it("opens the room's WebSocket URL, with the room percent-encoded", () => {
    const { network } = connect({ room: "技术", name: "alice" });
    const url = network.latest.url;
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe("ws://chat.test/api/rooms/%E6%8A%80%E6%9C%AF/ws");
    expect([...url.searchParams]).toEqual([["name", "alice"]]);
  });

  it("refuses a room name the server would refuse, instead of retrying forever", () => {
    expect(() => connect({ room: "no spaces" })).toThrow(RangeError);
  });

  it("refuses a display name the server would refuse", () => {
    expect(() => connect({ name: "x".repeat(33) })).toThrow(RangeError);
  });

  it("refuses a `since` the server would refuse", () => {
    expect(() => connect({ since: -1 })).toThrow(RangeError);
  });

  it("refuses an app URL that is not http(s) or ws(s)", () => {
    expect(() => connectRoom("ftp://chat.test", { room: "general", WebSocket: new FakeNetwork().WebSocket })).toThrow(
      TypeError,
    );
  });

  it("asks to resume after `since` when the caller gives one", () => {
    const { network } = connect({ since: 41 });
    expect(network.latest.url.searchParams.get("since")).toBe("41");
  });
});

describe("the welcome", () => {
  it("tells who the user is", () => {
    const { connection } = connectOnline();
    expect(connection.user).toEqual(ALICE);
  });

  it("is emitted without its history, which arrives as messages", () => {
    const harness = connect();
    const welcomes = record(harness.connection, "welcome");
    const delivered = record(harness.connection, "message");
    welcomeLatest(harness, welcome(messages(1, 2)));
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]).not.toHaveProperty("history");
    expect(delivered).toEqual(messages(1, 2));
  });

  it("saves the identity token in the session store", () => {
    const session = memoryStore();
    connectOnline([], { session });
    expect(session.load()?.token).toBe(ALICE_TOKEN);
  });

  it("is followed on reconnect by a resume as the same user, under the current name, after the last message", () => {
    const harness = connectOnline(messages(1, 3));
    const next = dropAndReconnect(harness);
    const query = Object.fromEntries(next.url.searchParams);
    expect(query).toEqual({ name: "alice", since: "3" });
    expect(next.protocols).toEqual(["edgechat.v2", `token.${ALICE_TOKEN}`]);
  });

  it("connects with the token of a saved session", () => {
    const session = memoryStore({ token: "saved.token", outbox: [] });
    const { network } = connect({ session });
    expect(network.latest.token).toBe("saved.token");
    expect(network.latest.url.searchParams.has("token")).toBe(false);
  });
});
