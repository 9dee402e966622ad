import type { RoomConnection } from "../sdk.ts";
import { mentionsReader, onNewMessageFromOthers } from "./new-messages.ts";

/** What the tab title says of `unread` new messages, `mentions` of which mention the reader. */
export function unreadTitle(title: string, unread: number, mentions: number): string {
  if (unread === 0) return title;
  return mentions === 0 ? `(${unread}) ${title}` : `(${unread} · ${mentions} @) ${title}`;
}

/**
 * While the tab is hidden, its title counts the messages that came in, and
 * apart those that mention the reader: "(3) #general · edgechat", or
 * "(5 · 2 @) #general · edgechat". The counts clear on return.
 */
export function showUnreadInTitle(connection: RoomConnection, title: string): void {
  let unread = 0;
  let mentions = 0;
  const render = () => {
    document.title = unreadTitle(title, unread, mentions);
  };
  onNewMessageFromOthers(connection, (message) => {
    if (document.visibilityState !== "hidden") return;
    unread++;
    if (mentionsReader(message, connection.user?.id)) mentions++;
    render();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    unread = 0;
    mentions = 0;
    render();
  });
  render();
}
