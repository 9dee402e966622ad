import { DEFAULT_LIMITS } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";

/**
 * The room drops a typing signal that comes sooner than TYPING_INTERVAL_MS
 * after the last one it relayed; a little more than that keeps network
 * jitter from getting one dropped, and stays well within how long the others
 * show "is typing" (typing-indicator.ts).
 */
const TYPING_SIGNAL_EVERY_MS = DEFAULT_LIMITS.typingIntervalMs + 250;

/**
 * The message box. Enter sends and Shift+Enter starts a new line, except
 * while an input method is composing (Enter then picks the CJK candidate).
 * A message is queued by the SDK at once, online or not; the outbox shows
 * it until the room has stored it. Typing is signalled at the room's own
 * pace: more often would be dropped anyway.
 */

export function wireComposer(
  form: HTMLFormElement,
  input: HTMLTextAreaElement,
  connection: RoomConnection,
  sent: () => void,
): void {
  let lastTypingSignal = Number.NEGATIVE_INFINITY;
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    form.requestSubmit();
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
    if (text === "") return;
    connection.send(text);
    input.value = "";
    sent();
  });
}

/** Puts text back into the message box, after whatever is being written there, ready to change. */
export function editInComposer(input: HTMLTextAreaElement, text: string): void {
  input.value = input.value.trim() === "" ? text : `${input.value}\n${text}`;
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}
