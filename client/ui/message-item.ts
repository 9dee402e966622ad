import type { Message } from "../../protocol/frames.ts";
import { el } from "./dom.ts";
import { fullTimeLabel, timeLabel } from "./format-time.ts";
import { type RichTextOptions, richText } from "./rich-text-dom.ts";

/** A message's text, formatted, with its line breaks and its links. */
export function messageText(text: string, options: RichTextOptions = {}): HTMLDivElement {
  return el("div", "message-text", richText(text, options));
}

/** The author line of a message: the name, and what else is known (a time, a delivery state). */
export function messageMeta(name: string, ...after: Node[]): HTMLDivElement {
  return el("div", "message-meta", el("span", "message-author", name), ...after);
}

/** One stored message of the list; the user's own are marked so that they stand apart. */
export function messageItem(message: Message, own: boolean): HTMLLIElement {
  const time = el("time", "message-time", timeLabel(message.ts));
  time.dateTime = new Date(message.ts).toISOString();
  time.title = fullTimeLabel(message.ts);
  const meta = own ? messageMeta(message.user.name, ownMarker(), time) : messageMeta(message.user.name, time);
  const item = el("li", own ? "message own" : "message", meta, messageText(message.text));
  item.dataset.seq = String(message.seq);
  item.dataset.id = message.id;
  return item;
}

/** "(you)", for screen readers, which do not see the styling that sets own messages apart. */
export function ownMarker(): HTMLSpanElement {
  return el("span", "visually-hidden", " (you)");
}
