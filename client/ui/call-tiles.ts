import type { MediaState } from "../../protocol/frames.ts";
import type { LocalMedia } from "../sdk/call-media.ts";
import type { CallSession } from "../sdk/call-session.ts";
import { measureCall, SPEAKING_LEVEL } from "../sdk/call-stats.ts";
import { el } from "./dom.ts";

/** How often the tiles ask the connections how loud each peer is. */
const MEASURE_EVERY_MS = 500;

/** One tile: a person's picture (or their initial), their name and what they have off. */
interface Tile {
  item: HTMLLIElement;
  video: HTMLVideoElement;
  name: HTMLElement;
  badges: HTMLElement;
}

/**
 * The call's tiles: this person first, then everyone they are connected
 * to, in a grid that gives each tile the same share of the width (two to a
 * row on a phone). A tile shows the picture the person sends (a shared
 * screen whole, a camera filling the tile), their initial when they send
 * none, their name, "muted", "camera off" and "sharing screen" badges, and
 * a ring while they speak, from the audio level the connections measure.
 *
 * Each tile carries what it shows as data attributes, for styles and for
 * tests: `data-peer` (the peer id, "self" for this person), `data-user`,
 * `data-state` (the RTCPeerConnection's connectionState), `data-audio`,
 * `data-video`, `data-screen` ("on" or "off") and `data-speaking`.
 */
export class CallTiles {
  readonly #list: HTMLUListElement;
  readonly #session: CallSession;
  readonly #media: LocalMedia;
  readonly #name: () => string;
  readonly #tiles = new Map<string, Tile>();
  readonly #unblock: HTMLButtonElement;
  #measuring: ReturnType<typeof setInterval> | undefined;
  #measuringNow = false;
  /** What this person's tile shows: the picture they send. */
  #self: MediaStream | null = null;

  /** `name` is this person's display name. */
  constructor(list: HTMLUListElement, session: CallSession, media: LocalMedia, name: () => string) {
    this.#list = list;
    this.#session = session;
    this.#media = media;
    this.#name = name;
    this.#unblock = el("button", "call-unblock", "Turn on the call's sound");
    this.#unblock.type = "button";
    this.#unblock.hidden = true;
    this.#unblock.addEventListener("click", () => this.#playAll());
    list.before(this.#unblock);
  }

  /** Draws the tiles as the call is now; a tile that stays keeps its video element, so its picture never blinks. */
  update(): void {
    const inCall = this.#session.phase === "in";
    const shown = new Set<string>();
    if (inCall) {
      const { audio, video } = this.#media.outgoing;
      const self = this.#tile("self", true);
      self.name.textContent = `${this.#name()} (you)`;
      this.#show(self, this.#media.state, this.#selfStream(video));
      self.item.dataset.mirrored = String(video !== null && !this.#media.state.screen);
      self.item.dataset.state = audio === null && video === null ? "listening" : "sending";
      shown.add("self");
      for (const remote of this.#session.remotes) {
        const tile = this.#tile(remote.peer, false);
        tile.name.textContent = remote.user.name;
        tile.item.dataset.user = remote.user.id;
        tile.item.dataset.state = remote.state;
        this.#show(tile, remote.media, remote.stream);
        shown.add(remote.peer);
      }
    }
    for (const [peer, tile] of this.#tiles) {
      if (shown.has(peer)) continue;
      tile.video.srcObject = null;
      tile.item.remove();
      this.#tiles.delete(peer);
    }
    this.#list.dataset.count = String(shown.size);
    this.#list.hidden = !inCall;
    if (!inCall) this.#unblock.hidden = true;
    if (inCall && this.#measuring === undefined) {
      this.#measuring = setInterval(() => void this.#measure(), MEASURE_EVERY_MS);
    } else if (!inCall) {
      clearInterval(this.#measuring);
      this.#measuring = undefined;
    }
  }

  #selfStream(video: MediaStreamTrack | null): MediaStream | null {
    if (video === null) this.#self = null;
    else if (this.#self?.getVideoTracks()[0] !== video) this.#self = new MediaStream([video]);
    return this.#self;
  }

  #tile(peer: string, self: boolean): Tile {
    const existing = this.#tiles.get(peer);
    if (existing !== undefined) return existing;
    const video = el("video", "call-video");
    video.autoplay = true;
    video.playsInline = true;
    // This person's own tile never plays their microphone back to them.
    video.muted = self;
    const name = el("span", "call-name-text");
    const badges = el("span", "call-badges");
    const item = el("li", "call-tile", video, el("span", "call-avatar"), el("p", "call-name", name, badges));
    item.dataset.peer = peer;
    item.dataset.speaking = "false";
    const tile = { item, video, name, badges };
    this.#tiles.set(peer, tile);
    if (self) this.#list.prepend(item);
    else this.#list.append(item);
    return tile;
  }

  #show(tile: Tile, media: MediaState, stream: MediaStream | null): void {
    const { item, video } = tile;
    const initial = [...(tile.name.textContent ?? "?")][0]?.toUpperCase() ?? "?";
    const avatar = item.querySelector(".call-avatar");
    if (avatar !== null) avatar.textContent = initial;
    item.dataset.audio = media.audio ? "on" : "off";
    item.dataset.video = media.video ? "on" : "off";
    item.dataset.screen = media.screen ? "on" : "off";
    const badges: string[] = [];
    if (!media.audio) badges.push("Muted");
    if (!media.video && !media.screen) badges.push("Camera off");
    if (media.screen) badges.push("Sharing screen");
    tile.badges.replaceChildren(...badges.map((text) => el("span", "call-badge", text)));
    if (video.srcObject !== stream) {
      video.srcObject = stream;
      if (stream !== null) this.#play(video);
    }
  }

  /** Plays a tile; a browser that blocks sound without a tap first (after a reload) gets a button to tap. */
  #play(video: HTMLVideoElement): void {
    video.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === "NotAllowedError") this.#unblock.hidden = false;
    });
  }

  #playAll(): void {
    this.#unblock.hidden = true;
    for (const { video } of this.#tiles.values()) if (video.srcObject !== null) this.#play(video);
  }

  async #measure(): Promise<void> {
    // A busy machine can take longer than the interval to answer getStats; one measure at a time.
    if (this.#measuringNow) return;
    this.#measuringNow = true;
    try {
      const { inbound, microphone } = await measureCall(this.#session.connections);
      for (const [peer, tile] of this.#tiles) {
        const level =
          peer === "self" ? (this.#media.state.audio ? microphone : 0) : (inbound.get(peer)?.audioLevel ?? 0);
        tile.item.dataset.speaking = String(level > SPEAKING_LEVEL);
      }
    } catch {
      // A connection closed while it was measured (a peer left); the next measure goes on without it.
    } finally {
      this.#measuringNow = false;
    }
  }
}
