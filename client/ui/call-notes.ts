/**
 * The timeline's notes of a room's calls: "Alice started a call", "Bob
 * joined the call", "Bob left the call", and at the end "Call ended ·
 * 12 min", when the start is known (from its event, or from the call a
 * welcome found on). They come in `seq` order with the messages, as the
 * SDK delivers the log, so a resume places them where they happened.
 */
import type { CallEventFrame } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";

/** Notes each call event in the timeline; an end says how long the call lasted when its start is known. */
export function showCallNotes(connection: RoomConnection, notice: (text: string) => void): void {
  const starts = new Map<string, number>();
  connection.on("welcome", ({ call }) => {
    if (call !== undefined) starts.set(call.call, call.since);
  });
  connection.on("call", (event) => {
    if (event.action === "start") starts.set(event.call, event.ts);
    notice(callNote(event, starts.get(event.call)));
  });
}

/** "Alice started a call", "Bob joined the call", "Call ended · 12 min". */
export function callNote(event: CallEventFrame, since: number | undefined): string {
  const who = event.user.name;
  switch (event.action) {
    case "start":
      return `${who} started a call`;
    case "join":
      return `${who} joined the call`;
    case "leave":
      return `${who} left the call`;
    case "end":
      return since === undefined ? "Call ended" : `Call ended · ${callLength(event.ts - since)}`;
  }
}

/** "less than a minute", "12 min", "1 h 5 min". */
export function callLength(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}
