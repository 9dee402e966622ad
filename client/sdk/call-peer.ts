import type { IceCandidate, SessionDescription } from "../../protocol/frames.ts";

/** What one side of a peer connection sends the other, through the room: a description or an ICE candidate. */
export type PeerSignal = { description: SessionDescription } | { candidate: IceCandidate };

/** What this person sends every peer: the microphone, and the camera or a shared screen. */
export interface OutgoingTracks {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
}

export interface PeerLinkOptions {
  peer: string;
  /** Whether this side gives way when both sides offer at once: the side with the lower peer id. */
  polite: boolean;
  /** Whether this side makes the first offer: a newcomer offers to everyone already in the call. */
  offers: boolean;
  iceServers: RTCIceServer[];
  tracks: OutgoingTracks;
  send(signal: PeerSignal): void;
  /** The peer's tracks or the connection's state changed. */
  changed(): void;
}

/** How long ICE may stay `disconnected` before it is restarted; a brief loss of packets recovers on its own. */
const DISCONNECTED_GRACE_MS = 4000;

/**
 * One RTCPeerConnection of the mesh, to one peer, negotiated the "perfect
 * negotiation" way (https://developer.mozilla.org/docs/Web/API/WebRTC_API/Perfect_negotiation):
 * either side may offer whenever it needs to (an ICE restart); when both
 * do at once the polite side rolls its own offer back and answers.
 *
 * The offerer opens exactly two transceivers, audio then video, and the
 * answerer sends on the ones the offer made. Turning the camera off, muting
 * or sharing a screen replaces a sender's track and never renegotiates, so
 * an established call sends descriptions only for an ICE restart.
 */
export class PeerLink {
  readonly peer: string;
  readonly connection: RTCPeerConnection;
  /** What the peer sends: its microphone and its camera or screen, as tracks arrive. */
  readonly stream = new MediaStream();
  readonly #options: PeerLinkOptions;
  #tracks: OutgoingTracks;
  #makingOffer = false;
  #ignoreOffer = false;
  /** Signals are applied one after another: each awaits the browser, and a candidate must follow its description. */
  #applying: Promise<void> = Promise.resolve();
  #disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  #maxBitrate: number | null = null;

  constructor(options: PeerLinkOptions) {
    this.peer = options.peer;
    this.#options = options;
    this.#tracks = options.tracks;
    // One transport for audio and video from the first offer: half the candidates to gather and signal.
    const connection = new RTCPeerConnection({ iceServers: options.iceServers, bundlePolicy: "max-bundle" });
    this.connection = connection;
    connection.addEventListener("negotiationneeded", () => void this.#offer());
    connection.addEventListener("icecandidate", ({ candidate }) => {
      // null marks the end of gathering, which the peer does not need to be told.
      if (candidate !== null) options.send({ candidate: candidateOf(candidate) });
    });
    connection.addEventListener("track", ({ track }) => {
      this.stream.addTrack(track);
      options.changed();
    });
    connection.addEventListener("iceconnectionstatechange", () => this.#iceStateChanged());
    connection.addEventListener("connectionstatechange", () => {
      // A sender takes a bitrate cap only once negotiated.
      if (connection.connectionState === "connected") void this.#capVideo();
      options.changed();
    });
    if (options.offers) {
      connection.addTransceiver(this.#tracks.audio ?? "audio", { direction: "sendrecv" });
      connection.addTransceiver(this.#tracks.video ?? "video", { direction: "sendrecv" });
    }
  }

  /** Applies a signal from the peer, after those before it. */
  receive(signal: PeerSignal): void {
    this.#applying = this.#applying
      .then(() => this.#apply(signal))
      .catch((error: unknown) => console.warn(`call: a signal from ${this.peer} could not be applied`, error));
  }

  /** Sends other tracks (a device changed, the camera went off, a screen is shared), with no renegotiation. */
  setTracks(tracks: OutgoingTracks): void {
    this.#tracks = tracks;
    for (const transceiver of this.connection.getTransceivers()) {
      if (transceiver.direction === "sendrecv") this.#send(transceiver);
    }
  }

  /** Caps what the camera sends this peer, in bits per second: a mesh divides an uplink among its peers. */
  limitVideo(maxBitrate: number): void {
    this.#maxBitrate = maxBitrate;
    void this.#capVideo();
  }

  /** Gathers new ICE candidates and renegotiates: the network changed, or the path failed. */
  restartIce(): void {
    if (this.connection.signalingState !== "closed") this.connection.restartIce();
  }

  close(): void {
    clearTimeout(this.#disconnectedTimer);
    this.connection.close();
    for (const track of this.stream.getTracks()) track.stop();
  }

  async #capVideo(): Promise<void> {
    const sender = this.connection.getTransceivers().find(isVideo)?.sender;
    const parameters = sender?.getParameters();
    const encoding = parameters?.encodings[0];
    if (sender === undefined || parameters === undefined || encoding === undefined || this.#maxBitrate === null) return;
    if (encoding.maxBitrate === this.#maxBitrate) return;
    encoding.maxBitrate = this.#maxBitrate;
    try {
      await sender.setParameters(parameters);
    } catch (error) {
      // Refused while a negotiation is under way; the cap is set again once connected.
      console.warn("call: the video bitrate could not be capped", error);
    }
  }

  async #offer(): Promise<void> {
    try {
      this.#makingOffer = true;
      await this.connection.setLocalDescription();
      this.#sendDescription();
    } catch (error) {
      console.warn(`call: no offer could be made to ${this.peer}`, error);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #apply(signal: PeerSignal): Promise<void> {
    if (this.connection.signalingState === "closed") return;
    if ("candidate" in signal) {
      try {
        await this.connection.addIceCandidate(signal.candidate);
      } catch (error) {
        // A candidate of an offer this side ignored, or the end-of-candidates mark, may fail harmlessly.
        if (!this.#ignoreOffer && signal.candidate.candidate !== "") throw error;
      }
      return;
    }
    const { description } = signal;
    const collision =
      description.type === "offer" && (this.#makingOffer || this.connection.signalingState !== "stable");
    this.#ignoreOffer = !this.#options.polite && collision;
    if (this.#ignoreOffer) return;
    await this.connection.setRemoteDescription(description);
    if (description.type !== "offer") return;
    // The offer made the transceivers this side sends on: the first offer from a newcomer, audio then video.
    for (const transceiver of this.connection.getTransceivers()) {
      if (transceiver.direction !== "sendrecv" && transceiver.direction !== "stopped") {
        transceiver.direction = "sendrecv";
      }
      this.#send(transceiver);
    }
    await this.connection.setLocalDescription();
    this.#sendDescription();
  }

  #send(transceiver: RTCRtpTransceiver): void {
    const track = isVideo(transceiver) ? this.#tracks.video : this.#tracks.audio;
    if (transceiver.sender.track === track) return;
    transceiver.sender.replaceTrack(track).catch((error: unknown) => console.warn("call: a track was not sent", error));
  }

  #sendDescription(): void {
    const description = this.connection.localDescription;
    if (description === null || (description.type !== "offer" && description.type !== "answer")) return;
    this.#options.send({ description: { type: description.type, sdp: description.sdp } });
  }

  #iceStateChanged(): void {
    const state = this.connection.iceConnectionState;
    clearTimeout(this.#disconnectedTimer);
    if (state === "failed") this.restartIce();
    if (state === "disconnected") {
      this.#disconnectedTimer = setTimeout(() => {
        if (this.connection.iceConnectionState === "disconnected") this.restartIce();
      }, DISCONNECTED_GRACE_MS);
    }
    this.#options.changed();
  }
}

function isVideo(transceiver: RTCRtpTransceiver): boolean {
  return transceiver.receiver.track.kind === "video";
}

function candidateOf(candidate: RTCIceCandidate): IceCandidate {
  const init = candidate.toJSON();
  return {
    candidate: init.candidate ?? "",
    sdpMid: init.sdpMid ?? null,
    sdpMLineIndex: init.sdpMLineIndex ?? null,
    usernameFragment: init.usernameFragment ?? null,
  };
}
