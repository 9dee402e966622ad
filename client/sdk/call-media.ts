import type { MediaState } from "../../protocol/frames.ts";

/** Why the browser gave no microphone, camera or screen; a person is told what to do about each. */
export type MediaRefusal =
  /** The person, or the browser's or page's policy, refused it. */
  | "not_allowed"
  /** There is no such device (or the one chosen is gone). */
  | "not_found"
  /** The device exists but would not start: another application holds it, or it failed. */
  | "not_readable"
  /** Anything else the browser threw. */
  | "failed";

export type CaptureKind = "microphone" | "camera" | "screen";

/** What a capture came to: the tracks by kind, or why there are none (null: stopped before they opened, nothing to tell). */
type Capture = { ok: true; tracks: Map<CaptureKind, MediaStreamTrack> } | { ok: false; refusal: MediaRefusal | null };

/**
 * A mesh sends the camera to every other participant, so it asks for a
 * modest picture: enough for a tile on a phone, light on an uplink shared
 * five ways.
 */
const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24, max: 30 },
};
const MICROPHONE_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true };

/**
 * This person's microphone, camera and shared screen, and what of them the
 * call is sent. The microphone stays open while muted (it sends silence, so
 * unmuting is instant); a camera turned off is stopped, so its light goes
 * out. A shared screen takes the camera's place on the video track: a mesh
 * sends one picture per person, and the offer stays two media sections.
 */
export class LocalMedia {
  #microphone: MediaStreamTrack | null = null;
  #camera: MediaStreamTrack | null = null;
  #screen: MediaStreamTrack | null = null;
  #muted = false;
  /** The devices chosen, by kind; absent means the browser's default. */
  readonly #chosen: { microphone?: string; camera?: string } = {};
  readonly #listeners = new Set<() => void>();
  /** Counts `stop()`s: a capture that completes after one is stopped at once, not kept. */
  #generation = 0;

  /** What the others are told: microphone on (and not muted), camera on, screen shared. */
  get state(): MediaState {
    return {
      audio: this.#microphone !== null && !this.#muted,
      video: this.#camera !== null,
      screen: this.#screen !== null,
    };
  }

  /** The tracks each peer connection sends: the microphone, and the screen or else the camera. */
  get outgoing(): { audio: MediaStreamTrack | null; video: MediaStreamTrack | null } {
    return { audio: this.#microphone, video: this.#screen ?? this.#camera };
  }

  /** Calls `listener` whenever the state or the outgoing tracks change; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Opens the microphone and the camera as asked, with one prompt for both;
   * when the pair is refused, each alone, so that a person without a camera
   * still has a microphone. What was refused, by kind: the call goes on
   * without it.
   */
  async start(want: { audio: boolean; video: boolean }): Promise<Map<CaptureKind, MediaRefusal>> {
    const refused = new Map<CaptureKind, MediaRefusal>();
    this.#muted = false;
    const kinds = (["microphone", "camera"] as const).filter((kind) =>
      kind === "microphone" ? want.audio : want.video,
    );
    const together = kinds.length === 0 ? null : await this.#capture(kinds);
    if (together !== null && !together.ok && together.refusal !== null && kinds.length === 2) {
      // One after the other, so that a browser that prompts asks one question at a time.
      for (const kind of kinds) this.#take(kind, await this.#capture([kind]), refused);
    } else if (together !== null) {
      for (const kind of kinds) this.#take(kind, together, refused);
    }
    this.#changed();
    return refused;
  }

  /** Unmutes (opening the microphone if it is not open) or mutes; the refusal if it could not be opened. */
  async setMicrophone(on: boolean): Promise<MediaRefusal | null> {
    if (on && this.#microphone === null) {
      const refusal = await this.#open("microphone");
      if (refusal !== null) return refusal;
    }
    this.#muted = !on;
    if (this.#microphone !== null) this.#microphone.enabled = on;
    this.#changed();
    return null;
  }

  /** Turns the camera on or off; the refusal if it could not be started. */
  async setCamera(on: boolean): Promise<MediaRefusal | null> {
    if (!on) {
      this.#camera?.stop();
      this.#camera = null;
      this.#changed();
      return null;
    }
    return this.#camera === null ? this.#open("camera") : null;
  }

  /** Shares a screen, a window or a tab, which the person picks; or stops sharing. */
  async shareScreen(on: boolean): Promise<MediaRefusal | null> {
    if (!on) {
      this.#screen?.stop();
      this.#screen = null;
      this.#changed();
      return null;
    }
    return this.#screen === null ? this.#open("screen") : null;
  }

  /** Uses another microphone or camera (a deviceId of `devices()`), now if it is open, else when it opens. */
  async useDevice(kind: "microphone" | "camera", deviceId: string): Promise<MediaRefusal | null> {
    this.#chosen[kind] = deviceId;
    const current = kind === "microphone" ? this.#microphone : this.#camera;
    return current === null ? null : this.#open(kind);
  }

  /** The device chosen for `kind`, or the one in use; undefined for the browser's default. */
  deviceOf(kind: "microphone" | "camera"): string | undefined {
    const track = kind === "microphone" ? this.#microphone : this.#camera;
    return this.#chosen[kind] ?? track?.getSettings().deviceId;
  }

  /** The microphones and cameras there are; their labels are empty until the person has allowed one. */
  async devices(): Promise<MediaDeviceInfo[]> {
    const all = await navigator.mediaDevices.enumerateDevices();
    return all.filter((device) => device.kind === "audioinput" || device.kind === "videoinput");
  }

  /** Stops every track, and any capture still opening: the call is over for this person. */
  stop(): void {
    this.#generation += 1;
    for (const track of [this.#microphone, this.#camera, this.#screen]) track?.stop();
    this.#microphone = this.#camera = this.#screen = null;
    this.#changed();
  }

  /** Captures `kind` and puts it in place of the track of that kind, which stops. */
  async #open(kind: CaptureKind): Promise<MediaRefusal | null> {
    const capture = await this.#capture([kind]);
    const refused = new Map<CaptureKind, MediaRefusal>();
    this.#take(kind, capture, refused);
    this.#changed();
    return refused.get(kind) ?? null;
  }

  #take(kind: CaptureKind, capture: Capture, refused: Map<CaptureKind, MediaRefusal>): void {
    const track = capture.ok ? capture.tracks.get(kind) : undefined;
    if (track === undefined) {
      const refusal = capture.ok ? "not_found" : capture.refusal;
      if (refusal !== null) refused.set(kind, refusal);
      return;
    }
    if (kind === "microphone") {
      this.#microphone?.stop();
      this.#microphone = track;
      track.enabled = !this.#muted;
    } else if (kind === "camera") {
      this.#camera?.stop();
      this.#camera = track;
    } else {
      this.#screen?.stop();
      this.#screen = track;
      // Text on a screen should stay sharp; the encoder gives up frame rate for it.
      track.contentHint = "detail";
      // The browser's own "Stop sharing" ends the track without asking the page.
      track.addEventListener("ended", () => {
        if (this.#screen === track) void this.shareScreen(false);
      });
    }
  }

  /** Asks the browser for `kinds` in one go (a screen alone), and names the tracks it gave by kind. */
  async #capture(kinds: readonly CaptureKind[]): Promise<Capture> {
    const generation = this.#generation;
    try {
      const stream = kinds.includes("screen")
        ? await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false })
        : await navigator.mediaDevices.getUserMedia({
            ...(kinds.includes("microphone") ? { audio: this.#constraints("microphone") } : {}),
            ...(kinds.includes("camera") ? { video: this.#constraints("camera") } : {}),
          });
      if (generation !== this.#generation) {
        // Stopped while the browser was opening it (the person left the call): its light goes out now.
        for (const track of stream.getTracks()) track.stop();
        return { ok: false, refusal: null };
      }
      const tracks = new Map<CaptureKind, MediaStreamTrack>();
      const [audio] = stream.getAudioTracks();
      const [video] = stream.getVideoTracks();
      if (audio !== undefined) tracks.set("microphone", audio);
      if (video !== undefined) tracks.set(kinds.includes("screen") ? "screen" : "camera", video);
      return { ok: true, tracks };
    } catch (error) {
      return { ok: false, refusal: refusalOf(error) };
    }
  }

  #constraints(kind: "microphone" | "camera"): MediaTrackConstraints {
    const deviceId = this.#chosen[kind];
    const base = kind === "microphone" ? MICROPHONE_CONSTRAINTS : CAMERA_CONSTRAINTS;
    return deviceId === undefined ? base : { ...base, deviceId: { exact: deviceId } };
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** The DOMException names getUserMedia and getDisplayMedia throw, as what a person can do about them. */
export function refusalOf(error: unknown): MediaRefusal {
  const name = error instanceof DOMException ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "not_allowed";
    case "NotFoundError":
    case "OverconstrainedError":
      return "not_found";
    case "NotReadableError":
    case "AbortError":
      return "not_readable";
    default:
      return "failed";
  }
}
