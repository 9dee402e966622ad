/**
 * The frames of calls at the boundary, as docs/protocol.md "## Calls" says:
 * every field rule of `call` (join, leave), `media` and `signal`, through
 * parseClientFrame as a socket's frame goes, and the shape of a peer id. A
 * refusal is `bad_request`; a `call` refusal echoes its valid `id`. A
 * signal is relayed to one peer as it came, so what it accepts is exactly
 * what it was given, and nothing else passes.
 */
import { describe, expect, it } from "vitest";
import { type ClientFrame, DEFAULT_LIMITS, FRAME_LIMITS } from "../../protocol/frames.ts";
import { parseCallFrame } from "../../protocol/parse-calls.ts";
import { type FrameRefusal, isPeerId, parseClientFrame } from "../../protocol/parse-client.ts";

const PEER = "k2m7q4xw";
const SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
const CANDIDATE = "candidate:842163049 1 udp 1677729535 192.0.2.1 49203 typ host generation 0";
const LONE_SURROGATE = "\ud800";

function frameOf(value: Record<string, unknown>): ClientFrame {
  const result = parseClientFrame(JSON.stringify(value), DEFAULT_LIMITS.maxFrameBytes, parseCallFrame);
  if (!result.ok) throw new Error(`expected a frame, got ${result.code}: ${result.message}`);
  return result.frame;
}

function refusalOf(value: Record<string, unknown>): FrameRefusal {
  const result = parseClientFrame(JSON.stringify(value), DEFAULT_LIMITS.maxFrameBytes, parseCallFrame);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.frame)}`);
  return result;
}

/** A bad_request refusal that echoes exactly `echo`. */
function badRequest(echo: { id?: string } = {}): FrameRefusal {
  return { ok: false, code: "bad_request", message: expect.stringMatching(/\S/), ...echo };
}

describe("a peer id", () => {
  it.each(["k2m7q4xw", "aaaaaaaa", "22222222", "abcdefgh", "z7z7z7z7"])("is 8 base32 characters: %s", (id) => {
    expect(isPeerId(id)).toBe(true);
  });

  it.each([
    ["7 characters", "k2m7q4x"],
    ["9 characters", "k2m7q4xwr"],
    ["upper case", "K2M7Q4XW"],
    ["a digit base32 leaves out (1)", "k2m7q4x1"],
    ["a digit base32 leaves out (8)", "k2m7q4x8"],
    ["a digit base32 leaves out (0)", "k2m7q4x0"],
    ["punctuation", "k2m7q4x-"],
    ["empty", ""],
  ])("is not %s", (_, id) => {
    expect(isPeerId(id)).toBe(false);
  });

  it.each([[12345678], [null], [undefined], [["k2m7q4xw"]]])("is not %j", (value) => {
    expect(isPeerId(value)).toBe(false);
  });
});

describe("call", () => {
  it.each([
    [true, false],
    [false, true],
    [true, true],
    [false, false],
  ])("accepts a join with audio %s and video %s", (audio, video) => {
    expect(frameOf({ type: "call", id: "c1", action: "join", audio, video })).toStrictEqual({
      type: "call",
      id: "c1",
      action: "join",
      audio,
      video,
    });
  });

  it("accepts a leave", () => {
    expect(frameOf({ type: "call", id: "c1", action: "leave" })).toStrictEqual({
      type: "call",
      id: "c1",
      action: "leave",
    });
  });

  it.each([
    ["no action", {}],
    ["an unknown action", { action: "start" }],
    ["an action in capitals", { action: "JOIN", audio: true, video: true }],
    ["an action that is not a string", { action: 1 }],
  ])("refuses %s, echoing the id", (_, fields) => {
    expect(refusalOf({ type: "call", id: "c1", ...fields })).toStrictEqual(badRequest({ id: "c1" }));
  });

  it.each([
    ["no audio", { video: true }],
    ["no video", { audio: true }],
    ["neither", {}],
    ["audio as a string", { audio: "true", video: true }],
    ["video as a number", { audio: true, video: 1 }],
    ["audio null", { audio: null, video: false }],
  ])("refuses a join with %s, echoing the id", (_, media) => {
    expect(refusalOf({ type: "call", id: "c1", action: "join", ...media })).toStrictEqual(badRequest({ id: "c1" }));
  });

  it.each([
    ["audio", { audio: true }],
    ["video", { video: false }],
  ])("refuses a leave that carries %s, echoing the id", (_, media) => {
    expect(refusalOf({ type: "call", id: "c1", action: "leave", ...media })).toStrictEqual(badRequest({ id: "c1" }));
  });

  it("refuses a field the frame does not have (a join's screen starts off), echoing the id", () => {
    const refusal = refusalOf({ type: "call", id: "c1", action: "join", audio: true, video: true, screen: true });
    expect(refusal).toStrictEqual(badRequest({ id: "c1" }));
    expect(refusal.message).toContain("screen");
  });

  it.each([
    ["no id", {}],
    ["an empty id", { id: "" }],
    ["an id that is not a string", { id: 7 }],
    ["an id over 64 characters", { id: "i".repeat(FRAME_LIMITS.maxClientIdLength + 1) }],
    ["an id that is not well-formed", { id: `c${LONE_SURROGATE}` }],
  ])("refuses %s, echoing nothing", (_, id) => {
    expect(refusalOf({ type: "call", action: "leave", ...id })).toStrictEqual(badRequest());
  });

  it("accepts an id of 64 characters", () => {
    const id = "i".repeat(FRAME_LIMITS.maxClientIdLength);
    expect(frameOf({ type: "call", id, action: "leave" })).toMatchObject({ id });
  });
});

describe("media", () => {
  it.each([
    [{ audio: true, video: false, screen: false }],
    [{ audio: false, video: true, screen: true }],
    [{ audio: false, video: false, screen: false }],
  ])("accepts %j", (media) => {
    expect(frameOf({ type: "media", ...media })).toStrictEqual({ type: "media", ...media });
  });

  it.each([
    ["no screen", { audio: true, video: true }],
    ["no audio", { video: true, screen: false }],
    ["nothing", {}],
    ["screen as a string", { audio: true, video: true, screen: "no" }],
    ["video null", { audio: true, video: null, screen: false }],
  ])("refuses %s", (_, media) => {
    expect(refusalOf({ type: "media", ...media })).toStrictEqual(badRequest());
  });

  it("refuses a field the frame does not have, such as an id", () => {
    expect(refusalOf({ type: "media", id: "m1", audio: true, video: true, screen: false })).toStrictEqual(badRequest());
  });
});

describe("signal", () => {
  const signal = (fields: Record<string, unknown>) => ({ type: "signal", to: PEER, ...fields });

  describe("with a session description", () => {
    it.each(["offer", "answer", "rollback"])("accepts an %s, exactly as given", (type) => {
      const description = { type, sdp: SDP };
      expect(frameOf(signal({ description }))).toStrictEqual({ type: "signal", to: PEER, description });
    });

    it("accepts an empty sdp (a rollback carries none)", () => {
      const description = { type: "rollback", sdp: "" };
      expect(frameOf(signal({ description }))).toStrictEqual({ type: "signal", to: PEER, description });
    });

    it(`accepts an sdp of ${FRAME_LIMITS.maxSdpLength} characters, which fits in a frame of the default size`, () => {
      const description = { type: "offer", sdp: "s".repeat(FRAME_LIMITS.maxSdpLength) };
      expect(frameOf(signal({ description }))).toStrictEqual({ type: "signal", to: PEER, description });
    });

    it(`refuses an sdp of ${FRAME_LIMITS.maxSdpLength + 1} characters, naming the limit`, () => {
      const refusal = refusalOf(
        signal({ description: { type: "offer", sdp: "s".repeat(FRAME_LIMITS.maxSdpLength + 1) } }),
      );
      expect(refusal).toStrictEqual(badRequest());
      expect(refusal.message).toContain(String(FRAME_LIMITS.maxSdpLength));
    });

    it.each([
      ["a type browsers no longer send", { type: "pranswer", sdp: SDP }],
      ["no type", { sdp: SDP }],
      ["no sdp", { type: "offer" }],
      ["an sdp that is not a string", { type: "offer", sdp: 42 }],
      ["an sdp that is not well-formed", { type: "offer", sdp: `v=0${LONE_SURROGATE}` }],
      ["a field a description does not have", { type: "offer", sdp: SDP, extra: true }],
    ])("refuses %s", (_, description) => {
      expect(refusalOf(signal({ description }))).toStrictEqual(badRequest());
    });

    it.each([
      ["a string", SDP],
      ["an array", [SDP]],
      ["null", null],
    ])("refuses a description that is %s", (_, description) => {
      expect(refusalOf(signal({ description }))).toStrictEqual(badRequest());
    });
  });

  describe("with an ICE candidate", () => {
    it.each([
      ["the candidate alone", { candidate: CANDIDATE }],
      ["every field", { candidate: CANDIDATE, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "f7Qz" }],
      ["null fields", { candidate: CANDIDATE, sdpMid: null, sdpMLineIndex: null, usernameFragment: null }],
      ["the end of candidates", { candidate: "" }],
      ["the highest m-line index", { candidate: CANDIDATE, sdpMLineIndex: 255 }],
      ["an sdpMid of 64 characters", { candidate: CANDIDATE, sdpMid: "m".repeat(64) }],
      ["a usernameFragment of 64 characters", { candidate: CANDIDATE, usernameFragment: "u".repeat(64) }],
      [
        `a candidate of ${FRAME_LIMITS.maxCandidateLength} characters`,
        { candidate: "c".repeat(FRAME_LIMITS.maxCandidateLength) },
      ],
    ])("accepts %s, exactly as given", (_, candidate) => {
      expect(frameOf(signal({ candidate }))).toStrictEqual({ type: "signal", to: PEER, candidate });
    });

    it(`refuses a candidate of ${FRAME_LIMITS.maxCandidateLength + 1} characters, naming the limit`, () => {
      const refusal = refusalOf(signal({ candidate: { candidate: "c".repeat(FRAME_LIMITS.maxCandidateLength + 1) } }));
      expect(refusal).toStrictEqual(badRequest());
      expect(refusal.message).toContain(String(FRAME_LIMITS.maxCandidateLength));
    });

    it.each([
      ["no candidate", { sdpMid: "0" }],
      ["a candidate that is not a string", { candidate: 1 }],
      ["a candidate that is not well-formed", { candidate: `candidate:${LONE_SURROGATE}` }],
      ["an sdpMid over 64 characters", { candidate: CANDIDATE, sdpMid: "m".repeat(65) }],
      ["an sdpMid that is a number", { candidate: CANDIDATE, sdpMid: 0 }],
      ["an sdpMid that is not well-formed", { candidate: CANDIDATE, sdpMid: LONE_SURROGATE }],
      ["a negative m-line index", { candidate: CANDIDATE, sdpMLineIndex: -1 }],
      ["an m-line index of 256", { candidate: CANDIDATE, sdpMLineIndex: 256 }],
      ["a fractional m-line index", { candidate: CANDIDATE, sdpMLineIndex: 0.5 }],
      ["an m-line index as a string", { candidate: CANDIDATE, sdpMLineIndex: "0" }],
      ["a usernameFragment over 64 characters", { candidate: CANDIDATE, usernameFragment: "u".repeat(65) }],
      ["a usernameFragment that is a boolean", { candidate: CANDIDATE, usernameFragment: true }],
      ["a field a candidate does not have", { candidate: CANDIDATE, foundation: "842163049" }],
    ])("refuses %s", (_, candidate) => {
      expect(refusalOf(signal({ candidate }))).toStrictEqual(badRequest());
    });

    it.each([
      ["a string", CANDIDATE],
      ["an array", [CANDIDATE]],
      ["null", null],
    ])("refuses a candidate that is %s", (_, candidate) => {
      expect(refusalOf(signal({ candidate }))).toStrictEqual(badRequest());
    });
  });

  it.each([
    ["both a description and a candidate", { description: { type: "offer", sdp: SDP }, candidate: { candidate: "" } }],
    ["neither", {}],
  ])("refuses %s: a signal carries exactly one", (_, fields) => {
    expect(refusalOf(signal(fields))).toStrictEqual(badRequest());
  });

  it.each([
    ["no peer id", { to: undefined }],
    ["a peer id of 7 characters", { to: "k2m7q4x" }],
    ["a peer id in capitals", { to: "K2M7Q4XW" }],
    ["a user id instead of a peer id", { to: "k2m7q4xwr3t5bnda" }],
    ["a peer id that is not a string", { to: 12345678 }],
  ])("refuses %s", (_, to) => {
    expect(refusalOf({ ...signal({ candidate: { candidate: "" } }), ...to })).toStrictEqual(badRequest());
  });

  it("refuses a field the frame does not have, such as a from", () => {
    expect(refusalOf(signal({ from: PEER, candidate: { candidate: "" } }))).toStrictEqual(badRequest());
  });
});
