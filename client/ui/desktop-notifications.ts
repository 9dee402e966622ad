import { loadNotifySetting } from "../browser/notify-store.ts";
import { readStored, writeStored } from "../browser/stored.ts";
import type { RoomConnection } from "../sdk.ts";
import { mentionsReader, onNewMessageFromOthers } from "./new-messages.ts";
import { notifySettingControl, shouldNotify } from "./notify-setting.ts";

const OPT_IN_KEY = "edgechat:notifications";

/**
 * Opt-in desktop notifications for messages that arrive while the tab is
 * hidden. Two controls: the header button asks the browser's permission
 * ("Notify me"; pressing again turns notifications off), and "Notify me
 * about" (all messages, mentions only, nothing), set per room and placed in
 * `settings`, says which messages. Nothing is asked of the browser until the
 * button is pressed; both choices are remembered.
 */
export function offerNotifications(
  connection: RoomConnection,
  button: HTMLButtonElement,
  label: HTMLElement,
  settings: HTMLElement,
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
  // The setting is read again for each message, so that a change in another tab applies here too.
  settings.append(notifySettingControl(room, () => undefined));
  onNewMessageFromOthers(connection, (message) => {
    if (!enabled || document.visibilityState !== "hidden") return;
    const mentionsMe = mentionsReader(message, connection.user?.id);
    if (!shouldNotify(loadNotifySetting(room), { mentionsMe, own: false })) return;
    const title = mentionsMe ? `${message.user.name} mentioned you in #${room}` : `${message.user.name} in #${room}`;
    try {
      const notification = new Notification(title, { body: message.text, tag: room });
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
