import type { RoomConnection } from "../sdk.ts";
import { onNewMessageFromOthers } from "./new-messages.ts";

/** "(3) #general · edgechat" while the tab is hidden and three messages came in; the count clears on return. */
export function showUnreadInTitle(connection: RoomConnection, title: string): void {
  let unread = 0;
  const render = () => {
    document.title = unread > 0 ? `(${unread}) ${title}` : title;
  };
  onNewMessageFromOthers(connection, () => {
    if (document.visibilityState !== "hidden") return;
    unread++;
    render();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    unread = 0;
    render();
  });
  render();
}
