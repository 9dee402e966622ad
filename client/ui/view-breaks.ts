import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import type { MessageList } from "./message-list.ts";
import type { OlderHistory } from "./older-history.ts";
import type { ScrollFollow } from "./scroll-follow.ts";

/**
 * Shows, never hides, a break in the view (the SDK's `truncated` event).
 * Two cases: messages sent while this page was away were trimmed by the
 * room's retention before it could catch up, so the list says how many are
 * missing where they would have been; or the room's history was reset (it
 * no longer has what this page showed), so the list is rebuilt from the
 * room's history as it is now, opened by a notice saying so.
 */
export function showViewBreaks(
  connection: RoomConnection,
  list: MessageList,
  older: OlderHistory,
  follow: ScrollFollow,
  announcer: Announcer,
): void {
  connection.on("truncated", ({ lastDelivered, resumeAfter }) => {
    let notice: string;
    if (lastDelivered === null || resumeAfter < lastDelivered) {
      notice =
        "This room's history was reset, so the messages shown before are no longer in it. The view was reloaded.";
      list.clear();
      older.rebuilt(resumeAfter);
    } else {
      const missing = resumeAfter - lastDelivered;
      notice =
        missing === 1
          ? "1 message sent while you were away is no longer kept by the room and cannot be shown."
          : `${missing} messages sent while you were away are no longer kept by the room and cannot be shown.`;
    }
    follow.appending(() => list.appendNotice(notice), true);
    announcer.announce(notice);
  });
}
