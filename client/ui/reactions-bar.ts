import type { Reaction } from "../../protocol/frames.ts";
import { el } from "./dom.ts";

/** How a message's reader is known to the parts that draw it. */
export interface Reader {
  /** The reader's user id; undefined before the first welcome. */
  readonly id: string | undefined;
  /** A user's name as the page knows it, or null. */
  nameOf(id: string): string | null;
}

/**
 * The reactions under a message: one button per emoji with its count,
 * pressed (`aria-pressed`) when the reader's own reaction is among them,
 * then a "+" to add another. Who reacted is the button's title, which a
 * screen reader reads as its description and a focus shows too
 * (messages.css). Null when the message has no reactions: the message menu
 * adds the first.
 */
export function reactionsBar(reactions: readonly Reaction[], reader: Reader): HTMLElement | null {
  if (reactions.length === 0) return null;
  const add = el("button", "reaction-add", "+");
  add.type = "button";
  add.ariaLabel = "Add reaction";
  add.title = "Add reaction";
  const bar = el("div", "reactions", ...reactions.map((reaction) => reactionButton(reaction, reader)), add);
  bar.setAttribute("role", "group");
  bar.ariaLabel = "Reactions";
  return bar;
}

function reactionButton({ emoji, count, users }: Reaction, reader: Reader): HTMLButtonElement {
  const mine = reader.id !== undefined && users.includes(reader.id);
  const button = el(
    "button",
    mine ? "reaction mine" : "reaction",
    el("span", "reaction-emoji", emoji),
    el("span", "reaction-count", String(count)),
  );
  button.type = "button";
  button.ariaPressed = String(mine);
  button.dataset.emoji = emoji;
  button.title = `${whoReacted(users, count, reader)} reacted with ${emoji}`;
  return button;
}

/** "You, ana and 2 others": the names the page knows, the earliest first; the rest counted. */
export function whoReacted(users: readonly string[], count: number, reader: Reader): string {
  const names: string[] = [];
  // The room lists the first 50 of a reaction's users; the count says how many there are.
  let others = Math.max(0, count - users.length);
  for (const id of users) {
    const name = id === reader.id ? "you" : reader.nameOf(id);
    if (name === null) others++;
    else names.push(name);
  }
  if (others > 0) {
    if (names.length === 0) names.push(others === 1 ? "someone" : `${others} people`);
    else names.push(others === 1 ? "1 other" : `${others} others`);
  }
  if (names[0] === "you") names[0] = "You";
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
