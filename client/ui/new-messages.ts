import type { Message } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";

/**
 * Calls `handler` for each message from someone else that is new to this
 * page: not the history the first welcome shows (the room as it was on
 * arrival), but everything after it, including what a reconnect catches up
 * on. Unread counts, notifications and announcements follow this.
 */
export function onNewMessageFromOthers(connection: RoomConnection, handler: (message: Message) => void): void {
  let arrivedAfter: number | null = null;
  connection.on("welcome", ({ lastSeq }) => {
    arrivedAfter ??= lastSeq;
  });
  // A room whose history was reset numbers its messages from a lower seq again.
  connection.on("truncated", ({ resumeAfter }) => {
    if (arrivedAfter !== null) arrivedAfter = Math.min(arrivedAfter, resumeAfter);
  });
  connection.on("message", (message) => {
    if (arrivedAfter === null || message.seq <= arrivedAfter) return;
    if (message.user.id !== connection.user?.id) handler(message);
  });
}
