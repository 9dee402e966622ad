import type { Message, User } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";
import { el } from "./dom.ts";
import { attachMentionComplete, MAX_MENTIONS, type MentionCandidate, mentionedIds } from "./mention-complete.ts";
import type { UnsavedEdit } from "./message-item.ts";
import type { MessageList } from "./message-list.ts";

/**
 * The reader's edits that the room has not stored, shown over their
 * messages: one waiting in the outbox (offline, or on its way) shows its
 * text, marked "saving…"; one the room refused shows why, with Discard.
 * The room acknowledges an edit before it broadcasts it, so an
 * acknowledged edit stays shown until its event arrives, and the old text
 * never blinks back in between.
 */
export class UnsavedEdits {
  readonly #connection: RoomConnection;
  readonly #nameOf: (id: string) => string | null;
  readonly #redraw: (seq: number) => void;
  /** Edits the room has stored whose event has not arrived, by the seq of their message. */
  readonly #acked = new Map<number, UnsavedEdit & { seq: number }>();
  /** The unsaved edit each message was last drawn with, as a key, to draw again those that changed. */
  readonly #drawn = new Map<number, string>();

  constructor(connection: RoomConnection, nameOf: (id: string) => string | null, redraw: (seq: number) => void) {
    this.#connection = connection;
    this.#nameOf = nameOf;
    this.#redraw = redraw;
    // The SDK emits an ack while the outbox still holds what it acknowledges.
    connection.on("ack", (ack) => {
      const edit = connection.outbox.find((pending) => pending.id === ack.id && pending.kind === "edit");
      if (!("seq" in ack) || edit?.kind !== "edit" || typeof edit.target !== "number") return;
      this.#acked.set(edit.target, { ...this.#shown(edit), failed: null, seq: ack.seq });
    });
    connection.on("edit", ({ event }) => this.#delivered(event.target, event.seq));
    connection.on("delete", ({ event }) => this.#delivered(event.target, event.seq));
    connection.on("truncated", () => this.#acked.clear());
    connection.on("outbox", () => this.#redrawChanged());
  }

  /** The unsaved edit to show over `message`, if the reader has one; remembered as drawn. */
  of(message: Message): UnsavedEdit | null {
    const edit = this.#find(message);
    if (edit === null) this.#drawn.delete(message.seq);
    else this.#drawn.set(message.seq, keyOf(edit));
    return edit;
  }

  #find(message: Message): UnsavedEdit | null {
    if (message.user.id !== this.#connection.user?.id) return null;
    const acked = this.#acked.get(message.seq);
    if (acked !== undefined) return acked;
    let found: UnsavedEdit | null = null;
    for (const pending of this.#connection.outbox) {
      if (pending.kind !== "edit" || (pending.target !== message.seq && pending.target !== message.id)) continue;
      found = { ...this.#shown(pending), failed: pending.status === "failed" ? pending.reason : null };
    }
    return found;
  }

  #shown(edit: { id: string; text: string; mentions?: readonly string[] }): Omit<UnsavedEdit, "failed"> {
    const mentions: User[] = [];
    for (const id of edit.mentions ?? []) {
      const name = this.#nameOf(id);
      if (name !== null) mentions.push({ id, name });
    }
    return { id: edit.id, text: edit.text, mentions };
  }

  /** An edit or deletion of message `target` arrived: an acknowledged edit it reflects is no longer unsaved. */
  #delivered(target: number, seq: number): void {
    const acked = this.#acked.get(target);
    if (acked !== undefined && acked.seq <= seq) this.#acked.delete(target);
  }

  #redrawChanged(): void {
    const seqs = new Set(this.#drawn.keys());
    for (const pending of this.#connection.outbox) {
      if (pending.kind === "edit" && typeof pending.target === "number") seqs.add(pending.target);
    }
    for (const seq of seqs) {
      const message = this.#connection.message(seq);
      const edit = message === null ? null : this.#find(message);
      if ((edit === null ? undefined : keyOf(edit)) !== this.#drawn.get(seq)) this.#redraw(seq);
    }
  }
}

function keyOf(edit: UnsavedEdit): string {
  return JSON.stringify([edit.id, edit.text, edit.failed]);
}

/**
 * Editing in place: the message's text becomes a box holding it; Enter
 * saves, Shift+Enter starts a new line, Escape cancels, and Save and
 * Cancel do the same for touch. `@name` is completed as in the message
 * box, and the people the message already mentions stay mentioned while
 * their `@Name` is still in it. Up in an empty message box edits the
 * reader's last message (composer.ts calls `startLast`).
 */
export class MessageEditor {
  readonly #connection: RoomConnection;
  readonly #list: MessageList;
  readonly #edits: UnsavedEdits;
  readonly #candidates: () => readonly MentionCandidate[];
  readonly #redraw: (seq: number) => void;

  constructor(
    connection: RoomConnection,
    list: MessageList,
    edits: UnsavedEdits,
    candidates: () => readonly MentionCandidate[],
    redraw: (seq: number) => void,
  ) {
    this.#connection = connection;
    this.#list = list;
    this.#edits = edits;
    this.#candidates = candidates;
    this.#redraw = redraw;
  }

  /** Edits the reader's last message shown; false when the list shows none. */
  startLast(): boolean {
    const own = [...this.#list.element.querySelectorAll<HTMLLIElement>("li.message.own:not(.deleted)")];
    const last = own.at(-1);
    if (last === undefined || !this.start(Number(last.dataset.seq))) return false;
    last.scrollIntoView({ block: "nearest" });
    return true;
  }

  /** Turns message `seq`'s text into a box to edit it; false when it is not the reader's to edit, or not shown. */
  start(seq: number): boolean {
    const message = this.#connection.message(seq);
    const item = this.#list.item(seq);
    if (message === null || item === null || message.deleted === true) return false;
    if (message.user.id !== this.#connection.user?.id) return false;
    const open = item.querySelector<HTMLTextAreaElement>(".message-edit-input");
    if (open !== null) {
      open.focus();
      return true;
    }
    const text = item.querySelector(".message-text");
    if (text === null) return false;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const unsaved = this.#edits.of(message);
    const input = el("textarea", "message-edit-input");
    input.id = `edit-${seq}`;
    input.value = unsaved?.text ?? message.text;
    const label = el("label", "visually-hidden", "Edit message");
    label.htmlFor = input.id;
    const error = el("p", "form-error");
    error.setAttribute("role", "alert");
    const save = el("button", "send-button", "Save");
    save.type = "submit";
    const cancel = el("button", "", "Cancel");
    cancel.type = "button";
    const hint = el("span", "hint edit-hint", "Enter to save, Escape to cancel");
    const form = el("form", "message-edit", label, input, el("div", "message-edit-actions", save, cancel, hint), error);
    text.replaceWith(form);
    const mentions = attachMentionComplete(input, this.#candidates);

    const finish = () => {
      form.remove();
      this.#redraw(seq);
      const back = returnTo?.isConnected === true ? returnTo : item.querySelector<HTMLElement>(".message-menu-button");
      back?.focus({ preventScroll: true });
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        finish();
      }
    });
    cancel.addEventListener("click", finish);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = input.value.trim();
      const current = this.#connection.message(seq) ?? message;
      const waiting = this.#edits.of(current);
      if (value === current.text && waiting === null && mentions.mentions(value).length === 0) {
        finish();
        return;
      }
      if (value === "") {
        error.textContent = "A message cannot be empty. To remove it, delete it instead.";
        return;
      }
      const named = new Set([...mentionedIds(value, current.mentions ?? []), ...mentions.mentions(value)]);
      // A refused edit is replaced by this one.
      if (waiting !== null && waiting.failed !== null) this.#connection.discard(waiting.id);
      const result = this.#connection.edit(seq, value, { mentions: [...named].slice(0, MAX_MENTIONS) });
      if (result.ok) finish();
      else error.textContent = result.message;
    });
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    return true;
  }
}
