import { readStored, writeStored } from "../browser/stored.ts";
import type { RoomConnection } from "../sdk.ts";
import { onNewMessageFromOthers } from "./new-messages.ts";

const OPT_IN_KEY = "edgechat:notifications";

/**
 * Opt-in desktop notifications for messages that arrive while the tab is
 * hidden. Nothing is asked of the browser until the person presses the
 * button; the choice is remembered, and pressing again turns them off.
 */
export function offerNotifications(
  connection: RoomConnection,
  button: HTMLButtonElement,
  label: HTMLElement,
  room: string,
): void {
  if (!("Notification" in window)) return;
  let enabled = readStored("local", OPT_IN_KEY) === "on" && Notification.permission === "granted";
  const render = () => {
    const blocked = Notification.permission === "denied";
    button.hidden = false;
    button.ariaPressed = String(enabled);
    button.ariaDisabled = blocked ? "true" : null;
    label.textContent = blocked ? "Notifications blocked" : enabled ? "Notifications on" : "Notify me";
  };
  button.addEventListener("click", async () => {
    if (Notification.permission === "denied") return;
    if (enabled) enabled = false;
    else enabled = (await Notification.requestPermission()) === "granted";
    writeStored("local", OPT_IN_KEY, enabled ? "on" : "off");
    render();
  });
  onNewMessageFromOthers(connection, (message) => {
    if (!enabled || document.visibilityState !== "hidden") return;
    try {
      const notification = new Notification(`${message.user.name} in #${room}`, { body: message.text, tag: room });
      notification.addEventListener("click", () => {
        window.focus();
        notification.close();
      });
    } catch {
      // Some browsers (Chrome on Android) show notifications only from a service worker; there, none is shown.
    }
  });
  render();
}
