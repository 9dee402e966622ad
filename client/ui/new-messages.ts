import type { Message } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";

/**
 * Whether an event of the room's log is new to this page: not in the
 * history the first welcome shows (the room as it was on arrival), but
 * anything after it, including what a reconnect catches up on. Unread
 * counts, notifications and announcements follow this, so that a welcome's
 * edits and reactions are not read out as news.
 */
export function newToThisPage(connection: RoomConnection): (seq: number) => boolean {
  let arrivedAfter: number | null = null;
  connection.on("welcome", ({ lastSeq }) => {
    arrivedAfter ??= lastSeq;
  });
  // A room whose history was reset numbers its events from a lower seq again.
  connection.on("truncated", ({ resumeAfter }) => {
    if (arrivedAfter !== null) arrivedAfter = Math.min(arrivedAfter, resumeAfter);
  });
  return (seq) => arrivedAfter !== null && seq > arrivedAfter;
}

/** Calls `handler` for each message from someone else that is new to this page (see `newToThisPage`). */
export function onNewMessageFromOthers(connection: RoomConnection, handler: (message: Message) => void): void {
  const isNew = newToThisPage(connection);
  connection.on("message", (message) => {
    if (isNew(message.seq) && message.user.id !== connection.user?.id) handler(message);
  });
}

/** Whether a message mentions the reader (their own never counts). */
export function mentionsReader(message: Message, readerId: string | undefined): boolean {
  if (readerId === undefined || message.user.id === readerId) return false;
  return message.mentions?.some((user) => user.id === readerId) === true;
}
