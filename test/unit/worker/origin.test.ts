import { describe, expect, it } from "vitest";
import { isAllowedOrigin } from "../../../worker/http.ts";

const APP = "https://chat.example.com";
const LISTED = ["https://embed.example.org", "http://localhost:5173"];

/** A socket request to the app, from a page of `origin` (none: a non-browser client). */
function requestFrom(origin: string | null, url = `${APP}/api/rooms/general/ws`): Request {
  const headers = new Headers({ Upgrade: "websocket" });
  if (origin !== null) headers.set("Origin", origin);
  return new Request(url, { headers });
}

describe("isAllowedOrigin", () => {
  it("allows the app's own origin", () => {
    expect(isAllowedOrigin(requestFrom(APP), [])).toBe(true);
  });

  it("allows the app's own origin on a non-default port", () => {
    const url = "http://127.0.0.1:8787/api/rooms/general/ws";
    expect(isAllowedOrigin(requestFrom("http://127.0.0.1:8787", url), [])).toBe(true);
  });

  it("allows an origin listed in ALLOWED_ORIGINS", () => {
    expect(isAllowedOrigin(requestFrom("https://embed.example.org"), LISTED)).toBe(true);
    expect(isAllowedOrigin(requestFrom("http://localhost:5173"), LISTED)).toBe(true);
  });

  it("allows a request without an Origin header, as non-browser clients send", () => {
    expect(isAllowedOrigin(requestFrom(null), [])).toBe(true);
  });

  it("refuses an origin that is neither the app's nor listed", () => {
    expect(isAllowedOrigin(requestFrom("https://evil.example.net"), LISTED)).toBe(false);
  });

  it("refuses the opaque origin `null`, sent by sandboxed frames and file pages", () => {
    expect(isAllowedOrigin(requestFrom("null"), LISTED)).toBe(false);
  });

  it.each([
    ["a suffix look-alike", "https://chat.example.com.evil.net"],
    ["a prefix look-alike", "https://evilchat.example.com"],
    ["a subdomain", "https://a.chat.example.com"],
    ["a parent domain", "https://example.com"],
    ["credentials before the host", "https://chat.example.com@evil.net"],
  ])("refuses %s of the app's host", (_, origin) => {
    expect(isAllowedOrigin(requestFrom(origin), LISTED)).toBe(false);
  });

  it("refuses the app's host on another port", () => {
    expect(isAllowedOrigin(requestFrom("https://chat.example.com:8443"), LISTED)).toBe(false);
  });

  it("refuses the app's host over another scheme", () => {
    expect(isAllowedOrigin(requestFrom("http://chat.example.com"), LISTED)).toBe(false);
  });

  it("refuses a listed host on another port or scheme", () => {
    expect(isAllowedOrigin(requestFrom("http://localhost:5174"), LISTED)).toBe(false);
    expect(isAllowedOrigin(requestFrom("https://localhost:5173"), LISTED)).toBe(false);
  });

  it("refuses an origin with a trailing slash, which no browser sends", () => {
    expect(isAllowedOrigin(requestFrom(`${APP}/`), LISTED)).toBe(false);
    expect(isAllowedOrigin(requestFrom("https://embed.example.org/"), LISTED)).toBe(false);
  });

  it("refuses an upper-case origin, which no browser sends", () => {
    expect(isAllowedOrigin(requestFrom("HTTPS://CHAT.EXAMPLE.COM"), LISTED)).toBe(false);
    expect(isAllowedOrigin(requestFrom("https://Embed.example.org"), LISTED)).toBe(false);
  });

  it("refuses an empty Origin header", () => {
    expect(isAllowedOrigin(requestFrom(""), LISTED)).toBe(false);
  });
});
