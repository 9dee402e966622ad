/**
 * readConfig reads the global Env type, so it is tested here, inside workerd,
 * with the test deployment's own env and variants of it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../protocol/frames.ts";
import { DEFAULT_RELAY, readConfig } from "../../worker/config.ts";
import { DEFAULT_COALESCE_SENDS_PER_SECOND } from "../../worker/fanout.ts";

/**
 * The test deployment's env with some vars replaced. `wrangler dev --var`
 * passes vars as strings, and a var may be missing, which the generated Env
 * type does not describe; Object.assign keeps the result usable as an Env.
 */
function envWith(vars: Record<string, string | number | undefined>): Env {
  return Object.assign({}, env, vars);
}

describe("readConfig", () => {
  it("reads the contract's defaults from wrangler.toml", () => {
    expect(readConfig(env)).toStrictEqual({
      limits: DEFAULT_LIMITS,
      allowedOrigins: [],
      coalesceSendsPerSecond: DEFAULT_COALESCE_SENDS_PER_SECOND,
      relayThreshold: DEFAULT_RELAY.threshold,
      relayShards: DEFAULT_RELAY.shards,
    });
  });

  it("falls back to the default for a var that is missing", () => {
    expect(readConfig(envWith({ SEND_BURST: undefined })).limits.sendBurst).toBe(DEFAULT_LIMITS.sendBurst);
  });

  it("falls back to the default for a var that is empty", () => {
    expect(readConfig(envWith({ MAX_FRAME_BYTES: "" })).limits.maxFrameBytes).toBe(DEFAULT_LIMITS.maxFrameBytes);
  });

  it("reads a var given as a number", () => {
    expect(readConfig(envWith({ HISTORY_LIMIT: 5 })).limits.historyLimit).toBe(5);
  });

  it("reads a var given as a string, as `wrangler dev --var` passes it", () => {
    expect(readConfig(envWith({ PRESENCE_LIMIT: " 3 " })).limits.presenceLimit).toBe(3);
  });

  it("refuses a relay threshold below PRESENCE_LIMIT, as relayed listeners are never listed", () => {
    expect(() => readConfig(envWith({ PRESENCE_LIMIT: 200, RELAY_THRESHOLD: 199 }))).toThrow(
      /RELAY_THRESHOLD.*PRESENCE_LIMIT/,
    );
    expect(readConfig(envWith({ PRESENCE_LIMIT: 200, RELAY_THRESHOLD: 200 })).relayThreshold).toBe(200);
  });

  it("reads the budget of sends a busy room coalesces to", () => {
    expect(readConfig(envWith({ COALESCE_SENDS_PER_SECOND: "2500" })).coalesceSendsPerSecond).toBe(2500);
  });

  it("accepts a fractional send rate", () => {
    expect(readConfig(envWith({ SEND_RATE_PER_SECOND: "0.5" })).limits.sendRatePerSecond).toBe(0.5);
  });

  it.each([
    ["a fractional burst", "SEND_BURST", "1.5"],
    ["zero", "MAX_CONNECTIONS", 0],
    ["a negative number", "ABUSE_ERROR_LIMIT", -1],
    ["not a number", "RESUME_LIMIT", "many"],
    ["infinity", "ABUSE_WINDOW_MS", "Infinity"],
    ["a zero send rate", "SEND_RATE_PER_SECOND", "0"],
    ["an integer beyond the safe integers", "HISTORY_LIMIT", 2 ** 53],
    ["a zero budget of sends", "COALESCE_SENDS_PER_SECOND", "0"],
    ["a fractional number of relay shards", "RELAY_SHARDS", "1.5"],
  ])("refuses %s, naming the var", (_, name, value) => {
    expect(() => readConfig(envWith({ [name]: value }))).toThrow(name);
  });

  it("reads ALLOWED_ORIGINS as origins, ignoring spaces, blank entries and trailing slashes", () => {
    const config = readConfig(envWith({ ALLOWED_ORIGINS: " https://embed.example.org , ,http://localhost:5173/ " }));
    expect(config.allowedOrigins).toStrictEqual(["https://embed.example.org", "http://localhost:5173"]);
  });

  it("normalises ALLOWED_ORIGINS to the form browsers send", () => {
    const config = readConfig(envWith({ ALLOWED_ORIGINS: "HTTPS://Embed.Example.org:443" }));
    expect(config.allowedOrigins).toStrictEqual(["https://embed.example.org"]);
  });

  it.each([
    ["not a URL", "embed.example.org"],
    ["`null`", "null"],
    ["a file URL, whose origin is opaque", "file:///tmp/x"],
  ])("refuses an ALLOWED_ORIGINS entry that is %s", (_, entry) => {
    expect(() => readConfig(envWith({ ALLOWED_ORIGINS: `https://ok.example, ${entry}` }))).toThrow("ALLOWED_ORIGINS");
  });

  it("reads an env once", () => {
    const custom = envWith({ SEND_BURST: 3 });
    expect(readConfig(custom)).toBe(readConfig(custom));
  });
});
