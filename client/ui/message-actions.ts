import { FRAME_LIMITS, type Message } from "../../protocol/frames.ts";
import { mayDeleteAny } from "../../protocol/role-rank.ts";
import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import { CONFIRM_MS, copyToClipboard } from "./copy-link.ts";
import { el } from "./dom.ts";
import { type JumpToMessage, messageLink } from "./jump-to-message.ts";
import type { MessageEditor } from "./message-edit.ts";
import type { MessageList } from "./message-list.ts";
import { type MenuItem, onLongPress, openMenu } from "./message-menu.ts";
import { loadEmojiPicker } from "./on-demand.ts";
import type { ReplyBar } from "./reply-bar.ts";

export interface MessageActionParts {
  connection: RoomConnection;
  list: MessageList;
  scroller: HTMLElement;
  reply: ReplyBar;
  editor: MessageEditor;
  jump: JumpToMessage;
  announcer: Announcer;
}

/**
 * What the reader can do with a stored message, wired once on the list
 * (the items are drawn again as they change, so nothing is bound to them):
 * its menu ("⋯", or a long press on a touch screen) with Reply, React,
 * Edit and Delete (their own messages), and Copy link; a deleted message
 * offers only Copy link. A reaction button toggles the reader's reaction,
 * "+" adds one from the emoji picker, and a reply's preview goes to the
 * message it answers.
 */
export function wireMessageActions(parts: MessageActionParts): void {
  const { connection, list, scroller, jump } = parts;
  const messageOf = (element: Element): Message | null => {
    const seq = element.closest<HTMLElement>("li.message")?.dataset.seq;
    return seq === undefined ? null : connection.message(Number(seq));
  };
  list.element.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button") : null;
    const message = button === null ? null : messageOf(button);
    if (button === null || message === null) return;
    if (button.classList.contains("message-menu-button")) {
      openMenu(button, menuItems(parts, message, button), "Message actions");
    } else if (button.classList.contains("reaction") && button.dataset.emoji !== undefined) {
      react(parts, message, button.dataset.emoji);
    } else if (button.classList.contains("reaction-add")) {
      pickEmoji(parts, button, (emoji) => react(parts, message, emoji, true));
    } else if (button.classList.contains("reply-preview")) {
      void jump.to(Number(button.dataset.seq));
    } else if (button.classList.contains("discard-edit") && button.dataset.id !== undefined) {
      connection.discard(button.dataset.id);
    }
  });
  onLongPress(list.element, scroller, (item) => {
    const button = item.querySelector<HTMLButtonElement>(".message-menu-button");
    const message = messageOf(item);
    if (button !== null && message !== null) openMenu(button, menuItems(parts, message, button), "Message actions");
  });
}

function menuItems(parts: MessageActionParts, message: Message, anchor: HTMLElement): MenuItem[] {
  const { connection, reply, editor } = parts;
  const copy: MenuItem = { label: "Copy link", action: () => void copyLink(message.seq, anchor, parts.announcer) };
  if (message.deleted === true) return [copy];
  const items: MenuItem[] = [
    { label: "Reply", action: () => reply.start(message) },
    { label: "React", action: () => pickEmoji(parts, anchor, (emoji) => react(parts, message, emoji, true)) },
  ];
  const own = message.user.id === connection.user?.id;
  if (own) items.push({ label: "Edit", action: () => editor.start(message.seq) });
  if (own || moderatesHere(connection)) {
    items.push({
      label: "Delete",
      danger: true,
      action: async () => {
        const answer = await confirmDelete(own ? null : message.user.name);
        if (answer === null) return;
        const result = connection.delete(message.seq, answer === "" ? {} : { reason: answer });
        if (!result.ok) parts.announcer.announce(`The message was not deleted: ${result.message}`);
      },
    });
  }
  items.push(copy);
  return items;
}

/** Whether the reader moderates this room, and so may delete anyone's message (protocol/roles.ts). */
function moderatesHere(connection: RoomConnection): boolean {
  return connection.settings !== null && connection.role !== null && mayDeleteAny(connection.role);
}

/** Opens the emoji picker, loaded the first time it is needed (on-demand.ts). */
function pickEmoji(parts: MessageActionParts, anchor: HTMLElement, onPick: (emoji: string) => void): void {
  loadEmojiPicker().then(
    ({ openEmojiPicker }) => openEmojiPicker(anchor, onPick),
    () => parts.announcer.announce("The emoji picker could not be loaded. Check your connection and try again."),
  );
}

/** Adds (`on`) or toggles the reader's reaction; a refusal (a 21st emoji, a deleted message) is said. */
function react(parts: MessageActionParts, message: Message, emoji: string, on?: boolean): void {
  const result = parts.connection.react(message.seq, emoji, on);
  if (!result.ok) parts.announcer.announce(`The reaction was not changed: ${result.message}`);
}

/** Puts the message's address on the clipboard, and says so beside its menu button for a moment. */
async function copyLink(seq: number, anchor: HTMLElement, announcer: Announcer): Promise<void> {
  const link = messageLink(seq);
  if (!(await copyToClipboard(link))) {
    prompt("Copy this link to the message:", link);
    return;
  }
  announcer.announce("Link to the message copied");
  const note = el("span", "copied-note", "Link copied");
  anchor.closest("li.message")?.querySelector(".message-meta")?.append(note);
  setTimeout(() => note.remove(), CONFIRM_MS);
}

/**
 * "Delete this message?", as a modal dialog: Cancel has the focus, so an
 * Enter pressed out of habit keeps the message; Escape cancels too. The
 * dialog gives the focus back to where it was when it closes. For someone
 * else's message (`author` named) a moderator may give a reason. Resolves
 * with the reason ("" for none), or null when cancelled.
 */
function confirmDelete(author: string | null): Promise<string | null> {
  const heading = el("h2", "dialog-title", author === null ? "Delete this message?" : `Delete ${author}'s message?`);
  heading.id = "delete-dialog-title";
  const reason = el("input");
  reason.id = "delete-reason";
  reason.maxLength = FRAME_LIMITS.maxReasonLength;
  const reasonField = el("label", "tool-field", "Reason (everyone sees it; optional)", reason);
  const cancel = el("button", "", "Cancel");
  cancel.type = "button";
  cancel.autofocus = true;
  const remove = el("button", "danger-button", "Delete");
  remove.type = "button";
  const dialog = el(
    "dialog",
    "confirm-dialog",
    heading,
    el("p", "hint", "Everyone in the room will see that it was deleted."),
    ...(author === null ? [] : [reasonField]),
    el("div", "dialog-actions", cancel, remove),
  );
  dialog.setAttribute("aria-labelledby", heading.id);
  document.body.append(dialog);
  return new Promise((answered) => {
    let confirmed = false;
    remove.addEventListener("click", () => {
      confirmed = true;
      dialog.close();
    });
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      answered(confirmed ? reason.value.trim() : null);
    });
    dialog.showModal();
    cancel.focus();
  });
}
