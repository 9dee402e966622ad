import type { RoomConnection } from "../sdk.ts";

/**
 * Asks before the tab closes while messages wait to be sent. A reload keeps
 * them (they live in this tab's sessionStorage), but a closed tab takes
 * them along, so the browser's "Leave site?" question is the last chance.
 */
export function warnAboutUnsentMessages(connection: RoomConnection): void {
  window.addEventListener("beforeunload", (event) => {
    if (connection.outbox.some((message) => message.status === "pending")) event.preventDefault();
  });
}
