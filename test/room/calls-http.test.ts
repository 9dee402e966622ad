/**
 * Calls over HTTP, as docs/protocol.md "### ICE servers" says: `GET
 * /api/rooms/<room>/ice` gives the ICE servers to whoever may join the
 * room's call (the rule of the `call` frame), never cached; and only a room
 * page may ask for the camera and the microphone.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { freshRoom, ORIGIN } from "./support/client.ts";
import { api, statusAndCode } from "./support/http.ts";
import { bodyOf, changeSettings, join, moderate, ownedRoom, personAs, roomApi } from "./support/owners.ts";

/** The Permissions-Policy directives of a response, by feature. */
function permissionsOf(response: Response): Record<string, string> {
  const policy = response.headers.get("Permissions-Policy") ?? "";
  const directives = policy.split(",").map((directive) => directive.trim().split("="));
  return Object.fromEntries(directives.map(([feature = "", allowed = ""]) => [feature, allowed]));
}

describe("GET /api/rooms/:room/ice", () => {
  it('answers {"iceServers":[]} in an open room when no ICE servers are configured, and is never cached', async () => {
    const response = await api(`/api/rooms/${freshRoom()}/ice`);
    expect(await bodyOf(response, 200)).toEqual({ iceServers: [] });
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers a guest's token in an open room", async () => {
    const room = freshRoom();
    const guest = await join(room);
    expect(await bodyOf(await roomApi(room, "/ice", { token: guest.welcome.token }), 200)).toEqual({ iceServers: [] });
  });

  it("in a room where only members write: 403 forbidden without a token and for a guest, 200 for a member", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    const guest = await personAs(room, owner, "guest");
    await changeSettings(owner, { write: "members" });
    expect(await statusAndCode(await roomApi(room, "/ice"))).toBe("403 forbidden");
    expect(await statusAndCode(await roomApi(room, "/ice", { token: guest.welcome.token }))).toBe("403 forbidden");
    expect(await bodyOf(await roomApi(room, "/ice", { token: member.welcome.token }), 200)).toEqual({ iceServers: [] });
  });

  it("is 403 forbidden for a muted member and for a reader, as their `call` join would be", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    const reader = await personAs(room, owner, "reader");
    await moderate(owner, "mute", member, { duration: 60_000 });
    expect(await statusAndCode(await roomApi(room, "/ice", { token: member.welcome.token }))).toBe("403 forbidden");
    expect(await statusAndCode(await roomApi(room, "/ice", { token: reader.welcome.token }))).toBe("403 forbidden");
  });

  it("answers other methods with 405 method_not_allowed", async () => {
    const response = await api(`/api/rooms/${freshRoom()}/ice`, { method: "POST" });
    expect(await statusAndCode(response)).toBe("405 method_not_allowed");
  });
});

describe("Permissions-Policy", () => {
  it("lets a room page use the camera, the microphone and screen capture, from its own origin only", async () => {
    const response = await api(`/r/${freshRoom()}`);
    expect(response.status).toBe(200);
    expect(permissionsOf(response)).toMatchObject({
      camera: "(self)",
      microphone: "(self)",
      "display-capture": "(self)",
    });
  });

  it("denies the camera and the microphone to the landing page, which Static Assets serve", async () => {
    const response = await env.ASSETS.fetch(`${ORIGIN}/`);
    expect(response.status).toBe(200);
    expect(permissionsOf(response)).toMatchObject({ camera: "()", microphone: "()" });
  });

  it.each([
    ["the room info route", "/api/rooms/some-room"],
    ["the ICE route", "/api/rooms/some-room/ice"],
    ["a path the Worker does not know", "/nothing-here"],
  ])("denies the camera and the microphone to %s", async (_, path) => {
    const response = await api(path);
    expect(permissionsOf(response)).toMatchObject({ camera: "()", microphone: "()" });
  });
});
