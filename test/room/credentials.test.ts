/**
 * Credentials never travel in a URL: a socket client offers `edgechat.v2`
 * and `token.<token>` in Sec-WebSocket-Protocol and the server selects
 * `edgechat.v2`; an HTTP client sends `Authorization: Bearer <token>`. The
 * version 1 places (`?token=`, a post's `token` field) still work, and two
 * different tokens at once are refused.
 */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, TestClient, upgrade } from "./support/client.ts";
import { api, postJson, postOk, statusAndCode } from "./support/http.ts";

/** Opens a socket offering `protocols`, and reads the welcome. */
async function connectOffering(
  room: string,
  protocols: string,
  query = "",
): Promise<{ client: TestClient; selected: string | null }> {
  const response = await upgrade(room, query, { "Sec-WebSocket-Protocol": protocols });
  const ws = response.webSocket;
  if (response.status !== 101 || ws === null) {
    throw new Error(`expected 101 Switching Protocols, got ${response.status}: ${await response.text()}`);
  }
  const selected = response.headers.get("Sec-WebSocket-Protocol");
  const client = new TestClient(ws, selected);
  client.welcome = await client.next("welcome");
  return { client, selected };
}

describe("a token in Sec-WebSocket-Protocol", () => {
  it("restores the same user, and the server selects edgechat.v2", async () => {
    const room = freshRoom();
    const first = await connect(room, { name: "alice" });
    const { client, selected } = await connectOffering(room, `edgechat.v2, token.${first.welcome.token}`);
    expect(selected).toBe("edgechat.v2");
    expect(client.user).toEqual(first.user);
  });

  it("is selected as edgechat.v2 even without a token, for a new user", async () => {
    const room = freshRoom();
    const { client, selected } = await connectOffering(room, "edgechat.v2");
    expect(selected).toBe("edgechat.v2");
    expect(client.user.id).toMatch(/^[a-z2-7]{16}$/);
  });

  it("gives a forged token a fresh user, as in the query", async () => {
    const room = freshRoom();
    const alice = await connect(room, { name: "alice" });
    const forged = `${alice.user.id}.${"A".repeat(43)}`;
    const { client } = await connectOffering(room, `edgechat.v2, token.${forged}`);
    expect(client.user.id).not.toBe(alice.user.id);
  });

  it("agrees with the same token in the version 1 query", async () => {
    const room = freshRoom();
    const first = await connect(room);
    const token = first.welcome.token;
    const { client } = await connectOffering(
      room,
      `edgechat.v2, token.${token}`,
      `?token=${encodeURIComponent(token)}`,
    );
    expect(client.user).toEqual(first.user);
  });

  it.each([
    ["a token without edgechat.v2", (token: string) => `token.${token}`, ""],
    ["two tokens", (token: string) => `edgechat.v2, token.${token}, token.${token}`, ""],
    ["a token that disagrees with ?token=", (token: string) => `edgechat.v2, token.${token}`, "?token=other.token"],
  ])("is refused with 400 bad_request: %s", async (_, protocols, query) => {
    const room = freshRoom();
    const first = await connect(room);
    const response = await upgrade(room, query, { "Sec-WebSocket-Protocol": protocols(first.welcome.token) });
    expect(await statusAndCode(response)).toBe("400 bad_request");
  });

  it("leaves a version 1 client that offers no subprotocol with none selected", async () => {
    const room = freshRoom();
    const response = await upgrade(room);
    expect(response.status).toBe(101);
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBeNull();
    response.webSocket?.accept();
  });
});

describe("a token in Authorization: Bearer", () => {
  it("posts as the token's user", async () => {
    const room = freshRoom();
    const first = await postOk(room, { text: "one" });
    const response = await postJson(room, { text: "two" }, { Authorization: `Bearer ${first.token}` });
    expect(response.status).toBe(201);
    const posted: { message: { user: { id: string } } } = await response.json();
    expect(posted.message.user.id).toBe(first.message.user.id);
  });

  it("agrees with the same token in the body", async () => {
    const room = freshRoom();
    const first = await postOk(room, { text: "one" });
    const response = await postJson(
      room,
      { text: "two", token: first.token },
      { Authorization: `Bearer ${first.token}` },
    );
    expect(response.status).toBe(201);
  });

  it.each([
    ["not a bearer token", "Basic dXNlcjpwYXNz"],
    ["an empty bearer token", "Bearer "],
  ])("is refused with 400 bad_request when malformed: %s", async (_, header) => {
    const response = await postJson(freshRoom(), { text: "hi" }, { Authorization: header });
    expect(await statusAndCode(response)).toBe("400 bad_request");
  });

  it("is refused with 400 bad_request when the body names another token", async () => {
    const room = freshRoom();
    const first = await postOk(room, { text: "one" });
    const response = await postJson(
      room,
      { text: "two", token: "other.token" },
      { Authorization: `Bearer ${first.token}` },
    );
    expect(await statusAndCode(response)).toBe("400 bad_request");
  });

  it("may be sent by a page on an allowed origin: the preflight allows the header", async () => {
    const response = await api(`/api/rooms/${freshRoom()}/messages`, {
      method: "OPTIONS",
      headers: { Origin: "http://edgechat.test", "Access-Control-Request-Headers": "authorization, content-type" },
    });
    expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/\bAuthorization\b/);
  });
});
