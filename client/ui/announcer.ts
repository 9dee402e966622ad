import { el } from "./dom.ts";

/** Announcements kept in the live region; older ones are dropped so that it does not grow without end. */
const KEPT = 5;

/**
 * Speaks to screen readers through a polite `aria-live` region: new
 * messages and changes to the view. The message list itself is not live,
 * so that loading older history is not read out.
 */
export class Announcer {
  readonly #region: HTMLElement;

  constructor(region: HTMLElement) {
    this.#region = region;
  }

  announce(text: string): void {
    this.#region.append(el("p", "", text));
    while (this.#region.childElementCount > KEPT) this.#region.firstElementChild?.remove();
  }
}
