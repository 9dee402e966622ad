/** How close to the bottom still counts as reading the newest messages. */
const NEAR_BOTTOM_PX = 48;

/**
 * Keeps the conversation where the reader left it. Someone reading the
 * newest messages stays at the bottom as messages arrive; someone reading
 * further up is not yanked down, and gets a button to jump to what is new.
 * Prepending older messages keeps the messages in view where they were.
 */
export class ScrollFollow {
  readonly #scroller: HTMLElement;
  readonly #jump: HTMLButtonElement;

  constructor(scroller: HTMLElement, jump: HTMLButtonElement) {
    this.#scroller = scroller;
    this.#jump = jump;
    scroller.addEventListener("scroll", () => {
      if (this.atBottom) this.#jump.hidden = true;
    });
    jump.addEventListener("click", () => this.toBottom());
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

  toBottom(): void {
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
    this.#jump.hidden = true;
  }
}
