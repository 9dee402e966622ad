import type {
  DeleteEventFrame,
  LogEvent,
  ModerationEventFrame,
  SettingName,
  SettingsEventFrame,
} from "../../protocol/frames.ts";
import { untilText } from "../../protocol/roles.ts";
import { el } from "./dom.ts";
import type { ToolsContext } from "./moderator-tools.ts";
import { button, openToolDialog } from "./tool-dialog.ts";

/** What the record holds: settings and moderation events, and deletions of someone else's message. */
type AuditEvent = SettingsEventFrame | ModerationEventFrame | DeleteEventFrame;

/** When, in the reader's locale and time zone, with the date: the record reaches back weeks. */
const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

const SETTING_TEXT: Record<SettingName, string> = {
  topic: "the topic",
  read: "who can read",
  write: "who can write",
  slowMode: "slow mode",
  locked: "the lock",
};

/**
 * The moderation record, newest first: settings changed, actions on
 * people, links revoked, and messages moderators deleted, each with who,
 * when and the reason given. "Load older" reads the next page.
 */
export function openModerationRecord({ connection }: ToolsContext): void {
  openToolDialog("Moderation record", (dialog) => {
    const list = el("ol", "audit-list");
    list.ariaLabel = "Moderation record, newest first";
    const older = button("Load older");
    older.hidden = true;
    let before: number | undefined;
    const load = () => {
      older.hidden = true;
      connection.audit(before).then(({ events, hasMore }) => {
        list.append(...events.flatMap((event) => (isAuditEvent(event) ? [auditItem(event)] : [])));
        before = events.at(-1)?.seq;
        older.hidden = !hasMore || before === undefined;
        if (list.childElementCount === 0) list.append(el("li", "hint", "Nothing yet."));
      }, dialog.refused);
    };
    older.addEventListener("click", load);
    dialog.body.append(list, older);
    load();
  });
}

function isAuditEvent(event: LogEvent): event is AuditEvent {
  return event.type === "settings" || event.type === "moderation" || event.type === "delete";
}

function auditItem(event: AuditEvent): HTMLLIElement {
  const time = el("time", "audit-time", WHEN.format(event.ts));
  time.dateTime = new Date(event.ts).toISOString();
  const item = el("li", "audit-item", time, el("span", "audit-text", sentenceOf(event)));
  if (event.type !== "settings" && event.reason !== undefined) {
    item.append(el("span", "audit-reason", `Reason: ${event.reason}`));
  }
  return item;
}

/** What happened, as a sentence: "ana muted bob for 10 min". */
function sentenceOf(event: AuditEvent): string {
  switch (event.type) {
    case "settings":
      return settingsSentence(event);
    case "delete":
      return `${event.user.name} deleted message ${event.target}`;
    case "moderation":
      return moderationSentence(event);
    default:
      return assertNever(event);
  }
}

function settingsSentence({ user, settings, changed }: SettingsEventFrame): string {
  if (user === undefined) return "The room got its owner";
  const what = changed.map((name) => SETTING_TEXT[name]).join(", ");
  return changed.includes("topic")
    ? `${user.name} changed ${what} (topic: “${settings.topic}”)`
    : `${user.name} changed ${what}`;
}

function moderationSentence({ user, action, subject, until, ts, role, key }: ModerationEventFrame): string {
  const who = subject?.name ?? "someone";
  switch (action) {
    case "mute":
      return `${user.name} muted ${who}${until === undefined ? "" : ` for ${untilText(until - ts)}`}`;
    case "unmute":
      return `${user.name} unmuted ${who}`;
    case "kick":
      return `${user.name} removed ${who} from the room`;
    case "ban":
      return `${user.name} banned ${who}`;
    case "unban":
      return `${user.name} lifted the ban on ${who}`;
    case "role":
      return `${user.name} made ${who} ${role === "owner" ? "an owner" : `a ${role ?? "guest"}`}`;
    case "revoke":
      return `${user.name} revoked a ${role ?? ""} link (${key ?? "?"})`;
    default:
      return assertNever(action);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown audit event ${JSON.stringify(value)}`);
}
