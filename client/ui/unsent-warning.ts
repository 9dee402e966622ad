import type { RoomConnection } from "../sdk.ts";

/**
 * Asks before the tab closes while messages wait to be sent and would be
 * lost with it. Where the browser shares one queue between the room's tabs
 * (IndexedDB), closing loses nothing: another tab, or the next visit to the
 * room, sends them, so the browser's "Leave site?" question would only be
 * noise. Where each tab keeps its own queue, a reload keeps it but a closed
 * tab takes it along, and the question is the last chance.
 */
export function warnAboutUnsentMessages(connection: RoomConnection, outlivesTab: () => boolean): void {
  window.addEventListener("beforeunload", (event) => {
    if (outlivesTab()) return;
    if (connection.outbox.some((message) => message.status === "pending")) event.preventDefault();
  });
}
