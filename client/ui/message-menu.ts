import { el } from "./dom.ts";

/** One entry of a menu. */
export interface MenuItem {
  label: string;
  action: () => void;
  /** Drawn as a destructive action. */
  danger?: boolean;
}

/** How long a finger rests on a message before its menu opens. */
const LONG_PRESS_MS = 500;
/** How far a finger may move during a long press before it counts as a scroll. */
const LONG_PRESS_SLOP_PX = 10;

/** The one open menu: opening another closes it first. */
let current: Menu | null = null;
let opened = 0;

/**
 * Opens a menu of `items` beside `anchor`, the button that opened it; called
 * again for the same anchor, it closes the menu instead, so the button
 * toggles. The menu is a popover in the top layer (messages.css places it by
 * its anchor), with the menu pattern of ARIA: focus starts on the first
 * item, the arrow keys, Home and End move it, Enter or Space chooses,
 * Escape closes and goes back to the anchor, Tab closes and moves on from
 * the anchor, and a press outside closes. Choosing an item closes the menu,
 * with the focus on the anchor, before the item's action runs, so that the
 * action may move the focus elsewhere.
 */
export function openMenu(anchor: HTMLElement, items: readonly MenuItem[], label: string): void {
  const previous = current;
  previous?.close(false);
  if (previous?.anchor !== anchor) current = new Menu(anchor, items, label);
}

class Menu {
  readonly anchor: HTMLElement;
  readonly #menu: HTMLElement;
  readonly #items: HTMLButtonElement[];
  // A press on the anchor is left to the anchor's own handler, which toggles.
  readonly #onPointerDown = (event: PointerEvent) => {
    const target = event.target instanceof Node ? event.target : null;
    if (target === null || (!this.#menu.contains(target) && !this.anchor.contains(target))) this.close(false);
  };

  constructor(anchor: HTMLElement, items: readonly MenuItem[], label: string) {
    this.anchor = anchor;
    opened += 1;
    this.#items = items.map((item) => {
      const button = el("button", item.danger === true ? "menu-item danger" : "menu-item", item.label);
      button.type = "button";
      button.tabIndex = -1;
      button.setAttribute("role", "menuitem");
      button.addEventListener("click", () => {
        this.close(true);
        item.action();
      });
      return button;
    });
    this.#menu = el("div", "menu", ...this.#items);
    this.#menu.id = `menu-${opened}`;
    this.#menu.setAttribute("role", "menu");
    this.#menu.ariaLabel = label;
    this.#menu.popover = "manual";
    this.#menu.addEventListener("keydown", (event) => this.#onKeydown(event));
    document.body.append(this.#menu);
    anchor.dataset.menuAnchor = "";
    anchor.ariaExpanded = "true";
    anchor.setAttribute("aria-controls", this.#menu.id);
    this.#menu.showPopover();
    this.#items[0]?.focus();
    document.addEventListener("pointerdown", this.#onPointerDown, true);
  }

  close(returnFocus: boolean): void {
    if (current !== this) return;
    current = null;
    document.removeEventListener("pointerdown", this.#onPointerDown, true);
    this.#menu.remove();
    this.anchor.ariaExpanded = "false";
    this.anchor.removeAttribute("aria-controls");
    delete this.anchor.dataset.menuAnchor;
    if (returnFocus) this.anchor.focus();
  }

  #onKeydown(event: KeyboardEvent): void {
    const at = document.activeElement instanceof HTMLButtonElement ? this.#items.indexOf(document.activeElement) : -1;
    const last = this.#items.length - 1;
    let next: number;
    switch (event.key) {
      case "ArrowDown":
        next = at >= last ? 0 : at + 1;
        break;
      case "ArrowUp":
        next = at <= 0 ? last : at - 1;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = last;
        break;
      case "Escape":
        // Stopped here, so that nothing else on the page (the people panel, an edit) also takes this Escape.
        event.stopPropagation();
        this.close(true);
        event.preventDefault();
        return;
      case "Tab":
        // Not prevented: with the focus back on the anchor, the browser moves it on from there.
        this.close(true);
        return;
      default:
        return;
    }
    event.preventDefault();
    this.#items[next]?.focus();
  }
}

/**
 * Calls `pressed` with the message a finger rests on for LONG_PRESS_MS, as
 * touch screens open a menu. Moving the finger, lifting it, or scrolling
 * cancels; a long press is not also a click, nor the browser's own menu.
 * Mouse and pen keep their own ways: the "⋯" button, and the right button.
 */
export function onLongPress(
  container: HTMLElement,
  scroller: HTMLElement,
  pressed: (item: HTMLLIElement) => void,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let start: { x: number; y: number } | null = null;
  let fired = false;
  const cancel = () => {
    clearTimeout(timer);
    start = null;
  };
  container.addEventListener("pointerdown", (event) => {
    cancel();
    fired = false;
    if (event.pointerType !== "touch" || !(event.target instanceof Element)) return;
    if (event.target.closest("a, button, textarea, input") !== null) return;
    const item = event.target.closest("li.message");
    if (!(item instanceof HTMLLIElement)) return;
    start = { x: event.clientX, y: event.clientY };
    timer = setTimeout(() => {
      start = null;
      fired = true;
      pressed(item);
    }, LONG_PRESS_MS);
  });
  container.addEventListener("pointermove", (event) => {
    if (start !== null && Math.hypot(event.clientX - start.x, event.clientY - start.y) > LONG_PRESS_SLOP_PX) cancel();
  });
  for (const type of ["pointerup", "pointercancel", "pointerleave"]) container.addEventListener(type, cancel);
  scroller.addEventListener("scroll", cancel, { passive: true });
  // The press that opened the menu ends in a click and, on some phones, the browser's context menu: neither is wanted.
  container.addEventListener("contextmenu", (event) => {
    if (fired) event.preventDefault();
  });
  container.addEventListener(
    "click",
    (event) => {
      if (!fired) return;
      fired = false;
      event.preventDefault();
      event.stopPropagation();
    },
    { capture: true },
  );
}
