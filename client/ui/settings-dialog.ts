import { FRAME_LIMITS, READ_SETTINGS, type Settings, WRITE_SETTINGS } from "../../protocol/frames.ts";
import { settingsRefusal, untilText } from "../../protocol/roles.ts";
import type { ToolsContext } from "./moderator-tools.ts";
import { checkbox, choice, field, openToolDialog, textBox, toolForm } from "./tool-dialog.ts";

/** Slow-mode intervals offered, in seconds; a room set to another keeps it as an option. */
const SLOW_MODE_SECONDS = [0, 10, 30, 60, 300, 900, 3600, 21_600];

const READ_TEXT: Record<Settings["read"], string> = {
  anyone: "Anyone with the room's address",
  keys: "Only people with an invite link",
};

const WRITE_TEXT: Record<Settings["write"], string> = {
  anyone: "Anyone who can read, except readers",
  members: "Members and above",
  moderators: "Moderators and owners (announcements)",
};

/**
 * Room settings: the topic, slow mode and the lock for moderators, and for
 * owners also who may read and who may write (the fields a moderator may
 * not change are not offered: settingsRefusal of protocol/roles.ts). Only
 * what changed is sent; the dialog closes once the room has stored it, and
 * shows the room's words if it refuses.
 */
export function openRoomSettings({ connection, announcer }: ToolsContext): void {
  const current = connection.settings;
  const role = connection.role;
  if (current === null || role === null) return;
  openToolDialog("Room settings", (dialog) => {
    const topic = textBox(current.topic, FRAME_LIMITS.maxTopicLength);
    const slowMode = choice(
      SLOW_MODE_SECONDS.map((seconds) => [
        String(seconds),
        seconds === 0 ? "Off" : `One message every ${untilText(seconds * 1000)}`,
      ]),
      String(current.slowMode),
    );
    const locked = checkbox(current.locked);
    const read = choice(
      READ_SETTINGS.map((value) => [value, READ_TEXT[value]]),
      current.read,
    );
    const write = choice(
      WRITE_SETTINGS.map((value) => [value, WRITE_TEXT[value]]),
      current.write,
    );
    const ownersOnly = settingsRefusal(role, ["read", "write"]) === null;

    const save = () => {
      const wanted: Settings = {
        topic: topic.value.trim(),
        slowMode: Number(slowMode.value),
        locked: locked.checked,
        read: ownersOnly && isOneOf(read.value, READ_SETTINGS) ? read.value : current.read,
        write: ownersOnly && isOneOf(write.value, WRITE_SETTINGS) ? write.value : current.write,
      };
      const patch = changes(current, wanted);
      if (Object.keys(patch).length === 0) {
        dialog.close();
        return;
      }
      dialog.clearError();
      connection.updateSettings(patch).then(() => {
        announcer.announce("Room settings saved.");
        dialog.close();
      }, dialog.refused);
    };

    dialog.body.append(
      toolForm(
        "Save",
        save,
        field("Topic", topic, "Shown under the room's name; one line."),
        field("Slow mode", slowMode, "How often each person below moderator may send."),
        field("Locked: only moderators and owners can write", locked),
        ...(ownersOnly
          ? [
              field("Who can read", read, "Limiting it to invite links disconnects everyone here without one."),
              field("Who can write", write),
            ]
          : []),
      ),
    );
  });
}

/** The settings of `wanted` that differ from `current`. */
function changes(current: Settings, wanted: Settings): Partial<Settings> {
  const patch: Partial<Settings> = {};
  if (wanted.topic !== current.topic) patch.topic = wanted.topic;
  if (wanted.slowMode !== current.slowMode) patch.slowMode = wanted.slowMode;
  if (wanted.locked !== current.locked) patch.locked = wanted.locked;
  if (wanted.read !== current.read) patch.read = wanted.read;
  if (wanted.write !== current.write) patch.write = wanted.write;
  return patch;
}

function isOneOf<T extends string>(value: string, values: readonly T[]): value is T {
  return (values as readonly string[]).includes(value);
}
