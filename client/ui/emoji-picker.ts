import { el } from "./dom.ts";
import { EMOJI_GROUPS, type EmojiEntry, type EmojiGroup, QUICK_REACTIONS, searchEmoji } from "./emoji-data.ts";

export interface EmojiPicker {
  /** Closes the picker; focus inside it goes back to the anchor. Closing twice does nothing. */
  close(): void;
}

/** The groups shown while nothing is searched: the quick reactions first. */
const BROWSE: readonly EmojiGroup[] = [{ name: "Quick reactions", emoji: QUICK_REACTIONS }, ...EMOJI_GROUPS];

/** Pixels within which two buttons count as one row of the grid (their tops differ only by rounding). */
const SAME_ROW = 2;

/** The one open picker: opening another closes it first. */
let current: EmojiPopover | null = null;
let opened = 0;

/**
 * Opens the emoji picker beside `anchor` (the button that opened it) and
 * calls `onPick` with the chosen emoji. Called again with the anchor of the
 * picker already open, it closes that one instead, so the anchor's click
 * handler can simply call this and the button toggles.
 *
 * The picker is a popover: the browser draws it in the top layer, above
 * everything and clipped by no scrolling container. Where the browser has
 * CSS anchor positioning it sits above the anchor, or below it when there is
 * no room above, kept on screen; elsewhere it is centred in the window
 * (pickers.css). Focus starts in the search box; Tab moves between the
 * search box and the emoji, the arrow keys move among the emoji (one tab
 * stop: a roving tabindex), Enter or Space picks, Escape closes and goes
 * back to the anchor, and a click outside closes.
 */
export function openEmojiPicker(anchor: HTMLElement, onPick: (emoji: string) => void): EmojiPicker {
  const previous = current;
  if (previous !== null) {
    previous.close();
    if (previous.anchor === anchor) return previous;
  }
  current = new EmojiPopover(anchor, onPick);
  return current;
}

class EmojiPopover implements EmojiPicker {
  readonly anchor: HTMLElement;
  readonly #onPick: (emoji: string) => void;
  readonly #dialog: HTMLElement;
  readonly #search: HTMLInputElement;
  readonly #results: HTMLElement;
  readonly #status: HTMLElement;
  readonly #grid: RovingGrid;
  readonly #id: string;
  #closed = false;
  // A press on the anchor is left to the anchor's own handler, which toggles.
  readonly #onPointerDown = (event: PointerEvent) => {
    const inside =
      event.target instanceof Node && (this.#dialog.contains(event.target) || this.anchor.contains(event.target));
    if (!inside) this.#close(false);
  };

  constructor(anchor: HTMLElement, onPick: (emoji: string) => void) {
    this.anchor = anchor;
    this.#onPick = onPick;
    opened += 1;
    this.#id = `emoji-picker-${opened}`;
    this.#search = el("input", "emoji-search");
    this.#search.type = "search";
    this.#search.id = `${this.#id}-search`;
    this.#search.placeholder = "Search emoji";
    this.#search.autocomplete = "off";
    this.#search.spellcheck = false;
    const label = el("label", "visually-hidden", "Search emoji");
    label.htmlFor = this.#search.id;
    this.#results = el("div", "emoji-results");
    this.#status = el("p", "emoji-status");
    this.#status.setAttribute("role", "status");
    this.#dialog = el("div", "emoji-picker", label, this.#search, this.#results, this.#status);
    this.#dialog.id = this.#id;
    this.#dialog.setAttribute("role", "dialog");
    this.#dialog.ariaLabel = "Choose an emoji";
    this.#dialog.popover = "manual";
    // Focusable, so that a click on the picker's background keeps the focus (and Escape) inside it.
    this.#dialog.tabIndex = -1;
    this.#grid = new RovingGrid(this.#results);

    this.#search.addEventListener("input", () => this.#show());
    this.#search.addEventListener("keydown", (event) => this.#onSearchKeydown(event));
    this.#results.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button") : null;
      if (button?.dataset.emoji !== undefined) this.#pick(button.dataset.emoji);
    });
    this.#results.addEventListener("keydown", (event) => {
      if (event.key === "ArrowUp" && this.#grid.isOnFirstRow()) {
        event.preventDefault();
        this.#search.focus();
      } else if (this.#grid.move(event.key)) {
        event.preventDefault();
      }
    });
    this.#dialog.addEventListener("keydown", (event) => this.#onKeydown(event));

    this.#show();
    document.body.append(this.#dialog);
    anchor.dataset.emojiAnchor = "";
    anchor.ariaHasPopup = "dialog";
    anchor.ariaExpanded = "true";
    anchor.setAttribute("aria-controls", this.#id);
    this.#dialog.showPopover();
    this.#search.focus();
    document.addEventListener("pointerdown", this.#onPointerDown, true);
  }

  close(): void {
    this.#close(this.#dialog.contains(document.activeElement));
  }

  /** The groups while nothing is searched, the matches of a search otherwise. */
  #show(): void {
    const query = this.#search.value;
    if (query.trim() === "") {
      this.#results.replaceChildren(...BROWSE.map((group, index) => groupOf(group, `${this.#id}-${index}`)));
      this.#status.textContent = "";
    } else {
      const found = searchEmoji(query);
      this.#results.replaceChildren(...(found.length > 0 ? [gridOf(found)] : []));
      this.#status.textContent = found.length > 0 ? "" : "No emoji match";
    }
    this.#grid.reset();
  }

  #onSearchKeydown(event: KeyboardEvent): void {
    if (event.key === "Enter" && !event.isComposing) {
      // Enter picks the best match of a search; with nothing searched there is no match to pick.
      event.preventDefault();
      const first = this.#search.value.trim() === "" ? undefined : this.#grid.first();
      if (first?.dataset.emoji !== undefined) this.#pick(first.dataset.emoji);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      this.#grid.focus();
    }
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === "Escape") {
      // Stopped here, so that nothing else on the page (the people panel) also takes this Escape.
      event.preventDefault();
      event.stopPropagation();
      this.#close(true);
    } else if (event.key === "Tab") {
      // Two tab stops, the search box and the grid; Tab goes between them until Escape or a pick.
      event.preventDefault();
      if (document.activeElement === this.#search) this.#grid.focus();
      else this.#search.focus();
    }
  }

  #pick(emoji: string): void {
    this.#close(true);
    this.#onPick(emoji);
  }

  #close(returnFocus: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    document.removeEventListener("pointerdown", this.#onPointerDown, true);
    this.#dialog.remove();
    this.anchor.ariaExpanded = "false";
    this.anchor.removeAttribute("aria-controls");
    delete this.anchor.dataset.emojiAnchor;
    if (current === this) current = null;
    if (returnFocus) this.anchor.focus();
  }
}

function groupOf(group: EmojiGroup, headingId: string): HTMLElement {
  const heading = el("p", "emoji-group-name", group.name);
  heading.id = headingId;
  const section = el("div", "emoji-group", heading, gridOf(group.emoji));
  section.setAttribute("role", "group");
  section.setAttribute("aria-labelledby", headingId);
  return section;
}

function gridOf(entries: readonly EmojiEntry[]): HTMLElement {
  return el("div", "emoji-grid", ...entries.map(buttonOf));
}

function buttonOf(entry: EmojiEntry): HTMLButtonElement {
  const button = el("button", "emoji-button", entry.emoji);
  button.type = "button";
  button.ariaLabel = entry.name;
  button.title = entry.name;
  button.tabIndex = -1;
  button.dataset.emoji = entry.emoji;
  return button;
}

/**
 * The emoji buttons as one tab stop: the active one has tabindex 0, the
 * others -1, and the arrow keys move the focus. Up and Down go to the
 * nearest button in the row above or below as laid out, so they follow the
 * grid whatever its width and across the groups' shorter last rows.
 */
class RovingGrid {
  readonly #container: HTMLElement;
  #active: HTMLButtonElement | null = null;

  constructor(container: HTMLElement) {
    this.#container = container;
    container.addEventListener("focusin", (event) => {
      if (event.target instanceof HTMLButtonElement) this.#activate(event.target);
    });
  }

  /** Makes the first button the tab stop, after the buttons changed. */
  reset(): void {
    this.#active = null;
    const first = this.first();
    if (first !== undefined) this.#activate(first);
  }

  first(): HTMLButtonElement | undefined {
    return this.#buttons()[0];
  }

  focus(): void {
    this.#active?.focus();
  }

  isOnFirstRow(): boolean {
    const first = this.first();
    return this.#active !== null && first !== undefined && sameRow(this.#active, first);
  }

  /** Moves the focus for an arrow, Home or End key; false for any other key. */
  move(key: string): boolean {
    const buttons = this.#buttons();
    const active = this.#active;
    if (active === null) return false;
    const index = buttons.indexOf(active);
    let next: HTMLButtonElement | undefined;
    switch (key) {
      case "ArrowLeft":
        next = buttons[index - 1];
        break;
      case "ArrowRight":
        next = buttons[index + 1];
        break;
      case "ArrowUp":
        next = nearestInNextRow(buttons, active, -1);
        break;
      case "ArrowDown":
        next = nearestInNextRow(buttons, active, 1);
        break;
      case "Home":
        next = buttons[0];
        break;
      case "End":
        next = buttons.at(-1);
        break;
      default:
        return false;
    }
    next?.focus();
    return true;
  }

  #activate(button: HTMLButtonElement): void {
    if (this.#active !== null) this.#active.tabIndex = -1;
    button.tabIndex = 0;
    this.#active = button;
  }

  #buttons(): HTMLButtonElement[] {
    return [...this.#container.querySelectorAll<HTMLButtonElement>("button.emoji-button")];
  }
}

function sameRow(a: HTMLElement, b: HTMLElement): boolean {
  return Math.abs(a.getBoundingClientRect().top - b.getBoundingClientRect().top) <= SAME_ROW;
}

/** The button in the nearest row above (-1) or below (1) whose left edge is closest to `from`'s. */
function nearestInNextRow(
  buttons: readonly HTMLButtonElement[],
  from: HTMLButtonElement,
  direction: -1 | 1,
): HTMLButtonElement | undefined {
  const origin = from.getBoundingClientRect();
  const placed = buttons.map((button) => ({ button, rect: button.getBoundingClientRect() }));
  const beyond = placed.filter(({ rect }) => (rect.top - origin.top) * direction > SAME_ROW);
  if (beyond.length === 0) return undefined;
  const tops = beyond.map(({ rect }) => rect.top);
  const rowTop = direction > 0 ? Math.min(...tops) : Math.max(...tops);
  let closest: { button: HTMLButtonElement; distance: number } | undefined;
  for (const { button, rect } of beyond) {
    const distance = Math.abs(rect.left - origin.left);
    if (Math.abs(rect.top - rowTop) <= SAME_ROW && (closest === undefined || distance < closest.distance)) {
      closest = { button, distance };
    }
  }
  return closest?.button;
}
