import { isSlowed, untilText, writeRefusal } from "../../protocol/roles.ts";
import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";

export interface ComposerLock {
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  /** Says why the box is read-only, or how slow mode holds the reader back; the box's description. */
  note: HTMLElement;
}

/** How often a countdown (a mute, a message slow mode holds back) is redrawn. */
const TICK_MS = 1000;

/**
 * Whether the reader may write, in words under the message box, with the
 * rules of protocol/roles.ts: muted (for how long), the room locked, a
 * reader, or a room where only members or moderators write. The box is then
 * read-only and says why, rather than taking a message the room would
 * refuse. Under slow mode the note says how often the reader may send and,
 * when the room holds a message back, counts down until it goes. A mute
 * ends on its own, and the box opens again. The note is the box's
 * description, not a live region, so a countdown is not read out each
 * second; what changes is announced once.
 */
export function showWritePermission(connection: RoomConnection, lock: ComposerLock, announcer: Announcer): void {
  let removed = connection.removal !== null;
  /** When a message held back by slow mode goes; 0 when none waits. */
  let slowedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wasRefused = false;

  const refusalNow = (now: number): string | null => {
    if (removed) return "You can no longer write here";
    const { role, settings, mutedUntil } = connection;
    if (role === null || settings === null) return null;
    return writeRefusal({ role, ...(mutedUntil === null ? {} : { mutedUntil }) }, settings, now);
  };

  const render = () => {
    clearTimeout(timer);
    const now = Date.now();
    const refusal = refusalNow(now);
    lock.input.readOnly = refusal !== null;
    lock.send.ariaDisabled = refusal === null ? null : "true";
    lock.note.textContent = refusal === null ? slowModeText(connection, slowedUntil - now) : `${refusal}.`;
    lock.note.dataset.kind = refusal === null ? "slow" : "refused";
    if (refusal !== null && !wasRefused && !removed) announcer.announce(`${refusal}.`);
    if (refusal === null && wasRefused && !removed) announcer.announce("You can write again.");
    wasRefused = refusal !== null;
    const muted = (connection.mutedUntil ?? 0) > now;
    if (!removed && (muted || slowedUntil > now)) timer = setTimeout(render, TICK_MS);
  };

  for (const event of ["welcome", "settings", "moderation", "role"] as const) connection.on(event, render);
  connection.on("paused", ({ retryAfter }) => {
    slowedUntil = Date.now() + retryAfter;
    render();
    const text = slowModeText(connection, retryAfter);
    if (text !== "") announcer.announce(text);
  });
  connection.on("ack", () => {
    slowedUntil = 0;
    render();
  });
  connection.on("removed", () => {
    removed = true;
    render();
  });
  render();
}

/** Slow mode as it holds the reader back: how often they may send, or when a held-back message goes. */
function slowModeText({ role, settings }: RoomConnection, waitMs: number): string {
  if (role === null || settings === null || !isSlowed(role, settings)) return "";
  return waitMs > 0
    ? `Slow mode: you can send again in ${untilText(waitMs)}.`
    : `Slow mode: one message every ${untilText(settings.slowMode * 1000)}.`;
}
