import { ERROR_CODE, FRAME_LIMITS } from "../../protocol/frames.ts";
import { normalizeDisplayName, type TextRuleResult } from "../../protocol/parse-client.ts";
import { saveNickname } from "../browser/nickname-store.ts";
import type { RoomConnection } from "../sdk.ts";

export interface NicknameElements {
  composer: HTMLFormElement;
  messageInput: HTMLTextAreaElement;
  /** Shows the current name beside the message box; pressing it offers a rename. */
  chip: HTMLButtonElement;
  form: HTMLFormElement;
  label: HTMLLabelElement;
  input: HTMLInputElement;
  cancel: HTMLButtonElement;
  error: HTMLElement;
}

const RULE_TEXT: Record<Exclude<TextRuleResult, { ok: true }>["reason"], string> = {
  empty: "Enter a nickname.",
  too_long: `A nickname has at most ${FRAME_LIMITS.maxNameLength} characters.`,
  malformed: "A nickname cannot contain control or text-direction characters.",
};

/**
 * The nickname: asked once, in place of the message box, by someone who has
 * never chosen one (they read the room meanwhile under the guest name the
 * room gave them); remembered in localStorage for every room; changed from
 * the chip beside the message box.
 */
export class NicknameControl {
  readonly #elements: NicknameElements;
  readonly #connection: RoomConnection;
  /** A name chosen and not yet confirmed by the room (the SDK sends it once the connection is welcomed). */
  #wanted: string | null = null;

  constructor(elements: NicknameElements, connection: RoomConnection, remembered: string | null) {
    this.#elements = elements;
    this.#connection = connection;
    elements.chip.textContent = remembered ?? "…";
    elements.chip.addEventListener("click", () => this.#ask(false));
    elements.cancel.addEventListener("click", () => this.#showComposer());
    elements.form.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !elements.cancel.hidden) this.#showComposer();
    });
    elements.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#choose(elements.input.value);
    });
    connection.on("welcome", ({ you }) => {
      if (you.name === this.#wanted) this.#wanted = null;
      this.#showName(this.#wanted ?? you.name);
    });
    connection.on("rename", ({ user }) => {
      if (user.id !== connection.user?.id) return;
      if (user.name === this.#wanted) this.#wanted = null;
      this.#showName(user.name);
    });
    connection.on("error", (error) => {
      if (error.kind === "refused" && error.frame.code === ERROR_CODE.invalidName) {
        this.#wanted = null;
        this.#ask(false);
        elements.error.textContent = `The room refused this nickname: ${error.frame.message}`;
      }
    });
    if (remembered === null) this.#ask(true);
  }

  /** Shows the nickname form; a first choice cannot be cancelled. */
  #ask(first: boolean): void {
    const { composer, form, label, input, cancel, error } = this.#elements;
    label.textContent = first ? "Choose a nickname to start chatting" : "Change your nickname";
    cancel.hidden = first;
    error.textContent = "";
    input.value = first ? "" : (this.#connection.user?.name ?? "");
    composer.hidden = true;
    form.hidden = false;
    input.focus();
    input.select();
  }

  #choose(raw: string): void {
    const result = normalizeDisplayName(raw);
    if (!result.ok) {
      this.#elements.error.textContent = RULE_TEXT[result.reason];
      return;
    }
    saveNickname(result.value);
    this.#wanted = result.value;
    this.#connection.rename(result.value);
    this.#showName(result.value);
    this.#showComposer();
  }

  #showName(name: string): void {
    this.#elements.chip.textContent = name;
    this.#elements.chip.ariaLabel = `Your nickname: ${name}. Change it`;
  }

  #showComposer(): void {
    this.#elements.form.hidden = true;
    this.#elements.composer.hidden = false;
    this.#elements.messageInput.focus();
  }
}
