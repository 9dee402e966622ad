import { readStored, writeStored } from "./stored.ts";

/** What a room notifies this browser of: every message, messages that mention the reader, or nothing. */
export const NOTIFY_SETTINGS = ["all", "mentions", "none"] as const;
export type NotifySetting = (typeof NOTIFY_SETTINGS)[number];

/** A busy room should not ping for every message unless the reader asks it to. */
export const DEFAULT_NOTIFY_SETTING: NotifySetting = "mentions";

/** The setting a stored (or chosen) string names, or null when it names none. */
export function parseNotifySetting(value: string | null): NotifySetting | null {
  return NOTIFY_SETTINGS.find((setting) => setting === value) ?? null;
}

/** This room's setting in this browser; the default when none was chosen or what is stored is not one. */
export function loadNotifySetting(room: string): NotifySetting {
  return parseNotifySetting(readStored("local", keyOf(room))) ?? DEFAULT_NOTIFY_SETTING;
}

/** Remembers the setting for this room, in every tab of this browser. */
export function saveNotifySetting(room: string, setting: NotifySetting): void {
  writeStored("local", keyOf(room), setting);
}

/** One setting per room: a quiet room and a busy one are set apart. */
function keyOf(room: string): string {
  return `edgechat:notify:${room}`;
}
