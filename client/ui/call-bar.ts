/**
 * The room page's call, loaded on demand (call-entry.ts): the session
 * wired to the room connection, the bar with its controls (join and
 * leave, microphone, camera, screen, devices), the messages that say what
 * to do when the browser gives no microphone or camera, and the tiles.
 */
import type { ServerFrame } from "../../protocol/frames.ts";
import { type CaptureKind, LocalMedia } from "../sdk/call-media.ts";
import { CallSession } from "../sdk/call-session.ts";
import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import { CallDevices, refusalText } from "./call-devices.ts";
import type { InCallStore } from "./call-entry.ts";
import { roomLink } from "./call-link.ts";
import { CallTiles } from "./call-tiles.ts";
import { byId, el } from "./dom.ts";

export interface ShowCallOptions {
  room: string;
  connection: RoomConnection;
  announcer: Announcer;
  /** The header's call button, which joins and leaves. */
  button: HTMLButtonElement;
  /** What the room sent since its last welcome, before this module loaded. */
  earlier: readonly ServerFrame[];
  /** Where this tab keeps that it is in the call, with the media it has on (call-entry.ts). */
  inCall: InCallStore;
}

/** Phones and tablets cannot share a screen from a browser. */
const CAN_SHARE_SCREEN = typeof navigator.mediaDevices?.getDisplayMedia === "function";

/** What the page's call button does once the call has loaded. */
export interface ShownCall {
  /** The call button was pressed: join, or leave. */
  pressed(): void;
}

/** Shows the call section and wires it; a reload that found the person in the call joins it again. */
export function showCall({ room, connection, announcer, button, earlier, inCall }: ShowCallOptions): ShownCall {
  const media = new LocalMedia();
  const session = new CallSession(roomLink(room, connection), media, { earlier });
  const bar = new CallBar(byId("call", HTMLElement), button, session, media, announcer, inCall, () => {
    return connection.user?.name ?? "You";
  });
  const saved = savedMedia(inCall.saved());
  if (saved !== null) void bar.join(saved);
  return { pressed: () => bar.toggle() };
}

/** The media a tab had on when it was last in the call, as sessionStorage keeps it. */
function savedMedia(raw: string | null): { audio: boolean; video: boolean } | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return null;
    return { audio: Reflect.get(value, "audio") === true, video: Reflect.get(value, "video") === true };
  } catch {
    // Not ours, or from an older version: join with both on, as a press of the button would.
    return { audio: true, video: true };
  }
}

/** The bar above the conversation: the call's status, the controls, a message, the devices and the tiles. */
class CallBar {
  readonly #section: HTMLElement;
  readonly #button: HTMLButtonElement;
  readonly #session: CallSession;
  readonly #media: LocalMedia;
  readonly #announcer: Announcer;
  readonly #inCall: InCallStore;
  readonly #status = el("p", "call-status");
  readonly #message = el("p", "call-message");
  readonly #controls: Record<"join" | "microphone" | "camera" | "screen" | "devices" | "leave", HTMLButtonElement>;
  readonly #tiles: CallTiles;
  readonly #devices: CallDevices;
  #starting = false;
  /** The phase last rendered, so that joining and being dropped are announced once. */
  #shown: string = "out";

  constructor(
    section: HTMLElement,
    button: HTMLButtonElement,
    session: CallSession,
    media: LocalMedia,
    announcer: Announcer,
    inCall: InCallStore,
    name: () => string,
  ) {
    this.#section = section;
    this.#button = button;
    this.#session = session;
    this.#media = media;
    this.#announcer = announcer;
    this.#inCall = inCall;
    this.#status.setAttribute("role", "status");
    this.#message.setAttribute("role", "alert");
    this.#controls = {
      join: control("Join call", "call-join send-button", ICONS.camera, () => this.toggle()),
      microphone: control("Microphone", "call-switch", ICONS.microphone, () => this.#switch("microphone")),
      camera: control("Camera", "call-switch", ICONS.camera, () => this.#switch("camera")),
      screen: control("Share screen", "", ICONS.screen, () => this.#switch("screen")),
      devices: control("Devices", "", ICONS.devices, () => {
        this.#devices.toggle();
        this.#render();
      }),
      leave: control("Leave", "danger-button", ICONS.leave, () => this.leave()),
    };
    const group = el("div", "call-controls", ...Object.values(this.#controls));
    group.setAttribute("role", "group");
    group.ariaLabel = "Call controls";
    const list = el("ul", "call-tiles");
    list.ariaLabel = "People in the call";
    this.#devices = new CallDevices(media, (text) => this.#say(text));
    this.#devices.element.id = "call-devices";
    this.#controls.devices.setAttribute("aria-controls", this.#devices.element.id);
    section.replaceChildren(el("div", "call-bar", this.#status, group), this.#devices.element, this.#message, list);
    this.#tiles = new CallTiles(list, session, media, name);
    session.on("changed", () => this.#render());
    session.on("refused", ({ message }) => {
      this.#stopMedia();
      this.#say(`You could not join the call: ${message}`);
    });
    // The status says for how long the call has been on.
    setInterval(() => this.#render(), 30_000);
    this.#render();
  }

  /** Joins, or leaves. */
  toggle(): void {
    if (this.#session.phase === "out" && !this.#starting) void this.join({ audio: true, video: true });
    else this.leave();
  }

  /**
   * Joins while the microphone and camera open (the connections take their
   * tracks when they come, so a slow camera or a permission prompt holds
   * nothing up), then says what was refused.
   */
  async join(want: { audio: boolean; video: boolean }): Promise<void> {
    this.#starting = true;
    this.#say("");
    const opening = this.#media.start(want);
    this.#session.join(want);
    const refused = await opening;
    this.#starting = false;
    const texts = [...refused].map(([kind, refusal]) => refusalText(kind, refusal));
    if (texts.length > 0) this.#say(`${texts.join(" ")} You are in the call without it.`);
    this.#render();
  }

  leave(): void {
    this.#starting = false;
    this.#session.leave();
    this.#stopMedia();
  }

  async #switch(kind: CaptureKind): Promise<void> {
    const { audio, video, screen } = this.#media.state;
    const refusal =
      kind === "microphone"
        ? await this.#media.setMicrophone(!audio)
        : kind === "camera"
          ? await this.#media.setCamera(!video)
          : await this.#media.shareScreen(!screen);
    this.#say(refusal === null ? "" : refusalText(kind, refusal));
  }

  #stopMedia(): void {
    this.#media.stop();
    this.#devices.close();
    this.#inCall.clear();
  }

  #say(text: string): void {
    this.#message.textContent = text;
    this.#message.hidden = text === "";
  }

  #render(): void {
    const { phase, call } = this.#session;
    const inCall = phase === "in";
    const active = phase !== "out" || this.#starting;
    const people = call?.peers.length ?? 0;
    if (inCall) this.#inCall.save(JSON.stringify(this.#media.state));
    this.#section.hidden = call === null && !active && this.#message.textContent === "";
    this.#section.dataset.phase = phase;
    // Set only when it changes, so that a screen reader is not told the same status every 30 s.
    const status = statusText(phase, this.#starting, people, call?.since);
    if (this.#status.textContent !== status) this.#status.textContent = status;
    if (phase !== this.#shown && (phase === "in" || this.#shown === "in")) {
      this.#announcer.announce(phase === "in" ? "You are in the call" : "You are no longer in the call");
    }
    this.#shown = phase;
    const { audio, video, screen } = this.#media.state;
    this.#controls.join.hidden = active;
    for (const name of ["microphone", "camera", "screen", "devices", "leave"] as const) {
      this.#controls[name].hidden = !active || (name === "screen" && !CAN_SHARE_SCREEN);
    }
    this.#controls.microphone.ariaPressed = String(audio);
    this.#controls.camera.ariaPressed = String(video);
    this.#controls.screen.ariaPressed = String(screen);
    this.#controls.devices.ariaExpanded = String(!this.#devices.element.hidden);
    this.#button.ariaPressed = String(active);
    const label = this.#button.querySelector(".button-label");
    if (label !== null) label.textContent = active ? "Leave call" : call === null ? "Call" : `Join call (${people})`;
    this.#tiles.update();
  }
}

function statusText(phase: string, starting: boolean, people: number, since: number | undefined): string {
  if (starting) return "Opening your microphone and camera…";
  if (phase === "joining") return "Joining the call…";
  const count = people === 1 ? "1 person" : `${people} people`;
  // Under a minute the status says nothing of the length: "less than a minute" would crowd a phone's bar.
  const minutes = since === undefined ? 0 : Math.floor((Date.now() - since) / 60_000);
  const length = minutes < 1 ? "" : ` · ${minutes} min`;
  return phase === "in" ? `In the call · ${count}${length}` : `A call is on · ${count}${length}`;
}

type Shape = [tag: "path" | "rect" | "circle", attributes: Record<string, string>];

/** The controls' icons, drawn as the header's are; a switch's slash shows while it is off (call.css). */
const ICONS: Record<"microphone" | "camera" | "screen" | "devices" | "leave", Shape[]> = {
  microphone: [
    ["rect", { x: "9", y: "3", width: "6", height: "11", rx: "3" }],
    ["path", { d: "M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21" }],
  ],
  camera: [
    ["rect", { x: "3", y: "6.5", width: "12", height: "11", rx: "2" }],
    ["path", { d: "M15 10.5l6-3.5v10l-6-3.5" }],
  ],
  screen: [
    ["rect", { x: "3", y: "4", width: "18", height: "12", rx: "2" }],
    ["path", { d: "M8 20h8M12 16v4" }],
  ],
  devices: [
    ["path", { d: "M4 7h9M17 7h3M4 17h3M11 17h9" }],
    ["circle", { cx: "15", cy: "7", r: "2" }],
    ["circle", { cx: "9", cy: "17", r: "2" }],
  ],
  leave: [["path", { d: "M3 14.5c5-4.7 13-4.7 18 0l-2.3 2.6-3.7-1.3v-2.6a9.6 9.6 0 0 0-6 0v2.6l-3.7 1.3z" }]],
};

const SVG = "http://www.w3.org/2000/svg";

function icon(shapes: readonly Shape[], slashed: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const all: Shape[] = slashed ? [...shapes, ["path", { d: "M4 4l16 16", class: "icon-slash" }]] : [...shapes];
  for (const [tag, attributes] of all) {
    const shape = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, value);
    svg.append(shape);
  }
  return svg;
}

/** A button with an icon and a label, which a phone hides (room.css `.button-label`). */
function control(label: string, className: string, shapes: readonly Shape[], pressed: () => void): HTMLButtonElement {
  const button = el("button", className, icon(shapes, className === "call-switch"), el("span", "button-label", label));
  button.type = "button";
  button.title = label;
  button.addEventListener("click", pressed);
  return button;
}
