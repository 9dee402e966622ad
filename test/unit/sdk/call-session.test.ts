/**
 * A call session's side of the contract (docs/protocol.md, "## Calls"),
 * over a fake room link and fake RTCPeerConnections that record what the
 * session asks of them: the join and leave it sends, the offers a newcomer
 * makes to each of its `peers`, the answers to a newcomer, perfect
 * negotiation's polite and impolite sides, a refused join, a rejoin after
 * the link drops, and the connections that close when a peer leaves.
 * The browser test (test/e2e/browser-calls.test.ts) shows media flowing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalMedia } from "../../../client/sdk/call-media.ts";
import { type CallLink, CallSession } from "../../../client/sdk/call-session.ts";
import type { ClientFrame, Peer, ServerFrame } from "../../../protocol/frames.ts";

const ME = "mmmmmmmm";
const ALICE = { id: "alice-id", name: "alice" };
const BOB = { id: "bob-id", name: "bob" };
const ICE = [{ urls: "stun:stun.example.com" }];

/** Just enough of an RTCPeerConnection for the session: descriptions, transceivers, candidates, closing. */
class FakePeerConnection extends EventTarget {
  static made: FakePeerConnection[] = [];
  readonly configuration: RTCConfiguration;
  connectionState = "new";
  iceConnectionState = "new";
  signalingState = "stable";
  localDescription: { type: string; sdp: string } | null = null;
  readonly transceivers: { direction: string; receiver: { track: { kind: string } }; sender: FakeSender }[] = [];
  readonly candidates: unknown[] = [];
  restarts = 0;
  #negotiationDue = false;

  constructor(configuration: RTCConfiguration) {
    super();
    this.configuration = configuration;
    FakePeerConnection.made.push(this);
  }

  addTransceiver(kind: string, init: { direction: string }): void {
    this.#transceiver(kind, init.direction);
    // The browser fires one negotiationneeded for the changes made in one task.
    if (this.#negotiationDue) return;
    this.#negotiationDue = true;
    queueMicrotask(() => {
      this.#negotiationDue = false;
      this.dispatchEvent(new Event("negotiationneeded"));
    });
  }

  getTransceivers() {
    return this.transceivers;
  }

  async setLocalDescription(): Promise<void> {
    const type = this.signalingState === "have-remote-offer" ? "answer" : "offer";
    this.localDescription = { type, sdp: `v=0 ${type}` };
    this.signalingState = type === "offer" ? "have-local-offer" : "stable";
  }

  async setRemoteDescription(description: { type: string }): Promise<void> {
    if (description.type !== "offer") {
      this.signalingState = "stable";
      return;
    }
    this.signalingState = "have-remote-offer";
    if (this.transceivers.length === 0) for (const kind of ["audio", "video"]) this.#transceiver(kind, "recvonly");
  }

  async addIceCandidate(candidate: unknown): Promise<void> {
    this.candidates.push(candidate);
  }

  restartIce(): void {
    this.restarts += 1;
  }

  close(): void {
    this.connectionState = "closed";
    this.signalingState = "closed";
  }

  #transceiver(kind: string, direction: string): void {
    this.transceivers.push({ direction, receiver: { track: { kind } }, sender: new FakeSender() });
  }
}

class FakeSender {
  track: unknown = null;
  async replaceTrack(track: unknown): Promise<void> {
    this.track = track;
  }
  getParameters() {
    return { encodings: [] };
  }
}

class FakeMediaStream {
  readonly #tracks: unknown[] = [];
  addTrack(track: unknown): void {
    this.#tracks.push(track);
  }
  getTracks(): unknown[] {
    return [...this.#tracks];
  }
}

/** A room link that records what is sent, and a way to send the session the room's frames. */
function fakeRoom() {
  const sent: ClientFrame[] = [];
  let handler: ((frame: ServerFrame) => void) | null = null;
  const link: CallLink = {
    send: (frame) => sent.push(frame),
    subscribe: (next) => {
      handler = next;
      return () => {
        handler = null;
      };
    },
    iceServers: async () => ICE,
  };
  return {
    link,
    sent,
    receive: async (frame: ServerFrame) => {
      handler?.(frame);
      await settled();
    },
    /** The signals sent to `peer`, as `offer`, `answer` or `candidate`. */
    signalsTo: (peer: string) =>
      sent.flatMap((frame) =>
        frame.type === "signal" && frame.to === peer
          ? ["description" in frame ? frame.description.type : "candidate"]
          : [],
      ),
  };
}

/** Lets the session's promises (ICE servers, descriptions) run. */
async function settled(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
}

function peerOf(peer: string, user = BOB): Peer {
  return { peer, user, since: 1000, audio: true, video: true, screen: false };
}

function welcome(call?: { call: string; since: number; peers: Peer[] }): ServerFrame {
  return {
    type: "welcome",
    room: "r",
    you: ALICE,
    token: "t",
    online: [ALICE],
    onlineCount: 1,
    lastSeq: 0,
    history: [],
    ...(call === undefined ? {} : { call }),
  };
}

/** A session that has joined and been seated as ME, with `others` already in the call. */
async function seated(others: Peer[] = [], options: { newId?: () => string } = {}) {
  const room = fakeRoom();
  let ids = 0;
  const session = new CallSession(room.link, new LocalMedia(), { newId: options.newId ?? (() => `id-${++ids}`) });
  session.join();
  await room.receive({ type: "peers", you: ME, call: "c4llc4ll", since: 1000, peers: others });
  return { room, session };
}

beforeEach(() => {
  FakePeerConnection.made = [];
  vi.stubGlobal("RTCPeerConnection", FakePeerConnection);
  vi.stubGlobal("MediaStream", FakeMediaStream);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("joining a call", () => {
  it("sends a join with what the person sends, and is joining until the room seats it", () => {
    const room = fakeRoom();
    const session = new CallSession(room.link, new LocalMedia(), { newId: () => "join-1" });
    session.join();
    expect(room.sent).toEqual([{ type: "call", id: "join-1", action: "join", audio: false, video: false }]);
    expect(session.phase).toBe("joining");
  });

  it("offers to each of the peers the room names, with the room's ICE servers", async () => {
    const { room, session } = await seated([peerOf("bbbbbbbb"), peerOf("cccccccc", ALICE)]);
    expect(session.phase).toBe("in");
    expect(session.peer).toBe(ME);
    expect(room.signalsTo("bbbbbbbb")).toEqual(["offer"]);
    expect(room.signalsTo("cccccccc")).toEqual(["offer"]);
    expect(FakePeerConnection.made.map((connection) => connection.configuration.iceServers)).toEqual([ICE, ICE]);
    expect(session.remotes.map((remote) => remote.user.name)).toEqual(["bob", "alice"]);
  });

  it("answers a newcomer's offer on a connection of its own, sending on the transceivers the offer made", async () => {
    const { room, session } = await seated();
    await room.receive({ type: "signal", from: "dddddddd", user: BOB, description: { type: "offer", sdp: "v=0" } });
    expect(room.signalsTo("dddddddd")).toEqual(["answer"]);
    const [connection] = FakePeerConnection.made;
    expect(connection?.transceivers.map((transceiver) => transceiver.direction)).toEqual(["sendrecv", "sendrecv"]);
    expect(session.remotes.map((remote) => remote.peer)).toEqual(["dddddddd"]);
  });

  it("applies the signals that came while the room was seating it, once seated", async () => {
    const room = fakeRoom();
    const session = new CallSession(room.link, new LocalMedia());
    session.join();
    await room.receive({ type: "signal", from: "eeeeeeee", user: BOB, description: { type: "offer", sdp: "v=0" } });
    expect(room.signalsTo("eeeeeeee")).toEqual([]);
    await room.receive({ type: "peers", you: ME, call: "c4llc4ll", since: 1000, peers: [] });
    expect(room.signalsTo("eeeeeeee")).toEqual(["answer"]);
  });

  it("says why the room refused the join, and does not try again on the next link", async () => {
    const room = fakeRoom();
    const session = new CallSession(room.link, new LocalMedia(), { newId: () => "join-1" });
    const refusals: string[] = [];
    session.on("refused", ({ code }) => refusals.push(code));
    session.join();
    await room.receive({ type: "error", code: "limit_reached", message: "this call is full: 6 people", id: "join-1" });
    expect(refusals).toEqual(["limit_reached"]);
    expect(session.phase).toBe("out");
    await room.receive(welcome());
    expect(room.sent.filter((frame) => frame.type === "call")).toHaveLength(1);
  });
});

describe("perfect negotiation", () => {
  it("the polite side (the lower peer id) takes the other's offer when both offer at once", async () => {
    // ME is the newcomer and offered to zzzzzzzz, whose id is higher: ME is polite.
    const { room } = await seated([peerOf("zzzzzzzz")]);
    await room.receive({ type: "signal", from: "zzzzzzzz", user: BOB, description: { type: "offer", sdp: "v=0" } });
    expect(room.signalsTo("zzzzzzzz")).toEqual(["offer", "answer"]);
  });

  it("the impolite side (the higher peer id) ignores the other's offer and keeps its own", async () => {
    const { room } = await seated([peerOf("aaaaaaaa")]);
    await room.receive({ type: "signal", from: "aaaaaaaa", user: BOB, description: { type: "offer", sdp: "v=0" } });
    expect(room.signalsTo("aaaaaaaa")).toEqual(["offer"]);
  });
});

describe("in a call", () => {
  it("shows a peer's media as the room relays it", async () => {
    const { room, session } = await seated([peerOf("bbbbbbbb")]);
    await room.receive({ type: "media", peer: "bbbbbbbb", audio: false, video: false, screen: true });
    expect(session.remotes[0]?.media).toMatchObject({ audio: false, video: false, screen: true });
  });

  it("closes the connection of a peer that leaves, and keeps the others", async () => {
    const { room, session } = await seated([peerOf("bbbbbbbb"), peerOf("cccccccc")]);
    await room.receive({
      type: "call",
      seq: 5,
      ts: 2000,
      user: BOB,
      action: "leave",
      call: "c4llc4ll",
      peer: "bbbbbbbb",
      participants: 2,
    });
    expect(FakePeerConnection.made.map((connection) => connection.connectionState)).toEqual(["closed", "new"]);
    expect(session.remotes.map((remote) => remote.peer)).toEqual(["cccccccc"]);
  });

  it("joins again with a new id when a new link opens, closing the old connections", async () => {
    let ids = 0;
    const { room, session } = await seated([peerOf("bbbbbbbb")], { newId: () => `id-${++ids}` });
    await room.receive(welcome({ call: "c4llc4ll", since: 1000, peers: [peerOf("bbbbbbbb")] }));
    expect(FakePeerConnection.made[0]?.connectionState).toBe("closed");
    expect(session.phase).toBe("joining");
    expect(room.sent.filter((frame) => frame.type === "call")).toEqual([
      { type: "call", id: "id-1", action: "join", audio: false, video: false },
      { type: "call", id: "id-2", action: "join", audio: false, video: false },
    ]);
  });

  it("restarts ICE on every connection when asked (a network change)", async () => {
    const { session } = await seated([peerOf("bbbbbbbb"), peerOf("cccccccc")]);
    session.restartIce();
    expect(FakePeerConnection.made.map((connection) => connection.restarts)).toEqual([1, 1]);
  });

  it("leaves with a frame of its own, and every connection closes", async () => {
    let ids = 0;
    const { room, session } = await seated([peerOf("bbbbbbbb")], { newId: () => `id-${++ids}` });
    session.leave();
    expect(room.sent.at(-1)).toEqual({ type: "call", id: "id-2", action: "leave" });
    expect(session.phase).toBe("out");
    expect(FakePeerConnection.made[0]?.connectionState).toBe("closed");
    await room.receive(welcome());
    expect(room.sent.filter((frame) => frame.type === "call")).toHaveLength(2);
  });
});

describe("a session that starts late", () => {
  it("takes the room's call from what the room sent before it existed", () => {
    const room = fakeRoom();
    const session = new CallSession(room.link, new LocalMedia(), {
      earlier: [welcome({ call: "c4llc4ll", since: 1000, peers: [peerOf("bbbbbbbb")] })],
    });
    expect(session.call?.peers.map((peer) => peer.user.name)).toEqual(["bob"]);
    expect(session.phase).toBe("out");
    expect(room.sent).toEqual([]);
  });
});
