import type { RoomConnection } from "../sdk.ts";
import { mentionsReader, newToThisPage } from "./new-messages.ts";

/** What the tab title says of `unread` new messages, `mentions` of which mention the reader. */
export function unreadTitle(title: string, unread: number, mentions: number): string {
  if (unread === 0) return title;
  return mentions === 0 ? `(${unread}) ${title}` : `(${unread} · ${mentions} @) ${title}`;
}

/**
 * While the tab is hidden, its title counts the messages from others the
 * reader has not read, and apart those that mention them: "(3) #general ·
 * edgechat", or "(5 · 2 @) #general · edgechat". Unread is what lies past
 * the read position the room keeps, so a reload keeps the count, and the
 * reader's other tabs and devices move it; a reader without a position yet
 * counts what came in after this page opened.
 */
export function showUnreadInTitle(connection: RoomConnection, title: string): void {
  const isNew = newToThisPage(connection);
  const render = () => {
    let unread = 0;
    let mentions = 0;
    const me = connection.user?.id;
    const read = connection.readPosition;
    if (document.visibilityState === "hidden") {
      for (const message of connection.messages) {
        if (message.user.id === me || message.deleted === true) continue;
        if (read === null ? !isNew(message.seq) : message.seq <= read) continue;
        unread++;
        if (mentionsReader(message, me)) mentions++;
      }
    }
    document.title = unreadTitle(title, unread, mentions);
  };
  connection.on("message", render);
  connection.on("read", render);
  document.addEventListener("visibilitychange", render);
  render();
}
