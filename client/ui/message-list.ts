import type { Message } from "../../protocol/frames.ts";
import { el } from "./dom.ts";
import { dayKey, dayLabel } from "./format-time.ts";

/** The class of a message the reader was just taken to (jump-to-message.ts). */
export const HIGHLIGHT = "highlight";

/**
 * The stored messages in `seq` order, each day opened by a separator. New
 * messages are appended, older pages prepended; a separator never repeats a
 * day next to itself. A message that changes is drawn again in place.
 */
export class MessageList {
  readonly element: HTMLOListElement;
  readonly #render: (message: Message) => HTMLLIElement;
  #first: Message | null = null;
  #last: Message | null = null;

  /** `render` draws one message in its current state (message-item.ts). */
  constructor(list: HTMLOListElement, render: (message: Message) => HTMLLIElement) {
    this.element = list;
    this.#render = render;
  }

  /** The oldest message shown; older pages are read before it. */
  get firstSeq(): number | null {
    return this.#first?.seq ?? null;
  }

  /** The newest message shown. */
  get lastSeq(): number | null {
    return this.#last?.seq ?? null;
  }

  get isEmpty(): boolean {
    return this.#first === null;
  }

  /** The item of message `seq`, when the list shows it. */
  item(seq: number): HTMLLIElement | null {
    // A seq is an integer, so it is safe in a selector as it is.
    return this.element.querySelector<HTMLLIElement>(`li.message[data-seq="${seq}"]`);
  }

  /** Adds the newest message at the end. */
  append(message: Message): void {
    if (this.#last === null || dayKey(this.#last.ts) !== dayKey(message.ts))
      this.element.append(daySeparator(message.ts));
    this.element.append(this.#render(message));
    this.#last = message;
    this.#first ??= message;
  }

  /** Adds a page of older messages, oldest first, at the start. */
  prepend(messages: readonly Message[]): void {
    const oldest = messages[0];
    const newest = messages.at(-1);
    if (oldest === undefined || newest === undefined) return;
    const page = document.createDocumentFragment();
    let previous: Message | null = null;
    for (const message of messages) {
      if (previous === null || dayKey(previous.ts) !== dayKey(message.ts)) page.append(daySeparator(message.ts));
      page.append(this.#render(message));
      previous = message;
    }
    const head = this.element.firstElementChild;
    if (this.#first !== null && dayKey(this.#first.ts) === dayKey(newest.ts) && isDaySeparator(head)) head.remove();
    this.element.prepend(page);
    this.#first = oldest;
    this.#last ??= newest;
  }

  /** Shows these messages, oldest first, in place of everything shown. */
  show(messages: readonly Message[]): void {
    this.clear();
    this.prepend(messages);
  }

  /**
   * Draws a shown message again in its current state, in the same item, so
   * that a highlight stays. The "⋯" and "+" buttons stay the same elements,
   * as the menu or the emoji picker may be open beside them, and so does an
   * edit in progress; the focus stays on what had it, or its counterpart.
   */
  update(message: Message): void {
    const item = this.item(message.seq);
    if (item === null) return;
    const fresh = this.#render(message);
    const focused = document.activeElement;
    const focusedPart = focused instanceof HTMLElement && focused !== item && item.contains(focused) ? focused : null;
    keep(item, fresh, ".message-menu-button");
    keep(item, fresh, ".reaction-add");
    if (message.deleted !== true) keep(item, fresh, ".message-edit", ".message-text");
    const highlighted = item.classList.contains(HIGHLIGHT);
    item.className = fresh.className;
    item.classList.toggle(HIGHLIGHT, highlighted);
    item.replaceChildren(...fresh.childNodes);
    if (focusedPart !== null && document.activeElement !== focusedPart) {
      (focusedPart.isConnected ? focusedPart : counterpart(item, focusedPart)).focus({ preventScroll: true });
    }
  }

  /** A notice where message `seq` would stand, in view; for a link to a message the list cannot show. */
  noticeAt(seq: number, text: string): void {
    const notice = el("li", "list-notice", text);
    const after = [...this.element.querySelectorAll<HTMLLIElement>("li.message")].find(
      (item) => Number(item.dataset.seq) > seq,
    );
    this.element.insertBefore(notice, after ?? null);
    notice.scrollIntoView({ block: "center" });
  }

  /** Marks, where it happened, that messages are missing here; the text says why. */
  appendNotice(text: string): void {
    this.element.append(el("li", "list-notice", text));
  }

  /** Empties the list, for a view that must be rebuilt. */
  clear(): void {
    this.element.replaceChildren();
    this.#first = null;
    this.#last = null;
  }
}

/** Puts the element `selector` finds in `from` in place of the one `slot` finds in `into`, when both exist. */
function keep(from: HTMLElement, into: HTMLElement, selector: string, slot = selector): void {
  const kept = from.querySelector(selector);
  const place = into.querySelector(slot);
  if (kept !== null && place !== null) place.replaceWith(kept);
}

/** The control of a redrawn item that stands where `lost` stood: the same reaction, or the same kind of control. */
function counterpart(item: HTMLLIElement, lost: HTMLElement): HTMLElement {
  const emoji = lost.dataset.emoji;
  const candidates = [...item.querySelectorAll<HTMLElement>(`.${lost.classList[0] ?? "message-menu-button"}`)];
  const found = candidates.find((each) => emoji === undefined || each.dataset.emoji === emoji) ?? candidates[0];
  return found ?? item.querySelector<HTMLElement>(".message-menu-button") ?? item;
}

function daySeparator(ts: number): HTMLLIElement {
  return el("li", "day-separator", el("h3", "day-label", dayLabel(ts)));
}

function isDaySeparator(element: Element | null): element is HTMLLIElement {
  return element instanceof HTMLLIElement && element.classList.contains("day-separator");
}
