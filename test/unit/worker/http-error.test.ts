import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../worker/config.ts";
import { HttpError, renderError } from "../../../worker/http.ts";

/** The JSON body of a response, read as text first so the raw body can be checked too. */
async function bodyOf(response: Response): Promise<{ raw: string; json: unknown }> {
  const raw = await response.text();
  return { raw, json: JSON.parse(raw) };
}

/** Silences and records the log line renderError writes for an unexpected failure. */
function captureErrorLog() {
  return vi.spyOn(console, "error").mockImplementation(() => {});
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("renderError: an HttpError", () => {
  it("answers with its status and the body {error: {code, message}}", async () => {
    const response = renderError(new HttpError("invalid_room", "a room name is 1 to 64 letters"));
    expect(response.status).toBe(400);
    expect((await bodyOf(response)).json).toStrictEqual({
      error: { code: "invalid_room", message: "a room name is 1 to 64 letters" },
    });
  });

  it("answers as JSON", () => {
    const response = renderError(new HttpError("not_found", "no such endpoint"));
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json\b/);
  });

  it("is never cached", () => {
    const response = renderError(new HttpError("not_found", "no such endpoint"));
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("keeps the headers it was thrown with, such as Allow on a 405", () => {
    const response = renderError(new HttpError("method_not_allowed", "use GET", { headers: { Allow: "GET, HEAD" } }));
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
  });

  it("keeps Upgrade on a 426", () => {
    const response = renderError(
      new HttpError("upgrade_required", "WebSocket only", { headers: { Upgrade: "websocket" } }),
    );
    expect(response.headers.get("Upgrade")).toBe("websocket");
  });

  it("gives a 429 Retry-After in seconds and retryAfter in milliseconds", async () => {
    const response = renderError(new HttpError("rate_limited", "slow down", { retryAfter: 2000 }));
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("2");
    expect((await bodyOf(response)).json).toStrictEqual({
      error: { code: "rate_limited", message: "slow down", retryAfter: 2000 },
    });
  });

  it.each([
    [1, "1"],
    [200, "1"],
    [1000, "1"],
    [1001, "2"],
    [1500, "2"],
  ])("rounds a wait of %i ms up to Retry-After: %s, never telling a client to come back early", (ms, seconds) => {
    const response = renderError(new HttpError("rate_limited", "slow down", { retryAfter: ms }));
    expect(response.headers.get("Retry-After")).toBe(seconds);
  });

  it("sends no Retry-After and no retryAfter without a wait", async () => {
    const response = renderError(new HttpError("room_full", "this room is at capacity"));
    expect(response.headers.has("Retry-After")).toBe(false);
    expect((await bodyOf(response)).json).toStrictEqual({
      error: { code: "room_full", message: "this room is at capacity" },
    });
  });

  it("never puts the error's stack in the body", async () => {
    const error = new HttpError("bad_request", "bad");
    const { raw } = await bodyOf(renderError(error));
    expect(raw).not.toContain("HttpError");
    expect(raw).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe("renderError: an unexpected failure", () => {
  it("answers 500 with the code internal_error", async () => {
    captureErrorLog();
    const response = renderError(new TypeError("cannot read properties of undefined (reading 'seq')"));
    expect(response.status).toBe(500);
    expect((await bodyOf(response)).json).toStrictEqual({
      error: { code: "internal_error", message: expect.stringMatching(/\S/) },
    });
  });

  it("leaks neither the message nor the stack in the body", async () => {
    captureErrorLog();
    const error = new Error("SELECT * FROM secrets WHERE user = 'ada'");
    const { raw } = await bodyOf(renderError(error));
    expect(raw).not.toContain("secrets");
    expect(raw).not.toContain("ada");
    expect(raw).not.toMatch(/\bat .*:\d+/);
  });

  it("logs the kind of failure without its message, which could carry user text", () => {
    const log = captureErrorLog();
    renderError(new RangeError("text was: my password is hunter2"));
    expect(log).toHaveBeenCalledTimes(1);
    const logged = log.mock.calls.flat().map(String).join(" ");
    expect(logged).toContain("RangeError");
    expect(logged).not.toContain("hunter2");
  });

  it("logs a configuration error with its message, which names the var to fix", async () => {
    const log = captureErrorLog();
    const response = renderError(new ConfigError("var HISTORY_LIMIT must be a positive integer"));
    expect(response.status).toBe(500);
    expect(log.mock.calls.flat().map(String).join(" ")).toContain("HISTORY_LIMIT");
    expect((await bodyOf(response)).raw).not.toContain("HISTORY_LIMIT");
  });

  it.each([
    ["a string", "boom: ada's text"],
    ["undefined", undefined],
    ["an object", { secret: "ada" }],
  ])("answers 500 to a thrown value that is %s", async (_, thrown) => {
    captureErrorLog();
    const response = renderError(thrown);
    expect(response.status).toBe(500);
    const { raw } = await bodyOf(response);
    expect(raw).not.toContain("ada");
  });
});
