/** How close to the bottom still counts as reading the newest messages. */
const NEAR_BOTTOM_PX = 48;

/**
 * Keeps the conversation where the reader left it. Someone reading the
 * newest messages stays at the bottom as messages arrive; someone reading
 * further up is not yanked down, and gets a button to jump to what is new.
 * Prepending older messages, or a message above the view growing or
 * shrinking, keeps the messages in view where they were.
 *
 * While the list shows a page further back (jump-to-message.ts), the same
 * button stays, as "Jump to latest", and takes the reader back.
 */
export class ScrollFollow {
  readonly #scroller: HTMLElement;
  readonly #jump: HTMLButtonElement;
  readonly #newText: string;
  /** What the button does while the list shows a page further back; null while it shows the newest messages. */
  #backToLatest: (() => void) | null = null;

  constructor(scroller: HTMLElement, jump: HTMLButtonElement) {
    this.#scroller = scroller;
    this.#jump = jump;
    this.#newText = jump.textContent ?? "";
    scroller.addEventListener("scroll", () => {
      if (this.atBottom && this.#backToLatest === null) this.#jump.hidden = true;
    });
    jump.addEventListener("click", () => (this.#backToLatest ?? (() => this.toBottom()))());
  }

  get atBottom(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.#scroller;
    return scrollHeight - scrollTop - clientHeight <= NEAR_BOTTOM_PX;
  }

  /** Whether the content fills the scroller, so that the reader can scroll at all. */
  get overflows(): boolean {
    return this.#scroller.scrollHeight > this.#scroller.clientHeight;
  }

  /** Adds content at the bottom: follows it if the reader was at the bottom (or `follow`), else offers to jump. */
  appending(add: () => void, follow = false): void {
    const wasAtBottom = this.atBottom;
    add();
    if (wasAtBottom || follow) this.toBottom();
    else this.#jump.hidden = false;
  }

  /** Adds content at the top without moving what the reader sees. */
  prepending(add: () => void): void {
    const fromBottom = this.#scroller.scrollHeight - this.#scroller.scrollTop;
    add();
    this.#scroller.scrollTop = this.#scroller.scrollHeight - fromBottom;
  }

  /**
   * Changes an element in place. A reader at the bottom stays there; one
   * reading below the element, which is above the view, sees the same
   * messages as before (the scroller does no anchoring of its own).
   */
  changing(element: HTMLElement | null, change: () => void): void {
    if (element === null) {
      change();
      return;
    }
    const wasAtBottom = this.atBottom;
    const before = element.getBoundingClientRect();
    const above = before.bottom <= this.#scroller.getBoundingClientRect().top;
    change();
    if (wasAtBottom && this.#backToLatest === null) this.toBottom();
    else if (above) this.#scroller.scrollTop += element.getBoundingClientRect().height - before.height;
  }

  toBottom(): void {
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
    if (this.#backToLatest === null) this.#jump.hidden = true;
  }

  /** The list shows a page further back: the button stays, and `back` returns to the newest messages. */
  leaveLatest(back: () => void): void {
    this.#backToLatest = back;
    this.#jump.textContent = "Jump to latest ↓";
    this.#jump.hidden = false;
  }

  /** The list shows the newest messages again. */
  atLatest(): void {
    this.#backToLatest = null;
    this.#jump.textContent = this.#newText;
    this.#jump.hidden = true;
  }
}
