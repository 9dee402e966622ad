/**
 * The server frames of calls, as a client checks them (docs/protocol.md
 * "## Calls", server to client): the `call` event of the log, `peers`,
 * `media`, `signal` and a welcome's `call`. A client hands a relayed
 * signal to its RTCPeerConnection, so it takes one only within the bounds
 * the room puts on a sent one.
 */
import { describe, expect, it } from "vitest";
import { FRAME_LIMITS } from "../../protocol/frames.ts";
import { isCallEvent, isCallServerFrame, isCallState } from "../../protocol/parse-server-calls.ts";

const ALICE = { id: "k2m7q4xwr3t5bnda", name: "alice" };
const PEER = "k2m7q4xw";
const OTHER = "b7c2xq4m";
const SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
const CANDIDATE = "candidate:842163049 1 udp 1677729535 192.0.2.1 49203 typ host generation 0";
const PEER_ENTRY = { peer: OTHER, user: ALICE, since: 1000, audio: true, video: false, screen: false };

describe("a call event", () => {
  const event = (fields: Record<string, unknown>) => ({
    type: "call",
    seq: 7,
    ts: 1000,
    user: ALICE,
    action: "join",
    call: "c4llc4ll",
    peer: PEER,
    participants: 2,
    ...fields,
  });

  it.each([
    [{ action: "start", participants: 1 }],
    [{ action: "join" }],
    [{ action: "leave", participants: 1 }],
    [{ action: "end", participants: 0 }],
  ])("is taken as the room sends it: %j", (fields) => {
    expect(isCallEvent(event(fields))).toBe(true);
  });

  it.each([
    ["an end with people left in the call", { action: "end", participants: 1 }],
    ["a leave that leaves no one", { action: "leave", participants: 0 }],
    ["an unknown action", { action: "ring" }],
    ["a seq of 0", { seq: 0 }],
    ["a peer that is not a peer id", { peer: "ALICE" }],
    ["no call id", { call: undefined }],
    ["no user", { user: undefined }],
    ["a negative count", { participants: -1 }],
  ])("is refused with %s", (_, fields) => {
    expect(isCallEvent(event(fields))).toBe(false);
  });
});

describe("a call's state, in a welcome or a peers frame", () => {
  it("takes who is in the call with their media", () => {
    expect(isCallState({ call: "c4llc4ll", since: 1000, peers: [PEER_ENTRY] })).toBe(true);
    expect(isCallState({ call: "c4llc4ll", since: 1000, peers: [] })).toBe(true);
  });

  it.each([
    ["a peer without its media", { peers: [{ ...PEER_ENTRY, screen: undefined }] }],
    ["a peer with a bad peer id", { peers: [{ ...PEER_ENTRY, peer: "x" }] }],
    ["no since", { since: undefined }],
    ["peers that are not a list", { peers: {} }],
  ])("refuses %s", (_, fields) => {
    expect(isCallState({ call: "c4llc4ll", since: 1000, peers: [PEER_ENTRY], ...fields })).toBe(false);
  });

  it("takes a peers frame only with the newcomer's own peer id", () => {
    const peers = { type: "peers", you: PEER, call: "c4llc4ll", since: 1000, peers: [PEER_ENTRY] };
    expect(isCallServerFrame(peers)).toBe(true);
    expect(isCallServerFrame({ ...peers, you: undefined })).toBe(false);
  });
});

describe("a media frame", () => {
  it("names the peer and its three switches", () => {
    expect(isCallServerFrame({ type: "media", peer: PEER, audio: false, video: true, screen: true })).toBe(true);
    expect(isCallServerFrame({ type: "media", peer: PEER, audio: false, video: true })).toBe(false);
    expect(isCallServerFrame({ type: "media", peer: PEER, audio: "on", video: true, screen: false })).toBe(false);
  });
});

describe("a relayed signal", () => {
  const signal = (fields: Record<string, unknown>) => ({ type: "signal", from: PEER, user: ALICE, ...fields });

  it.each([
    [{ description: { type: "offer", sdp: SDP } }],
    [{ description: { type: "answer", sdp: SDP } }],
    [{ description: { type: "rollback", sdp: "" } }],
    [{ candidate: { candidate: CANDIDATE, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "a1b2" } }],
    [{ candidate: { candidate: CANDIDATE, sdpMid: null, sdpMLineIndex: 1 } }],
    [{ candidate: { candidate: "" } }],
  ])("is taken: %j", (fields) => {
    expect(isCallServerFrame(signal(fields))).toBe(true);
  });

  it.each([
    ["both a description and a candidate", { description: { type: "offer", sdp: SDP }, candidate: { candidate: "" } }],
    ["neither", {}],
    ["a pranswer", { description: { type: "pranswer", sdp: SDP } }],
    [
      "an SDP longer than a client may send",
      { description: { type: "offer", sdp: "a".repeat(FRAME_LIMITS.maxSdpLength + 1) } },
    ],
    [
      "a candidate longer than a client may send",
      { candidate: { candidate: "a".repeat(FRAME_LIMITS.maxCandidateLength + 1) } },
    ],
    ["a line index that is not a count", { candidate: { candidate: CANDIDATE, sdpMLineIndex: -1 } }],
    ["no sender", { from: undefined, description: { type: "offer", sdp: SDP } }],
  ])("is refused with %s", (_, fields) => {
    expect(isCallServerFrame(signal(fields))).toBe(false);
  });

  it("takes an SDP of exactly the limit", () => {
    const sdp = "a".repeat(FRAME_LIMITS.maxSdpLength);
    expect(isCallServerFrame(signal({ description: { type: "offer", sdp } }))).toBe(true);
  });

  it("counts an SDP in code points, as the room does", () => {
    const sdp = "😀".repeat(FRAME_LIMITS.maxSdpLength);
    expect(isCallServerFrame(signal({ description: { type: "offer", sdp } }))).toBe(true);
    expect(isCallServerFrame(signal({ description: { type: "offer", sdp: `${sdp}a` } }))).toBe(false);
  });
});
