import type { Message } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";
import { el } from "./dom.ts";
import { firstLine } from "./message-item.ts";

export interface ReplyElements {
  bar: HTMLElement;
  text: HTMLElement;
  cancel: HTMLButtonElement;
}

/**
 * The composer's reply mode: a bar above the message box, "Replying to ana:
 * …", with ✕ to cancel (Escape in the box does too). The next message sent
 * answers that message. The bar follows the message as it is edited, and
 * goes if it is deleted, as the room would refuse to answer it.
 */
export class ReplyBar {
  readonly #elements: ReplyElements;
  readonly #input: HTMLTextAreaElement;
  #target: number | null = null;

  constructor(elements: ReplyElements, input: HTMLTextAreaElement, connection: RoomConnection) {
    this.#elements = elements;
    this.#input = input;
    elements.cancel.addEventListener("click", () => {
      this.clear();
      input.focus();
    });
    connection.on("edit", ({ message }) => {
      if (message !== null && message.seq === this.#target) this.#show(message);
    });
    connection.on("delete", ({ event }) => {
      if (event.target === this.#target) this.clear();
    });
  }

  /** The seq of the message being answered; null when not replying. */
  get target(): number | null {
    return this.#target;
  }

  /** Answers `message` with the next message sent, and puts the focus in the box to write it. */
  start(message: Message): void {
    this.#target = message.seq;
    this.#show(message);
    this.#input.focus();
  }

  clear(): void {
    this.#target = null;
    this.#elements.bar.hidden = true;
    this.#elements.text.replaceChildren();
  }

  #show(message: Message): void {
    const { bar, text } = this.#elements;
    text.replaceChildren("Replying to ", el("strong", "", message.user.name), `: ${firstLine(message.text)}`);
    bar.hidden = false;
  }
}
