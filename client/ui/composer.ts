import { DEFAULT_LIMITS } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";
import type { MentionTracker } from "./mention-complete.ts";
import type { ReplyBar } from "./reply-bar.ts";

/**
 * The room drops a typing signal that comes sooner than TYPING_INTERVAL_MS
 * after the last one it relayed; a little more than that keeps network
 * jitter from getting one dropped, and stays well within how long the others
 * show "is typing" (typing-indicator.ts).
 */
const TYPING_SIGNAL_EVERY_MS = DEFAULT_LIMITS.typingIntervalMs + 250;

/** What the message box works with besides the connection. */
export interface ComposerParts {
  /** The message being answered, if any. */
  reply: ReplyBar;
  /** The people accepted from the `@name` suggestions. */
  mentions: MentionTracker;
  /** Edits the reader's last message in place; false when there is none. */
  editLast(): boolean;
  /** A message was queued. */
  sent(): void;
}

/**
 * The message box. Enter sends and Shift+Enter starts a new line, except
 * while an input method is composing (Enter then picks the CJK candidate).
 * A message is queued by the SDK at once, online or not; the outbox shows
 * it until the room has stored it, with the message it answers and the
 * people it mentions. Up in an empty box edits the reader's last message,
 * and Escape stops replying. Typing is signalled at the room's own pace:
 * more often would be dropped anyway.
 */
export function wireComposer(
  form: HTMLFormElement,
  input: HTMLTextAreaElement,
  connection: RoomConnection,
  parts: ComposerParts,
): void {
  let lastTypingSignal = Number.NEGATIVE_INFINITY;
  // The suggestions of `@name` take Enter, Up and Escape first, while they are open (mention-complete.ts).
  input.addEventListener("keydown", (event) => {
    if (event.isComposing) return;
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "ArrowUp" && plain && input.value === "" && parts.editLast()) {
      event.preventDefault();
    } else if (event.key === "Escape" && parts.reply.target !== null) {
      event.preventDefault();
      event.stopPropagation();
      parts.reply.clear();
    }
  });
  input.addEventListener("input", () => {
    const now = Date.now();
    if (input.value.trim() === "" || now - lastTypingSignal < TYPING_SIGNAL_EVERY_MS) return;
    lastTypingSignal = now;
    connection.typing();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    // Read-only while the reader may not write here (write-permission.ts), which the note under it says.
    if (text === "" || input.readOnly) return;
    const replyTo = parts.reply.target;
    const mentions = parts.mentions.mentions(text);
    connection.send(text, {
      ...(replyTo === null ? {} : { replyTo }),
      ...(mentions.length === 0 ? {} : { mentions }),
    });
    input.value = "";
    parts.reply.clear();
    parts.mentions.clear();
    parts.sent();
  });
}

/** Puts text back into the message box, after whatever is being written there, ready to change. */
export function editInComposer(input: HTMLTextAreaElement, text: string): void {
  input.value = input.value.trim() === "" ? text : `${input.value}\n${text}`;
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}
