import type { Message, ReplyPreview, User } from "../../protocol/frames.ts";
import { el } from "./dom.ts";
import { fullTimeLabel, timeLabel } from "./format-time.ts";
import { mentionsReader } from "./new-messages.ts";
import { type Reader, reactionsBar } from "./reactions-bar.ts";
import { type RichTextOptions, richText } from "./rich-text-dom.ts";

export type { Reader };

/** The reader's edit of a message that the room has not stored: on its way, or refused (`failed` says why). */
export interface UnsavedEdit {
  id: string;
  text: string;
  mentions: readonly User[];
  failed: string | null;
}

/** A message's text, formatted, with its line breaks and its links. */
export function messageText(text: string, options: RichTextOptions = {}): HTMLDivElement {
  return el("div", "message-text", richText(text, options));
}

/** The author line of a message: the name, and what else is known (a time, a delivery state). */
export function messageMeta(name: string, ...after: Node[]): HTMLDivElement {
  return el("div", "message-meta", el("span", "message-author", name), ...after);
}

/**
 * One stored message of the list, in its current state: its author and
 * time, "(edited)", the message it answers, its text (or "message deleted")
 * and its reactions, with the "⋯" button that opens its menu
 * (message-actions.ts). The reader's own messages are marked so that they
 * stand apart, and so are the ones that mention the reader. An edit of the
 * reader's that the room has not stored yet is shown over the text.
 */
export function messageItem(message: Message, reader: Reader, edit: UnsavedEdit | null = null): HTMLLIElement {
  const own = message.user.id === reader.id;
  const meta = messageMeta(message.user.name, ...(own ? [ownMarker()] : []), messageTime(message.ts));
  const parts: Node[] = [menuButton(), meta];
  if (message.deleted === true) {
    parts.push(el("p", "message-deleted", "message deleted"));
  } else {
    if (message.replyTo !== undefined) parts.push(replyPreview(message.replyTo));
    const shown = edit?.failed === null ? edit : null;
    if (shown !== null) meta.append(el("span", "message-edited", "(saving…)"));
    else if (message.editedAt !== undefined) meta.append(editedMarker(message.editedAt));
    const mentions = shown?.mentions ?? message.mentions ?? [];
    parts.push(messageText(shown?.text ?? message.text, { mentions, ...self(reader) }));
    if (edit !== null && edit.failed !== null) parts.push(editFailure(edit));
    const reactions = reactionsBar(message.reactions ?? [], reader);
    if (reactions !== null) parts.push(reactions);
  }
  const classes = ["message"];
  if (own) classes.push("own");
  if (mentionsReader(message, reader.id)) classes.push("mentions-me");
  if (message.deleted === true) classes.push("deleted");
  const item = el("li", classes.join(" "), ...parts);
  item.dataset.seq = String(message.seq);
  item.dataset.id = message.id;
  return item;
}

/** "(you)", for screen readers, which do not see the styling that sets own messages apart. */
export function ownMarker(): HTMLSpanElement {
  return el("span", "visually-hidden", " (you)");
}

/** The first line of a message with text, as a reply or the reply bar quotes it. */
export function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "") ?? "";
}

function self(reader: Reader): RichTextOptions {
  return reader.id === undefined ? {} : { selfId: reader.id };
}

function messageTime(ts: number): HTMLTimeElement {
  const time = el("time", "message-time", timeLabel(ts));
  time.dateTime = new Date(ts).toISOString();
  time.title = fullTimeLabel(ts);
  return time;
}

function editedMarker(editedAt: number): HTMLSpanElement {
  const marker = el("span", "message-edited", "(edited)");
  marker.title = `Edited ${fullTimeLabel(editedAt)}`;
  return marker;
}

function menuButton(): HTMLButtonElement {
  const button = el("button", "message-menu-button", "⋯");
  button.type = "button";
  button.ariaLabel = "Message actions";
  button.ariaHasPopup = "menu";
  button.ariaExpanded = "false";
  return button;
}

/** The message a reply answers, as it is now; pressing it goes to that message. */
function replyPreview(preview: ReplyPreview): HTMLButtonElement {
  const deleted = preview.deleted === true;
  const button = el(
    "button",
    "reply-preview",
    el("span", "visually-hidden", "In reply to "),
    el("span", "reply-author", preview.user.name),
    el("span", "visually-hidden", ": "),
    el("span", "reply-text", deleted ? "message deleted" : firstLine(preview.text)),
  );
  button.type = "button";
  button.dataset.seq = String(preview.seq);
  if (deleted) button.dataset.deleted = "true";
  button.title = "Go to the message";
  return button;
}

function editFailure(edit: UnsavedEdit): HTMLDivElement {
  const discard = el("button", "discard-edit", "Discard");
  discard.type = "button";
  discard.dataset.id = edit.id;
  return el("div", "failure edit-failure", el("span", "", `Your edit was not saved: ${edit.failed}`), discard);
}
