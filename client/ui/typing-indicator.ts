import type { User } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";

/**
 * How long someone counts as typing after their last signal. The room relays
 * at most one signal per person every 2 s (TYPING_INTERVAL_MS), so a little
 * more than that bridges the gap between two signals.
 */
const TYPING_SHOWN_MS = 3500;

/** "ana is typing…" under the conversation, from the room's `typing` frames; gone once they send. */
export function showWhoIsTyping(connection: RoomConnection, line: HTMLElement): void {
  const typing = new Map<string, { user: User; timer: ReturnType<typeof setTimeout> }>();
  const render = () => {
    const names = [...typing.values()].map(({ user }) => user.name);
    line.textContent = typingText(names);
  };
  const stop = (id: string) => {
    const entry = typing.get(id);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    typing.delete(id);
    render();
  };
  connection.on("typing", ({ user }) => {
    const previous = typing.get(user.id);
    if (previous !== undefined) clearTimeout(previous.timer);
    typing.set(user.id, { user, timer: setTimeout(() => stop(user.id), TYPING_SHOWN_MS) });
    render();
  });
  connection.on("message", (message) => stop(message.user.id));
  connection.on("leave", ({ user }) => stop(user.id));
}

function typingText(names: readonly string[]): string {
  const [first, second] = names;
  if (first === undefined) return "";
  if (second === undefined) return `${first} is typing…`;
  if (names.length === 2) return `${first} and ${second} are typing…`;
  return "Several people are typing…";
}
