import {
  loadNotifySetting,
  NOTIFY_SETTINGS,
  type NotifySetting,
  parseNotifySetting,
  saveNotifySetting,
} from "../browser/notify-store.ts";
import { el } from "./dom.ts";

/** What a message is to the reader, as far as notifying them goes. */
export interface MessageForReader {
  /** The message mentions the reader. */
  readonly mentionsMe: boolean;
  /** The reader sent it (from this tab or another). */
  readonly own: boolean;
}

const OPTION_TEXT: Record<NotifySetting, string> = {
  all: "All messages",
  mentions: "Mentions only",
  none: "Nothing",
};

/** Whether a message should notify the reader under their setting for its room; their own never does. */
export function shouldNotify(setting: NotifySetting, message: MessageForReader): boolean {
  if (message.own) return false;
  switch (setting) {
    case "all":
      return true;
    case "mentions":
      return message.mentionsMe;
    case "none":
      return false;
    default: {
      const unknown: never = setting;
      throw new Error(`unknown notify setting ${String(unknown)}`);
    }
  }
}

let controls = 0;

/**
 * The room's notify setting as a labelled select, showing what this browser
 * remembers for the room (mentions only unless changed). A change is saved
 * at once and handed to `changed`.
 */
export function notifySettingControl(room: string, changed: (setting: NotifySetting) => void): HTMLElement {
  controls += 1;
  const select = el(
    "select",
    "notify-select",
    ...NOTIFY_SETTINGS.map((setting) => {
      const option = el("option", "", OPTION_TEXT[setting]);
      option.value = setting;
      return option;
    }),
  );
  select.id = `notify-setting-${controls}`;
  select.value = loadNotifySetting(room);
  const label = el("label", "notify-label", "Notify me about");
  label.htmlFor = select.id;
  select.addEventListener("change", () => {
    const setting = parseNotifySetting(select.value);
    if (setting === null) return;
    saveNotifySetting(room, setting);
    changed(setting);
  });
  return el("div", "notify-setting", label, select);
}
