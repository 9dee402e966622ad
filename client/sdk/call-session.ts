/**
 * One connection's part in a room's call (docs/protocol.md, Calls): it
 * joins and leaves with ids, keeps who is in the call and what each sends,
 * opens a PeerLink to every other participant (the newcomer offers to each
 * of the `peers` it is given; the others answer), carries each link's
 * descriptions and candidates through `signal` frames, and tells the others
 * when this person's media change. It speaks to the room through a
 * CallLink, so that any connection can carry it: the web client wires it to
 * a RoomConnection.
 *
 * A participant is a connection: when the room connection drops, the room
 * lets this one leave, so each welcome after the first starts over, and a
 * person who meant to be in the call joins again with a new peer id.
 */
import type {
  CallState,
  ClientFrame,
  ErrorCode,
  MediaState,
  PeersFrame,
  RelayedSignalFrame,
  ServerFrame,
  User,
} from "../../protocol/frames.ts";
import type { LocalMedia } from "./call-media.ts";
import { PeerLink } from "./call-peer.ts";
import { CallRoster } from "./call-roster.ts";
import { Emitter } from "./emitter.ts";

/** What a call session needs of a room connection. */
export interface CallLink {
  /** Sends a frame now; one sent while the link is down is lost, and the session makes up for it on the next welcome. */
  send(frame: ClientFrame): void;
  /**
   * Calls `handler` with the room's frames a call needs, as parsed: each
   * welcome once the link is up (a join can be sent), the `call` events of
   * the log in `seq` order, `peers`, `media` and `signal`, and refusals.
   * Returns the function that stops it.
   */
  subscribe(handler: (frame: ServerFrame) => void): () => void;
  /** The STUN and TURN servers for this room's calls (`GET /api/rooms/:room/ice`). */
  iceServers(): Promise<RTCIceServer[]>;
}

/** `out` of the call, `joining` it (the room has not answered yet), or `in` it. */
export type CallPhase = "out" | "joining" | "in";

/** Another participant, as this person sees and hears them. */
export interface RemotePeer {
  peer: string;
  user: User;
  media: MediaState;
  stream: MediaStream;
  state: RTCPeerConnectionState;
}

export interface CallSessionEvents {
  /** Who is in the call, this person's part in it, or a peer's media or connection changed. */
  changed: undefined;
  /** The room refused to let this person join (a full call, or a room where they may not write). */
  refused: { code: ErrorCode; message: string };
}

export interface CallSessionOptions {
  /** Frames the room sent since its last welcome, before the session existed; applied first, in order. */
  earlier?: readonly ServerFrame[];
  newId?: () => string;
}

/** What a mesh gives each peer of an uplink of about 2.5 Mbit/s, between a floor and a ceiling. */
function videoBitrateFor(peers: number): number {
  return Math.min(1_500_000, Math.max(250_000, Math.round(2_500_000 / Math.max(1, peers))));
}

const NO_MEDIA: MediaState = { audio: false, video: false, screen: false };

export class CallSession {
  readonly #link: CallLink;
  readonly #media: LocalMedia;
  readonly #events = new Emitter<CallSessionEvents>();
  readonly #newId: () => string;
  readonly #stop: (() => void)[] = [];
  readonly #roster = new CallRoster();
  #phase: CallPhase = "out";
  /** Whether the person means to be in the call: a dropped link then joins again. */
  #wanted = false;
  #me: string | null = null;
  #joinId: string | null = null;
  #iceServers: Promise<RTCIceServer[]> = Promise.resolve([]);
  /** The ICE servers of this join, once fetched: every link of it uses them. */
  #iceList: RTCIceServer[] = [];
  /** Signals that came while the join was being answered; applied once it is. */
  #early: RelayedSignalFrame[] = [];
  readonly #links = new Map<string, PeerLink>();
  #sent: MediaState = NO_MEDIA;

  constructor(link: CallLink, media: LocalMedia, options: CallSessionOptions = {}) {
    this.#link = link;
    this.#media = media;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    for (const frame of options.earlier ?? []) this.#received(frame);
    this.#stop.push(
      link.subscribe((frame) => this.#received(frame)),
      media.onChange(() => this.#mediaChanged()),
    );
    // The device's network changed: a window that comes back online, a connection whose type changed.
    const restart = () => this.restartIce();
    for (const source of [globalThis, Reflect.get(navigator, "connection")]) {
      if (!(source instanceof EventTarget)) continue;
      const event = source === globalThis ? "online" : "change";
      source.addEventListener(event, restart);
      this.#stop.push(() => source.removeEventListener(event, restart));
    }
  }

  get phase(): CallPhase {
    return this.#phase;
  }

  /** This connection's peer id while it is in the call. */
  get peer(): string | null {
    return this.#me;
  }

  /** The room's call, whoever is in it (this person too, once in); null when none is on. */
  get call(): CallState | null {
    return this.#roster.state;
  }

  /** The other participants this person is connected to, in the order they were reached. */
  get remotes(): RemotePeer[] {
    return [...this.#links.values()].map((link) => {
      const peer = this.#roster.get(link.peer);
      return {
        peer: link.peer,
        user: peer?.user ?? { id: "", name: "…" },
        media: peer ?? NO_MEDIA,
        stream: link.stream,
        state: link.connection.connectionState,
      };
    });
  }

  /** Each peer's connection, by peer id: for getStats (call-stats.ts). */
  get connections(): ReadonlyMap<string, RTCPeerConnection> {
    return new Map([...this.#links].map(([peer, link]) => [peer, link.connection]));
  }

  on<K extends keyof CallSessionEvents>(type: K, handler: (payload: CallSessionEvents[K]) => void): () => void {
    return this.#events.on(type, handler);
  }

  /**
   * Joins the call, or starts one, and again after each reconnect until
   * `leave`. `intent` is the media the person is opening (default: what is
   * open now): the join need not wait for the camera, as the tracks join
   * the connections whenever they come.
   */
  join(intent?: { audio: boolean; video: boolean }): void {
    this.#wanted = true;
    this.#sendJoin(intent);
  }

  /** Leaves the call; the connections to the others close. */
  leave(): void {
    this.#wanted = false;
    if (this.#phase !== "out") this.#link.send({ type: "call", id: this.#newId(), action: "leave" });
    this.#reset();
  }

  /** Restarts ICE on every connection: the network changed. */
  restartIce(): void {
    for (const link of this.#links.values()) link.restartIce();
  }

  /** Leaves the call and stops listening to the room. */
  close(): void {
    this.leave();
    for (const stop of this.#stop.splice(0)) stop();
  }

  #sendJoin(intent: { audio: boolean; video: boolean } = this.#media.state): void {
    if (this.#phase !== "out") return;
    this.#phase = "joining";
    this.#joinId = this.#newId();
    this.#iceServers = this.#link.iceServers().catch((error: unknown) => {
      console.warn("call: no ICE servers; only peers on this network can be reached", error);
      return [];
    });
    const { audio, video } = intent;
    this.#link.send({ type: "call", id: this.#joinId, action: "join", audio, video });
    this.#changed();
  }

  #received(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        this.#welcomed(frame.call ?? null, frame.lastSeq);
        break;
      case "call": {
        const left = this.#roster.event(frame);
        if (left !== null) this.#left(left);
        this.#changed();
        break;
      }
      case "peers":
        void this.#joined(frame);
        break;
      case "media":
        this.#roster.media(frame);
        this.#changed();
        break;
      case "signal":
        this.#signal(frame);
        break;
      case "error":
        if (frame.id !== undefined && frame.id === this.#joinId) this.#refused(frame.code, frame.message);
        break;
      default:
        break;
    }
  }

  /** A new link: the room let this connection's old seat go with the old link, so a wanted call is joined again. */
  #welcomed(call: CallState | null, asOf: number): void {
    this.#reset();
    this.#roster.welcomed(call, asOf);
    if (this.#wanted) this.#sendJoin();
    this.#changed();
  }

  /** A participant left: its connection closes; if it was this one (the room let it go), the session is out. */
  #left(peer: string): void {
    this.#links.get(peer)?.close();
    this.#links.delete(peer);
    if (peer === this.#me) this.#reset();
    this.#limitVideo();
  }

  /** The room seated this connection: it offers to everyone already in the call, and says what it sends. */
  async #joined(frame: PeersFrame): Promise<void> {
    if (this.#phase !== "joining") return;
    const joinId = this.#joinId;
    const iceServers = await this.#iceServers;
    if (this.#phase !== "joining" || this.#joinId !== joinId) return;
    this.#phase = "in";
    this.#me = frame.you;
    this.#roster.seated(frame);
    this.#iceList = iceServers;
    for (const peer of frame.peers) this.#open(peer.peer, true);
    this.#sendMedia();
    for (const signal of this.#early.splice(0)) this.#signal(signal);
    this.#changed();
  }

  #signal(frame: RelayedSignalFrame): void {
    if (this.#phase === "joining") this.#early.push(frame);
    if (this.#phase !== "in") return;
    const signal = "description" in frame ? { description: frame.description } : { candidate: frame.candidate };
    const link = this.#links.get(frame.from);
    if (link !== undefined) {
      link.receive(signal);
    } else if ("description" in signal && signal.description.type === "offer") {
      // A newcomer's first offer; the room seated them, though their join event may not have come yet.
      this.#roster.arrived(frame.from, frame.user, Date.now());
      this.#open(frame.from, false).receive(signal);
    }
  }

  #open(peer: string, offers: boolean): PeerLink {
    const me = this.#me ?? "";
    const link = new PeerLink({
      peer,
      polite: me < peer,
      offers,
      iceServers: this.#iceList,
      tracks: this.#media.outgoing,
      send: (signal) => this.#link.send({ type: "signal", to: peer, ...signal }),
      changed: () => this.#changed(),
    });
    this.#links.set(peer, link);
    this.#limitVideo();
    return link;
  }

  #mediaChanged(): void {
    for (const link of this.#links.values()) link.setTracks(this.#media.outgoing);
    if (this.#phase === "in") this.#sendMedia();
    this.#changed();
  }

  /** Tells the others what this person sends now, when it changed: the join event does not say. */
  #sendMedia(): void {
    const state = this.#media.state;
    if (this.#me !== null) this.#roster.media({ peer: this.#me, ...state });
    if (sameMedia(state, this.#sent)) return;
    this.#sent = state;
    this.#link.send({ type: "media", ...state });
  }

  #limitVideo(): void {
    const bitrate = videoBitrateFor(this.#links.size);
    for (const link of this.#links.values()) link.limitVideo(bitrate);
  }

  #refused(code: ErrorCode, message: string): void {
    this.#wanted = false;
    this.#reset();
    this.#events.emit("refused", { code, message });
    this.#changed();
  }

  /** Out of the call: every connection to a peer closes. */
  #reset(): void {
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
    this.#early = [];
    this.#phase = "out";
    this.#me = null;
    this.#joinId = null;
    this.#sent = NO_MEDIA;
    this.#changed();
  }

  #changed(): void {
    this.#events.emit("changed", undefined);
  }
}

function sameMedia(a: MediaState, b: MediaState): boolean {
  return a.audio === b.audio && a.video === b.video && a.screen === b.screen;
}
