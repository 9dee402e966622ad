import { describe, expect, it } from "vitest";
import { roomSocketTarget, roomSocketUrl } from "../../../client/sdk/room-url.ts";

describe("roomSocketUrl", () => {
  it("uses ws for an http app and wss for an https one", () => {
    expect(roomSocketUrl("http://127.0.0.1:8787", "general", {})).toBe("ws://127.0.0.1:8787/api/rooms/general/ws");
    expect(roomSocketUrl("https://chat.example", "general", {})).toBe("wss://chat.example/api/rooms/general/ws");
  });

  it("keeps a path prefix of the app", () => {
    expect(roomSocketUrl("https://example.org/chat/", "general", {})).toBe(
      "wss://example.org/chat/api/rooms/general/ws",
    );
  });

  it("percent-encodes the room and the query", () => {
    const url = roomSocketUrl("http://chat.test", "技术", { name: "a&b c", since: 7 });
    expect(url).toBe("ws://chat.test/api/rooms/%E6%8A%80%E6%9C%AF/ws?name=a%26b+c&since=7");
  });
});

describe("roomSocketTarget", () => {
  it("offers edgechat.v2 and carries the token beside it, never in the URL", () => {
    const target = roomSocketTarget("http://chat.test", "general", { name: "ada", since: 7, token: "t.x" });
    expect(target).toEqual({
      url: "ws://chat.test/api/rooms/general/ws?name=ada&since=7",
      protocols: ["edgechat.v2", "token.t.x"],
    });
  });

  it("offers edgechat.v2 alone without a token", () => {
    expect(roomSocketTarget("http://chat.test", "general", {}).protocols).toEqual(["edgechat.v2"]);
  });

  it("refuses a URL that is not http(s) or ws(s)", () => {
    expect(() => roomSocketUrl("ftp://chat.test", "general", {})).toThrow(TypeError);
  });
});
