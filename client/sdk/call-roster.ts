import type {
  CallEventFrame,
  CallState,
  MediaState,
  Peer,
  PeerMediaFrame,
  PeersFrame,
  User,
} from "../../protocol/frames.ts";

const NO_MEDIA: MediaState = { audio: false, video: false, screen: false };

/**
 * Who is in a room's call, as one connection learns it: the call a welcome
 * finds on, then the log's `call` events after it (a join names the peer,
 * a leave takes it away, the end takes the call), the `peers` frame when
 * this connection is seated, and each participant's `media`. A call event
 * does not say what a newcomer sends, so a newcomer is shown sending
 * nothing until its first `media` frame.
 */
export class CallRoster {
  #call: { call: string; since: number; peers: Map<string, Peer> } | null = null;
  /** The seq the last welcome's call is as of: a call event up to it is already in that call. */
  #asOf = 0;

  /** The call, whoever is in it; null when none is on. */
  get state(): CallState | null {
    const call = this.#call;
    return call === null ? null : { call: call.call, since: call.since, peers: [...call.peers.values()] };
  }

  get(peer: string): Peer | undefined {
    return this.#call?.peers.get(peer);
  }

  /** A welcome's call, as of its `lastSeq`. */
  welcomed(call: CallState | null, asOf: number): void {
    this.#asOf = asOf;
    this.#call = call === null ? null : { ...call, peers: new Map(call.peers.map((peer) => [peer.peer, peer])) };
  }

  /** Applies an event of the log; returns the peer that left, if one did. */
  event(event: CallEventFrame): string | null {
    // A resume replays the events since the last link; the welcome's call already holds those up to its lastSeq.
    if (event.seq <= this.#asOf) return null;
    const { action, peer } = event;
    if (action === "end") this.#call = null;
    else if (action === "start" || this.#call === null || this.#call.call !== event.call) {
      this.#call = { call: event.call, since: event.ts, peers: new Map() };
    }
    if (peer === undefined) return null;
    if (action === "start" || action === "join") {
      this.arrived(peer, event.user, event.ts);
      return null;
    }
    this.#call?.peers.delete(peer);
    return peer;
  }

  /** This connection was seated: the call is the one the room names, with whoever it says is in it and this connection. */
  seated(frame: PeersFrame): void {
    const peers = new Map(frame.peers.map((peer) => [peer.peer, peer]));
    const own = this.#call?.peers.get(frame.you);
    if (own !== undefined) peers.set(own.peer, own);
    this.#call = { call: frame.call, since: frame.since, peers };
  }

  /** A participant whose join event has not come yet (its offer came first), or one that just joined. */
  arrived(peer: string, user: User, since: number): void {
    if (this.#call !== null && !this.#call.peers.has(peer)) {
      this.#call.peers.set(peer, { peer, user, since, ...NO_MEDIA });
    }
  }

  /** A participant's media changed: theirs as the room relays it, or this connection's own as it sends it. */
  media({ peer, audio, video, screen }: Omit<PeerMediaFrame, "type">): void {
    const known = this.#call?.peers.get(peer);
    if (known !== undefined) Object.assign(known, { audio, video, screen });
  }
}
