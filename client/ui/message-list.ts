import type { Message } from "../../protocol/frames.ts";
import { el } from "./dom.ts";
import { dayKey, dayLabel } from "./format-time.ts";
import { messageItem } from "./message-item.ts";

/**
 * The stored messages in `seq` order, each day opened by a separator. New
 * messages are appended, older pages prepended; a separator never repeats a
 * day next to itself.
 */
export class MessageList {
  readonly #list: HTMLOListElement;
  #first: Message | null = null;
  #last: Message | null = null;

  constructor(list: HTMLOListElement) {
    this.#list = list;
  }

  /** The oldest message shown; older pages are read before it. */
  get firstSeq(): number | null {
    return this.#first?.seq ?? null;
  }

  get isEmpty(): boolean {
    return this.#first === null;
  }

  /** Adds the newest message at the end. */
  append(message: Message, own: boolean): void {
    if (this.#last === null || dayKey(this.#last.ts) !== dayKey(message.ts))
      this.#list.append(daySeparator(message.ts));
    this.#list.append(messageItem(message, own));
    this.#last = message;
    this.#first ??= message;
  }

  /** Adds a page of older messages, oldest first, at the start. */
  prepend(messages: readonly Message[], isOwn: (message: Message) => boolean): void {
    const oldest = messages[0];
    const newest = messages.at(-1);
    if (oldest === undefined || newest === undefined) return;
    const page = document.createDocumentFragment();
    let previous: Message | null = null;
    for (const message of messages) {
      if (previous === null || dayKey(previous.ts) !== dayKey(message.ts)) page.append(daySeparator(message.ts));
      page.append(messageItem(message, isOwn(message)));
      previous = message;
    }
    const head = this.#list.firstElementChild;
    if (this.#first !== null && dayKey(this.#first.ts) === dayKey(newest.ts) && isDaySeparator(head)) head.remove();
    this.#list.prepend(page);
    this.#first = oldest;
    this.#last ??= newest;
  }

  /** Marks, where it happened, that messages are missing here; the text says why. */
  appendNotice(text: string): void {
    this.#list.append(el("li", "list-notice", text));
  }

  /** Empties the list, for a view that must be rebuilt. */
  clear(): void {
    this.#list.replaceChildren();
    this.#first = null;
    this.#last = null;
  }
}

function daySeparator(ts: number): HTMLLIElement {
  return el("li", "day-separator", el("h3", "day-label", dayLabel(ts)));
}

function isDaySeparator(element: Element | null): element is HTMLLIElement {
  return element instanceof HTMLLIElement && element.classList.contains("day-separator");
}
