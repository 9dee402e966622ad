import type { CaptureKind, LocalMedia, MediaRefusal } from "../sdk/call-media.ts";
import { el } from "./dom.ts";

type DeviceKind = "microphone" | "camera";

const BROWSER_KIND: Record<DeviceKind, MediaDeviceKind> = { microphone: "audioinput", camera: "videoinput" };
const LABELS: Record<DeviceKind, string> = { microphone: "Microphone", camera: "Camera" };

/**
 * The microphone and camera pickers under the call bar. They list what
 * `enumerateDevices` finds, again whenever a device is plugged in or out;
 * the browser names the devices only once the person has allowed one, so
 * until then they are "Microphone 1", "Camera 2". Picking one switches the
 * call to it at once, with no renegotiation (call-peer.ts). And what to
 * tell a person when the browser gives no microphone, camera or screen.
 */
export class CallDevices {
  readonly element: HTMLElement;
  readonly #media: LocalMedia;
  readonly #say: (text: string) => void;
  readonly #selects: Record<DeviceKind, HTMLSelectElement>;
  readonly #refill = () => void this.#fill();

  constructor(media: LocalMedia, say: (text: string) => void) {
    this.#media = media;
    this.#say = say;
    this.#selects = { microphone: this.#select("microphone"), camera: this.#select("camera") };
    const fields = (["microphone", "camera"] as const).map((kind) =>
      el("label", "call-device", LABELS[kind], this.#selects[kind]),
    );
    this.element = el("div", "call-devices", ...fields);
    this.element.hidden = true;
  }

  /** Shows the pickers, filled, or hides them. */
  toggle(): void {
    if (this.element.hidden) void this.#open();
    else this.close();
  }

  close(): void {
    this.element.hidden = true;
    navigator.mediaDevices?.removeEventListener("devicechange", this.#refill);
  }

  async #open(): Promise<void> {
    this.element.hidden = false;
    navigator.mediaDevices?.addEventListener("devicechange", this.#refill);
    await this.#fill();
    this.#selects.microphone.focus();
  }

  #select(kind: DeviceKind): HTMLSelectElement {
    const select = el("select", "call-device-select");
    select.addEventListener("change", async () => {
      const refusal = await this.#media.useDevice(kind, select.value);
      this.#say(refusal === null ? "" : refusalText(kind, refusal));
    });
    return select;
  }

  async #fill(): Promise<void> {
    let devices: MediaDeviceInfo[];
    try {
      devices = await this.#media.devices();
    } catch (error) {
      console.warn("call: the devices could not be listed", error);
      devices = [];
    }
    for (const kind of ["microphone", "camera"] as const) {
      const select = this.#selects[kind];
      const ofKind = devices.filter((device) => device.kind === BROWSER_KIND[kind]);
      const options = ofKind.map((device, index) => {
        const option = el("option", "", device.label === "" ? `${LABELS[kind]} ${index + 1}` : device.label);
        option.value = device.deviceId;
        return option;
      });
      if (options.length === 0) options.push(el("option", "", `No ${LABELS[kind].toLowerCase()} found`));
      select.replaceChildren(...options);
      select.disabled = ofKind.length === 0;
      const current = this.#media.deviceOf(kind);
      if (current !== undefined && ofKind.some((device) => device.deviceId === current)) select.value = current;
    }
  }
}

/** What to tell a person whose browser gave no `kind`, and what they can do about it. */
export function refusalText(kind: CaptureKind, refusal: MediaRefusal): string {
  if (kind === "screen") {
    return refusal === "not_allowed"
      ? "Screen sharing was cancelled, or this browser does not allow it."
      : "The screen could not be shared.";
  }
  switch (refusal) {
    case "not_allowed":
      return `The browser did not allow the ${kind}. Allow it for this site (the icon in the address bar), then turn it on again.`;
    case "not_found":
      return `No ${kind} was found. Connect one, or check that it is switched on, then try again.`;
    case "not_readable":
      return `The ${kind} could not be started: another application may be using it. Close that application and try again.`;
    default:
      return `The ${kind} could not be started.`;
  }
}
