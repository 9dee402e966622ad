import { describe, expect, it } from "vitest";
import { type ConnectParams, type ConnectParamsResult, parseConnectParams } from "../../protocol/http-params.ts";

function parse(query: string): ConnectParamsResult {
  return parseConnectParams(new URLSearchParams(query));
}

/** The parameters of `query`; fails the test on a refusal. */
function paramsOf(query: string): ConnectParams {
  const result = parse(query);
  if (!result.ok) throw new Error(`expected parameters, got ${result.code}: ${result.message}`);
  return result.value;
}

function refused(code: "bad_request" | "invalid_name"): ConnectParamsResult {
  return { ok: false, code, message: expect.stringMatching(/\S/) };
}

describe("parseConnectParams", () => {
  it("takes no parameters as all absent", () => {
    expect(paramsOf("")).toStrictEqual({});
  });

  it("reads name, since and token together", () => {
    expect(paramsOf("name=ada&since=12&token=abc.def")).toStrictEqual({ name: "ada", since: 12, token: "abc.def" });
  });

  it("trims and NFC-normalises the name", () => {
    expect(paramsOf(`name=${encodeURIComponent("  Jose\u0301 ")}`)).toStrictEqual({ name: "José" });
  });

  it("decodes a percent-encoded name of another script", () => {
    expect(paramsOf(`name=${encodeURIComponent("技术🎉")}`)).toStrictEqual({ name: "技术🎉" });
  });

  it.each([["name="], ["name=%20%20"], ["name=+"]])("treats an empty or blank name as absent: %s", (query) => {
    expect(paramsOf(query)).toStrictEqual({});
  });

  it("accepts a name of 32 code points", () => {
    expect(paramsOf(`name=${encodeURIComponent("🎉".repeat(32))}`)).toStrictEqual({ name: "🎉".repeat(32) });
  });

  it.each([
    ["33 code points", "🎉".repeat(33)],
    ["a control character", "ada\u0000"],
    ["a line feed inside", "ada\nlove"],
    ["a right-to-left override", "ada\u202e"],
  ])("refuses a name of %s as invalid_name", (_, name) => {
    expect(parse(`name=${encodeURIComponent(name)}`)).toStrictEqual(refused("invalid_name"));
  });

  it.each([
    ["0", 0],
    ["7", 7],
    ["9007199254740991", Number.MAX_SAFE_INTEGER],
  ])("accepts since=%s", (since, value) => {
    expect(paramsOf(`since=${since}`)).toStrictEqual({ since: value });
  });

  it.each([
    ["negative", "-1"],
    ["fractional", "1.5"],
    ["empty", ""],
    ["not a number", "abc"],
    ["in exponent form", "1e3"],
    ["signed", "+5"],
    ["padded with spaces", "%205"],
    ["hexadecimal", "0x10"],
    ["beyond the safe integers", "9007199254740992"],
    ["far too long", "1".repeat(30)],
  ])("refuses a %s since as bad_request", (_, since) => {
    expect(parse(`since=${since}`)).toStrictEqual(refused("bad_request"));
  });

  it("keeps a token as given, leaving its check to the room", () => {
    expect(paramsOf("token=not-a-real-token")).toStrictEqual({ token: "not-a-real-token" });
  });

  it("treats an empty token as absent", () => {
    expect(paramsOf("token=")).toStrictEqual({});
  });

  it("treats a token longer than any the room issues as absent", () => {
    expect(paramsOf(`token=${"t".repeat(256)}`)).toStrictEqual({ token: "t".repeat(256) });
    expect(paramsOf(`token=${"t".repeat(257)}`)).toStrictEqual({});
  });

  it.each([["name=a&name=b"], ["since=1&since=2"], ["token=a&token=b"]])(
    "refuses a parameter given twice: %s",
    (query) => {
      expect(parse(query)).toStrictEqual(refused("bad_request"));
    },
  );

  it("ignores parameters it does not know", () => {
    expect(paramsOf("name=ada&theme=dark")).toStrictEqual({ name: "ada" });
  });
});
