/**
 * Calls, as docs/protocol.md "## Calls" says: a join stores a `call` event
 * (`start`, then `join`), is acked, and is followed by `peers`; a leave or a
 * close stores `leave`, and the last one `end`; signals go to one named peer
 * only, bounded, on a budget of their own; media changes reach the other
 * participants and the call's state; the call outlives an eviction; a resume
 * replays its events; in a room with owners, joining follows the write rules.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, FRAME_LIMITS, type ServerFrame } from "../../protocol/frames.ts";
import {
  byPeerId,
  callAttempt,
  callWith,
  candidateTo,
  enter,
  framesUntilBarrier,
  HOST_CANDIDATE,
  joinCall,
  leaveCall,
  nextOf,
  OFFER_SDP,
  offerTo,
  type Participant,
  storedAck,
  waitForOf,
} from "./support/calls.ts";
import { freshRoom, roomStub, sendAndAck, type TestClient } from "./support/client.ts";
import { changeSettings, lastSeqOf, moderate, ownedRoom, personAs } from "./support/owners.ts";

/** A peer id or a call id: 8 base32 characters. */
const PEER_ID = /^[a-z2-7]{8}$/;
const JOIN = { action: "join", audio: true, video: false } as const;

/** Fails unless nothing reaches any of `clients` before the answer to a request each sends now. */
async function expectNothingFor(...clients: TestClient[]): Promise<void> {
  const received = await Promise.all(clients.map((client) => framesUntilBarrier(client)));
  expect(received).toEqual(clients.map(() => []));
}

describe("joining a call", () => {
  it("the first join stores `start` with one participant, acks it, then sends `peers` with no one else", async () => {
    const room = freshRoom();
    const alice = await enter(room, { name: "alice" });
    alice.send({ type: "call", id: "join-1", ...JOIN });
    const ack = storedAck(await nextOf(alice, "ack"));
    expect(ack).toEqual({ type: "ack", id: "join-1", seq: 1, ts: expect.any(Number) });
    const event = await nextOf(alice, "call");
    expect(event).toEqual({
      type: "call",
      seq: 1,
      ts: ack.ts,
      user: alice.user,
      action: "start",
      call: expect.stringMatching(PEER_ID),
      peer: expect.stringMatching(PEER_ID),
      participants: 1,
    });
    expect(await nextOf(alice, "peers")).toEqual({
      type: "peers",
      you: event.peer,
      call: event.call,
      since: ack.ts,
      peers: [],
    });
    expect(await lastSeqOf(room)).toBe(1);
  });

  it("a second join stores `join`, and its `peers` lists the first participant with the media they joined with", async () => {
    const room = freshRoom();
    const alice = await enter(room, { name: "alice" });
    const first = await joinCall(alice, { audio: true, video: true });
    const bob = await enter(room, { name: "bob" });
    await framesUntilBarrier(alice);
    const second = await joinCall(bob, { audio: false, video: false });
    expect(second.event).toEqual({
      type: "call",
      seq: 2,
      ts: second.ack.ts,
      user: bob.user,
      action: "join",
      call: first.event.call,
      peer: second.peers.you,
      participants: 2,
    });
    expect(second.peers).toEqual({
      type: "peers",
      you: expect.stringMatching(PEER_ID),
      call: first.event.call,
      since: first.ack.ts,
      peers: [
        { peer: first.peers.you, user: alice.user, since: first.ack.ts, audio: true, video: true, screen: false },
      ],
    });
    expect(second.peers.you).not.toBe(first.peers.you);
    expect(await framesUntilBarrier(alice)).toEqual([second.event]);
  });

  it("every connection in the room hears the call events, in the call or not, and only the joiner gets `peers`", async () => {
    const room = freshRoom();
    const watcher = await enter(room, { name: "watcher" });
    const alice = await enter(room, { name: "alice" });
    const bob = await enter(room, { name: "bob" });
    await framesUntilBarrier(watcher);
    const start = await joinCall(alice);
    const joined = await joinCall(bob);
    expect(await framesUntilBarrier(watcher)).toEqual([start.event, joined.event]);
  });

  it("two tabs of one person are two peers of the call", async () => {
    const room = freshRoom();
    const tab = await enter(room, { name: "alice" });
    const otherTab = await enter(room, { token: tab.welcome.token });
    const first = await joinCall(tab);
    const second = await joinCall(otherTab);
    expect(second.event).toMatchObject({ action: "join", user: tab.user, participants: 2 });
    expect(second.peers.peers.map((peer) => peer.peer)).toEqual([first.peers.you]);
  });

  it("a join from a connection already in the call is `unchanged`: nothing stored, no `peers`, its media as it was", async () => {
    const room = freshRoom();
    const alice = await enter(room, { name: "alice" });
    await joinCall(alice, { audio: true, video: false });
    const again = await callAttempt(alice, { action: "join", audio: false, video: true }, "join-again");
    expect(again).toEqual({ type: "ack", id: "join-again", unchanged: true });
    expect(await framesUntilBarrier(alice)).toEqual([]);
    expect(await lastSeqOf(room)).toBe(1);
    const newcomer = await enter(room);
    expect(newcomer.welcome.call?.peers).toMatchObject([{ audio: true, video: false }]);
  });

  it("a join resent with the same id is answered with the original ack and stores nothing more", async () => {
    const room = freshRoom();
    const alice = await enter(room, { name: "alice" });
    const first = storedAck(await callAttempt(alice, JOIN, "join-1"));
    await framesUntilBarrier(alice);
    expect(await callAttempt(alice, JOIN, "join-1")).toEqual(first);
    expect(await framesUntilBarrier(alice)).toEqual([]);
    expect(await lastSeqOf(room)).toBe(1);
  });

  it(`a join beyond MAX_CALL_PARTICIPANTS (${DEFAULT_LIMITS.maxCallParticipants}) is limit_reached, naming the limit, and stores nothing`, async () => {
    const room = freshRoom();
    const limit = DEFAULT_LIMITS.maxCallParticipants;
    const names = Array.from({ length: limit }, (_, i) => `p${i + 1}`);
    const participants = Object.values<Participant>(await callWith(room, names));
    const seventh = await enter(room, { name: "seventh" });
    await Promise.all(participants.map(({ client }) => framesUntilBarrier(client)));
    expect(await callAttempt(seventh, JOIN, "one-too-many")).toEqual({
      type: "error",
      code: "limit_reached",
      message: `this call is full: ${limit} people`,
      id: "one-too-many",
    });
    expect(await lastSeqOf(room)).toBe(limit);
    await expectNothingFor(seventh, ...participants.map(({ client }) => client));
  });

  it("a full call takes a newcomer once someone has left", async () => {
    const room = freshRoom();
    const names = Array.from({ length: DEFAULT_LIMITS.maxCallParticipants }, (_, i) => `p${i + 1}`);
    const participants = Object.values<Participant>(await callWith(room, names));
    const late = await enter(room, { name: "late" });
    expect(await callAttempt(late, JOIN)).toMatchObject({ type: "error", code: "limit_reached" });
    const [leaving] = participants;
    if (leaving === undefined) throw new Error("no participant");
    await leaveCall(leaving.client);
    const joined = await joinCall(late);
    expect(joined.event).toMatchObject({ action: "join", participants: DEFAULT_LIMITS.maxCallParticipants });
    expect(joined.peers.peers).toHaveLength(DEFAULT_LIMITS.maxCallParticipants - 1);
  });
});

describe("signals", () => {
  it("reach only the named peer, with the sender's peer id and user", async () => {
    const room = freshRoom();
    const watcher = await enter(room, { name: "watcher" });
    const { alice, bob, carol } = await callWith(room, ["alice", "bob", "carol"]);
    await framesUntilBarrier(watcher);
    alice.client.send(offerTo(bob.peer));
    expect(await nextOf(bob.client, "signal")).toEqual({
      type: "signal",
      from: alice.peer,
      user: alice.user,
      description: { type: "offer", sdp: OFFER_SDP },
    });
    await expectNothingFor(alice.client, bob.client, carol.client, watcher);
  });

  it.each([
    ["an answer", { description: { type: "answer", sdp: OFFER_SDP } }],
    ["a rollback", { description: { type: "rollback", sdp: "" } }],
    [
      "a candidate",
      { candidate: { candidate: HOST_CANDIDATE, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "f7Qz" } },
    ],
    ["a candidate with null fields", { candidate: { candidate: HOST_CANDIDATE, sdpMid: null, sdpMLineIndex: null } }],
    ["the end of candidates", { candidate: { candidate: "" } }],
  ])("carry %s exactly as it was sent", async (_, signal) => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    bob.client.send({ type: "signal", to: alice.peer, ...signal });
    expect(await nextOf(alice.client, "signal")).toStrictEqual({
      type: "signal",
      from: bob.peer,
      user: bob.user,
      ...signal,
    });
  });

  it("from a connection that is not in the call are refused forbidden and reach no one; so are its media", async () => {
    const room = freshRoom();
    const { alice } = await callWith(room, ["alice"]);
    const outsider = await enter(room, { name: "outsider" });
    await framesUntilBarrier(alice.client);
    outsider.send(offerTo(alice.peer));
    expect(await nextOf(outsider, "error")).toEqual({ type: "error", code: "forbidden", message: expect.any(String) });
    outsider.send({ type: "media", audio: true, video: true, screen: false });
    expect(await nextOf(outsider, "error")).toMatchObject({ code: "forbidden" });
    await expectNothingFor(alice.client);
  });

  it("from a connection that has left the call are refused forbidden", async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    await leaveCall(bob.client);
    await framesUntilBarrier(alice.client);
    bob.client.send(offerTo(alice.peer));
    expect(await nextOf(bob.client, "error")).toMatchObject({ code: "forbidden" });
    await expectNothingFor(alice.client);
  });

  it("to a peer id that is not in the call, or no longer, are refused not_found", async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    alice.client.send(offerTo("aaaaaaaa"));
    expect(await nextOf(alice.client, "error")).toEqual({
      type: "error",
      code: "not_found",
      message: expect.any(String),
    });
    await leaveCall(bob.client);
    await framesUntilBarrier(alice.client);
    alice.client.send(candidateTo(bob.peer));
    expect(await nextOf(alice.client, "error")).toMatchObject({ code: "not_found" });
    await expectNothingFor(bob.client);
  });

  it(`are bounded: an sdp over ${FRAME_LIMITS.maxSdpLength} characters or a candidate over ${FRAME_LIMITS.maxCandidateLength} is bad_request and relayed to no one`, async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    const longestSdp = "s".repeat(FRAME_LIMITS.maxSdpLength);
    const longestCandidate = "c".repeat(FRAME_LIMITS.maxCandidateLength);
    for (const frame of [offerTo(bob.peer, `${longestSdp}s`), candidateTo(bob.peer, `${longestCandidate}c`)]) {
      alice.client.send(frame);
      expect(await nextOf(alice.client, "error")).toMatchObject({ code: "bad_request" });
    }
    alice.client.send(offerTo(bob.peer, longestSdp));
    alice.client.send(candidateTo(bob.peer, longestCandidate));
    // Once the sender's barrier is answered the room has handled every signal before it.
    expect(await framesUntilBarrier(alice.client)).toEqual([]);
    const relayed = await framesUntilBarrier(bob.client);
    expect(relayed).toEqual([
      expect.objectContaining({ type: "signal", description: { type: "offer", sdp: longestSdp } }),
      expect.objectContaining({ type: "signal", candidate: expect.objectContaining({ candidate: longestCandidate }) }),
    ]);
  });

  it.each([
    [
      "both a description and a candidate",
      { description: { type: "offer", sdp: OFFER_SDP }, candidate: { candidate: "" } },
    ],
    ["neither a description nor a candidate", {}],
  ])("carrying %s are bad_request and relayed to no one", async (_, payload) => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    alice.client.send({ type: "signal", to: bob.peer, ...payload });
    expect(await nextOf(alice.client, "error")).toMatchObject({ code: "bad_request" });
    await expectNothingFor(bob.client);
  });

  it(`draw on a budget of their own: 100 signals at once all arrive, past the frame burst of ${DEFAULT_LIMITS.frameBurst}`, async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    const count = 100;
    for (let i = 0; i < count; i++)
      alice.client.send(candidateTo(bob.peer, `candidate:${i} 1 udp 1 192.0.2.1 ${i} typ host`));
    // Once the sender's barrier is answered the room has handled every signal before it.
    expect(await framesUntilBarrier(alice.client)).toEqual([]);
    const relayed = await framesUntilBarrier(bob.client);
    expect(relayed.map(candidateText)).toEqual(
      Array.from({ length: count }, (_, i) => `candidate:${i} 1 udp 1 192.0.2.1 ${i} typ host`),
    );
  });

  it(`past SIGNAL_BURST (${DEFAULT_LIMITS.signalBurst}) are refused rate_limited, with when to retry`, async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    const sent = DEFAULT_LIMITS.signalBurst + 40;
    for (let i = 0; i < sent; i++) alice.client.send(candidateTo(bob.peer));
    // Once the sender's barrier is answered the room has handled every signal before it.
    const refusals = await framesUntilBarrier(alice.client);
    const relayed = await framesUntilBarrier(bob.client);
    expect(relayed.length).toBeGreaterThanOrEqual(DEFAULT_LIMITS.signalBurst);
    expect(refusals.length).toBeGreaterThan(0);
    expect(relayed.length + refusals.length).toBe(sent);
    expect(refusals[0]).toEqual({
      type: "error",
      code: "rate_limited",
      message: expect.stringContaining(String(DEFAULT_LIMITS.signalRatePerSecond)),
      retryAfter: expect.any(Number),
    });
    expect(relayed.every((frame) => frame.type === "signal")).toBe(true);
  });
});

describe("media", () => {
  it("a change reaches the other participants only, and is not stored", async () => {
    const room = freshRoom();
    const watcher = await enter(room, { name: "watcher" });
    const { alice, bob, carol } = await callWith(room, ["alice", "bob", "carol"]);
    await framesUntilBarrier(watcher);
    const lastSeq = await lastSeqOf(room);
    alice.client.send({ type: "media", audio: false, video: true, screen: true });
    const change = { type: "media", peer: alice.peer, audio: false, video: true, screen: true };
    expect(await nextOf(bob.client, "media")).toEqual(change);
    expect(await nextOf(carol.client, "media")).toEqual(change);
    await expectNothingFor(alice.client, watcher);
    expect(await lastSeqOf(room)).toBe(lastSeq);
  });

  it("shows as it is now in a newcomer's welcome and in a later joiner's `peers`", async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    alice.client.send({ type: "media", audio: false, video: true, screen: true });
    await nextOf(bob.client, "media");
    const dave = await enter(room, { name: "dave" });
    const call = dave.welcome.call;
    expect(call).toEqual({
      call: expect.stringMatching(PEER_ID),
      since: expect.any(Number),
      peers: [
        { peer: alice.peer, user: alice.user, since: call?.since, audio: false, video: true, screen: true },
        { peer: bob.peer, user: bob.user, since: expect.any(Number), audio: true, video: false, screen: false },
      ],
    });
    const { peers } = await joinCall(dave);
    expect(peers).toEqual({ type: "peers", you: expect.stringMatching(PEER_ID), ...call });
  });
});

describe("leaving a call", () => {
  it("a leave stores `leave`; the last leave stores `end` with no participants, and the call is over", async () => {
    const room = freshRoom();
    const watcher = await enter(room, { name: "watcher" });
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    await framesUntilBarrier(watcher);
    const { call } = alice;
    const left = await leaveCall(bob.client);
    expect(left).toEqual({
      type: "call",
      seq: 3,
      ts: expect.any(Number),
      user: bob.user,
      action: "leave",
      call,
      peer: bob.peer,
      participants: 1,
    });
    const ended = await leaveCall(alice.client);
    expect(ended).toEqual({
      ...left,
      seq: 4,
      ts: ended.ts,
      user: alice.user,
      action: "end",
      peer: alice.peer,
      participants: 0,
    });
    expect(await framesUntilBarrier(watcher)).toEqual([left, ended]);
    expect((await enter(room)).welcome).not.toHaveProperty("call");
  });

  it("a join after the end starts a new call", async () => {
    const room = freshRoom();
    const alice = await enter(room, { name: "alice" });
    const first = await joinCall(alice);
    await leaveCall(alice);
    const next = await joinCall(alice);
    expect(next.event).toMatchObject({ action: "start", participants: 1 });
    expect(next.event.call).not.toBe(first.event.call);
    expect(next.peers.peers).toEqual([]);
  });

  it("closing a socket leaves the call: the others hear `leave`, and at the last one everyone hears `end`", async () => {
    const room = freshRoom();
    const watcher = await enter(room, { name: "watcher" });
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    await framesUntilBarrier(watcher);
    const { call } = alice;
    bob.client.close();
    expect(await nextOf(alice.client, "call")).toEqual({
      type: "call",
      seq: 3,
      ts: expect.any(Number),
      user: bob.user,
      action: "leave",
      call,
      peer: bob.peer,
      participants: 1,
    });
    expect(await waitForOf(watcher, "call")).toMatchObject({ action: "leave", peer: bob.peer });
    alice.client.close();
    expect(await waitForOf(watcher, "call")).toMatchObject({
      action: "end",
      user: alice.user,
      call,
      peer: alice.peer,
      participants: 0,
    });
    expect((await enter(room)).welcome).not.toHaveProperty("call");
  });

  it("a leave from a connection not in the call is `unchanged` and stores nothing", async () => {
    const room = freshRoom();
    const { alice } = await callWith(room, ["alice"]);
    const outsider = await enter(room, { name: "outsider" });
    await framesUntilBarrier(alice.client);
    expect(await callAttempt(outsider, { action: "leave" }, "leave-1")).toEqual({
      type: "ack",
      id: "leave-1",
      unchanged: true,
    });
    expect(await lastSeqOf(room)).toBe(1);
    await expectNothingFor(alice.client, outsider);
  });
});

describe("after the room is evicted from memory", () => {
  it("a newcomer's welcome still shows the call, and signals still relay between the open sockets", async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    bob.client.send({ type: "media", audio: false, video: true, screen: false });
    await nextOf(alice.client, "media");
    const before = (await enter(room)).welcome.call;
    await evictDurableObject(roomStub(room));
    const carol = await enter(room, { name: "carol" });
    expect(carol.welcome.call).toEqual({ ...before, peers: expect.any(Array) });
    expect(byPeerId(carol.welcome.call?.peers ?? [])).toEqual(byPeerId(before?.peers ?? []));
    expect(carol.welcome.call?.peers.find((peer) => peer.peer === bob.peer)).toMatchObject({ video: true });
    await evictDurableObject(roomStub(room));
    alice.client.send(offerTo(bob.peer));
    expect(await waitForOf(bob.client, "signal")).toMatchObject({ from: alice.peer, user: alice.user });
    bob.client.send({ type: "signal", to: alice.peer, description: { type: "answer", sdp: OFFER_SDP } });
    expect(await waitForOf(alice.client, "signal")).toMatchObject({ from: bob.peer, description: { type: "answer" } });
  });

  it("joins and closes carry on: a joiner sees everyone, and a close leaves the call", async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    await evictDurableObject(roomStub(room));
    const carol = await enter(room, { name: "carol" });
    const joined = await joinCall(carol);
    expect(joined.event).toMatchObject({ action: "join", participants: 3, seq: 3 });
    expect(joined.peers.peers.map((peer) => peer.peer).sort()).toEqual([alice.peer, bob.peer].sort());
    bob.client.close();
    expect(await waitForOf(alice.client, "call")).toMatchObject({ action: "join", peer: joined.peers.you });
    expect(await waitForOf(alice.client, "call")).toMatchObject({ action: "leave", peer: bob.peer, participants: 2 });
  });

  it("a socket that closes while the room is out of memory leaves the call: the others hear `leave`", async () => {
    const room = freshRoom();
    const { alice, bob } = await callWith(room, ["alice", "bob"]);
    await evictDurableObject(roomStub(room));
    bob.client.close();
    expect(await waitForOf(alice.client, "call")).toMatchObject({
      action: "leave",
      user: bob.user,
      peer: bob.peer,
      participants: 1,
    });
  });

  it("when the last participant's socket closes while the room is out of memory, the call ends", async () => {
    const room = freshRoom();
    const watcher = await enter(room, { name: "watcher" });
    const { alice } = await callWith(room, ["alice"]);
    await framesUntilBarrier(watcher);
    await evictDurableObject(roomStub(room));
    alice.client.close();
    expect(await waitForOf(watcher, "call")).toMatchObject({ action: "end", peer: alice.peer, participants: 0 });
    expect((await enter(room)).welcome).not.toHaveProperty("call");
  });
});

describe("a resume", () => {
  it("replays the call's events after `since`, in order", async () => {
    const room = freshRoom();
    const alice = await enter(room, { name: "alice" });
    const bob = await enter(room, { name: "bob" });
    await sendAndAck(alice, "m1", "call in a minute");
    const start = await joinCall(alice);
    const join = await joinCall(bob);
    const leave = await leaveCall(bob);
    const end = await leaveCall(alice);
    const resumed = await enter(room, { since: 1 });
    expect(resumed.welcome.history).toEqual([start.event, join.event, leave, end]);
    expect(resumed.welcome.history.map((event) => event.seq)).toEqual([2, 3, 4, 5]);
  });
});

describe("in a room with owners", () => {
  it.each([
    ["a guest, while only members write", "guest", { write: "members" }, "forbidden"],
    ["a member, while only members write", "member", { write: "members" }, "stored"],
    ["a reader", "reader", {}, "forbidden"],
    ["a member, while the room is locked", "member", { locked: true }, "forbidden"],
    ["a moderator, while the room is locked", "moderator", { locked: true }, "stored"],
    ["a guest, while anyone writes", "guest", {}, "stored"],
  ] as const)("joining follows the write rules: %s", async (_, role, settings, outcome) => {
    const { room, owner } = await ownedRoom();
    const person = await personAs(room, owner, role);
    if (Object.keys(settings).length > 0) await changeSettings(owner, settings);
    const before = await lastSeqOf(room);
    const answer = await callAttempt(person, JOIN, "join-1");
    if (outcome === "forbidden") {
      expect(answer).toEqual({ type: "error", code: "forbidden", message: expect.stringMatching(/\S/), id: "join-1" });
      expect(await lastSeqOf(room)).toBe(before);
      await expectNothingFor(person);
    } else {
      expect(answer).toMatchObject({ type: "ack", id: "join-1", seq: before + 1 });
    }
  });

  it("a muted user may not join", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    await moderate(owner, "mute", member, { duration: 60_000 });
    const before = await lastSeqOf(room);
    expect(await callAttempt(member, JOIN, "join-1")).toMatchObject({ type: "error", code: "forbidden", id: "join-1" });
    expect(await lastSeqOf(room)).toBe(before);
  });

  it("a participant a moderator kicks leaves the call, and the others hear `leave`", async () => {
    const { room, owner } = await ownedRoom();
    const member = await personAs(room, owner, "member");
    await joinCall(owner);
    const { peers } = await joinCall(member);
    await framesUntilBarrier(owner);
    await moderate(owner, "kick", member);
    expect(await waitForOf(owner, "call")).toMatchObject({
      action: "leave",
      user: member.user,
      peer: peers.you,
      participants: 1,
    });
  });
});

/** The candidate text of a relayed signal; fails on any other frame. */
function candidateText(frame: ServerFrame): string {
  if (frame.type !== "signal" || !("candidate" in frame))
    throw new Error(`expected a candidate, got ${JSON.stringify(frame)}`);
  return frame.candidate.candidate;
}
