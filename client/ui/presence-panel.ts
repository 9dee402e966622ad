import type { User } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";
import { el } from "./dom.ts";

/** The reader's actions on a person, offered beside their name (owner-controls.ts makes the button). */
export interface PersonActions {
  /** The button that offers them; null when the reader may do nothing to this person. */
  buttonFor(user: User): HTMLElement | null;
}

export interface PresenceElements {
  /** The header button that shows and hides the panel, with the count. */
  toggle: HTMLButtonElement;
  toggleCount: HTMLElement;
  panel: HTMLElement;
  headingCount: HTMLElement;
  list: HTMLUListElement;
  /** Says that the list shows only some of the people, in a large room. */
  partial: HTMLElement;
}

/** From this width on the panel sits beside the conversation and starts open; below, it overlays it. */
const WIDE = "(min-width: 48rem)";

/**
 * Who is online. The list is exact while the room is small: the welcome
 * names everyone and `join`, `leave` and `rename` keep it current. In a large
 * room the room stops announcing people and sends only the count
 * (`occupancy`); the panel then says the list is partial, until a
 * `presence` frame brings the full list back.
 */
export class PresencePanel {
  readonly #elements: PresenceElements;
  readonly #connection: RoomConnection;
  readonly #people = new Map<string, User>();
  #count = 0;
  #open = false;
  #actions: PersonActions | null = null;

  constructor(elements: PresenceElements, connection: RoomConnection) {
    this.#elements = elements;
    this.#connection = connection;
    const wide = matchMedia(WIDE);
    this.#setOpen(wide.matches);
    // A phone turned sideways, or a window resized, gets the panel as that width starts with it.
    wide.addEventListener("change", () => this.#setOpen(wide.matches));
    elements.toggle.addEventListener("click", () => this.#setOpen(!this.#open));
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !this.#open || wide.matches) return;
      this.#setOpen(false);
      elements.toggle.focus();
    });
    // Off line, the list is only what was true at the last connection: its dots go grey until the next welcome.
    connection.on("state", (state) => {
      if (state === "online") delete elements.panel.dataset.stale;
      else elements.panel.dataset.stale = "true";
    });
    connection.on("welcome", ({ online, onlineCount }) => this.#replace(online, onlineCount));
    connection.on("presence", ({ online, onlineCount }) => this.#replace(online, onlineCount));
    connection.on("join", ({ user, online }) => {
      this.#people.set(user.id, user);
      this.#count = online;
      this.#render();
    });
    connection.on("leave", ({ user, online }) => {
      this.#people.delete(user.id);
      this.#count = online;
      this.#render();
    });
    connection.on("rename", ({ user }) => {
      if (!this.#people.has(user.id)) return;
      this.#people.set(user.id, user);
      this.#render();
    });
    connection.on("occupancy", ({ online }) => {
      this.#count = online;
      this.#render();
    });
    this.#render();
  }

  /** Offers the reader's actions (owner-controls.ts) beside each person they may act on. */
  set actions(actions: PersonActions) {
    this.#actions = actions;
    this.#render();
  }

  /** Draws the list again: who the reader may act on changed. */
  refresh(): void {
    this.#render();
  }

  /** Who is online as far as the panel knows (in a large room, only some of them). */
  get online(): readonly User[] {
    return [...this.#people.values()];
  }

  #replace(online: readonly User[], count: number): void {
    this.#people.clear();
    for (const user of online) this.#people.set(user.id, user);
    this.#count = count;
    this.#render();
  }

  #setOpen(open: boolean): void {
    this.#open = open;
    this.#elements.panel.hidden = !open;
    this.#elements.toggle.ariaExpanded = String(open);
  }

  #render(): void {
    const { toggleCount, headingCount, list, partial } = this.#elements;
    const count = String(this.#count);
    toggleCount.textContent = count;
    headingCount.textContent = count;
    const you = this.#connection.user?.id;
    const people = [...this.#people.values()].sort(
      (a, b) => Number(b.id === you) - Number(a.id === you) || a.name.localeCompare(b.name),
    );
    list.replaceChildren(...people.map((user) => personItem(user, user.id === you, this.#actions)));
    const hidden = this.#count - people.length;
    partial.hidden = hidden <= 0;
    partial.textContent =
      hidden > 0 ? `and ${hidden} more: a room this large lists only some of the people in it.` : "";
  }
}

function personItem(user: User, you: boolean, actions: PersonActions | null): HTMLLIElement {
  const item = el("li", you ? "person you" : "person", el("span", "person-name", user.name));
  if (you) item.append(el("span", "person-you", " (you)"));
  else {
    const button = actions?.buttonFor(user) ?? null;
    if (button !== null) item.append(button);
  }
  return item;
}
