import { ERROR_CODE, type ErrorCode, FRAME_LIMITS } from "../../protocol/frames.ts";
import type { ConnectionState, PendingMessage, RoomConnection } from "../sdk.ts";
import { el } from "./dom.ts";
import { messageMeta, messageText, ownMarker } from "./message-item.ts";

/** Why a message failed, in words for the person who wrote it. */
const FAILURE_TEXT: Partial<Record<ErrorCode, string>> = {
  [ERROR_CODE.tooLarge]: `Too long to send: a message has at most ${FRAME_LIMITS.maxTextLength} characters. Edit it to shorten it.`,
  [ERROR_CODE.badRequest]: "The room refused this message.",
};

/** A queued message, as opposed to a queued edit, deletion or reaction, which this view does not show. */
type QueuedMessage = Extract<PendingMessage, { kind?: "send" }>;

function isQueuedMessage(pending: PendingMessage): pending is QueuedMessage {
  return pending.kind === undefined || pending.kind === "send";
}

/** What the outbox asks of the message box. */
export interface ComposerAccess {
  focus(): void;
  /** Puts a failed message's text back into the message box, to be changed and sent again. */
  edit(text: string): void;
}

/**
 * The user's messages that the room has not stored yet, below the stored
 * ones: "Sending…", "Waiting for the connection…" while offline, or "Not
 * sent", with Retry, Edit (back into the message box) and Discard. A
 * message the room confirmed stays here, marked sent, until it appears in
 * the list above, so it never blinks out between the room's ack and its
 * broadcast.
 *
 * The queue is shared by the room's tabs, so it also shows what another tab
 * queued, and loses what another tab sent or discarded. Only an ack on this
 * tab's connection marks a message sent; one that leaves the queue without
 * it was sent from another tab (and appears in the list as this tab's
 * stream brings it) or discarded there, and its row goes.
 */
export class OutboxView {
  readonly #list: HTMLOListElement;
  readonly #connection: RoomConnection;
  readonly #authorName: () => string;
  readonly #composer: ComposerAccess;
  readonly #rows = new Map<string, HTMLLIElement>();
  /** Confirmed by the room, waiting for their message to appear in the list. */
  readonly #confirmed = new Set<string>();

  constructor(list: HTMLOListElement, connection: RoomConnection, authorName: () => string, composer: ComposerAccess) {
    this.#list = list;
    this.#connection = connection;
    this.#authorName = authorName;
    this.#composer = composer;
    // The SDK emits an ack before the outbox without the message, so the row is still here to mark.
    connection.on("ack", ({ id }) => this.#markSent(id));
    connection.on("outbox", (outbox) => this.#render(outbox));
    connection.on("state", () => this.#render(connection.outbox));
    connection.on("message", (message) => {
      if (message.user.id === connection.user?.id) this.#remove(message.id);
    });
    // A rebuilt view will not show the messages that were waiting to appear.
    connection.on("truncated", () => {
      for (const id of this.#confirmed) this.#remove(id);
    });
    this.#render(connection.outbox);
  }

  #render(outbox: readonly PendingMessage[]): void {
    const messages = outbox.filter(isQueuedMessage);
    const waiting = new Set(messages.map((message) => message.id));
    for (const id of this.#rows.keys()) {
      if (!waiting.has(id) && !this.#confirmed.has(id)) this.#remove(id);
    }
    const order = [...this.#confirmed, ...messages.map((message) => message.id)];
    for (const message of messages) this.#update(message);
    order.forEach((id, index) => {
      const row = this.#rows.get(id);
      if (row !== undefined && this.#list.children[index] !== row) {
        this.#list.insertBefore(row, this.#list.children[index] ?? null);
      }
    });
  }

  #update(message: QueuedMessage): void {
    const row = this.#rows.get(message.id) ?? this.#newRow(message);
    const status = message.status === "failed" ? "failed" : "pending";
    if (row.dataset.status === status && row.dataset.state === this.#connection.state) return;
    row.dataset.status = status;
    row.dataset.state = this.#connection.state;
    row.className = `message own ${status}`;
    const meta = messageMeta(
      this.#authorName(),
      ownMarker(),
      el("span", "delivery", deliveryText(message, this.#connection.state)),
    );
    const parts: Node[] = [meta, messageText(message.text)];
    if (message.status === "failed") parts.push(el("p", "failure", failureText(message)), this.#actions(message));
    const hadFocus = row.contains(document.activeElement);
    row.replaceChildren(...parts);
    if (hadFocus) this.#composer.focus();
  }

  #newRow(message: PendingMessage): HTMLLIElement {
    const row = el("li");
    row.dataset.id = message.id;
    this.#rows.set(message.id, row);
    return row;
  }

  #actions({ id, text }: QueuedMessage): HTMLDivElement {
    const retry = actionButton("Retry", () => {
      this.#connection.retry(id);
      this.#composer.focus();
    });
    // A failed message is never in flight, so discarding it always succeeds (and the outbox event removes its row).
    const edit = actionButton("Edit", () => {
      this.#connection.discard(id);
      this.#composer.edit(text);
    });
    const discard = actionButton("Discard", () => {
      this.#connection.discard(id);
      this.#composer.focus();
    });
    return el("div", "message-actions", retry, edit, discard);
  }

  #markSent(id: string): void {
    const row = this.#rows.get(id);
    if (row === undefined) return;
    this.#confirmed.add(id);
    row.className = "message own sent";
    row.dataset.status = "sent";
    row.querySelector(".delivery")?.replaceChildren("Sent");
    row.querySelector(".message-actions")?.remove();
    row.querySelector(".failure")?.remove();
  }

  #remove(id: string): void {
    this.#rows.get(id)?.remove();
    this.#rows.delete(id);
    this.#confirmed.delete(id);
  }
}

function deliveryText(message: PendingMessage, state: ConnectionState): string {
  if (message.status === "failed") return "Not sent";
  return state === "online" ? "Sending…" : "Waiting for the connection…";
}

function failureText(message: Extract<PendingMessage, { status: "failed" }>): string {
  return FAILURE_TEXT[message.code] ?? `The room refused this message: ${message.reason}`;
}

function actionButton(label: string, action: () => void): HTMLButtonElement {
  const button = el("button", "", label);
  button.type = "button";
  button.addEventListener("click", action);
  return button;
}
