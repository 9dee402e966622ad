import { FRAME_LIMITS, type ModerationInput, type Role, type User } from "../../protocol/frames.ts";
import { moderationRefusal, untilText } from "../../protocol/roles.ts";
import { el } from "./dom.ts";
import type { MenuItem } from "./message-menu.ts";
import type { ToolsContext } from "./moderator-tools.ts";
import { checkbox, choice, field, openToolDialog, refusalText, textBox, toolForm } from "./tool-dialog.ts";

const MINUTE_MS = 60_000;

/** How long a mute lasts, as offered. */
const MUTE_FOR: readonly (readonly [string, string])[] = [
  [String(10 * MINUTE_MS), "10 minutes"],
  [String(60 * MINUTE_MS), "1 hour"],
  [String(24 * 60 * MINUTE_MS), "1 day"],
  [String(7 * 24 * 60 * MINUTE_MS), "1 week"],
];

/** How long a ban also bars new guests from the banned person's network, when asked. */
const ADDRESS_BAR_MS = 60 * MINUTE_MS;

/**
 * The menu of what the reader may do to one person, by the rules of
 * protocol/roles.ts (only to someone below them; a role below their own,
 * any for an owner): mute for a while, unmute, kick, ban, unban, make them
 * a moderator or a member, or take their role away. Mute, kick and ban ask
 * first, with an optional reason everyone can read in the record.
 */
export function openPersonMenu(context: ToolsContext, user: User, anchor: HTMLElement): void {
  const actor = context.connection.role;
  if (actor === null) return;
  const member = context.members.memberOf(user.id);
  const theirs = member?.role ?? "guest";
  const may = (action: ModerationInput["action"], role?: Role) =>
    moderationRefusal(actor, action, theirs, role) === null;
  const muted = (member?.mutedUntil ?? 0) > Date.now();
  const items: MenuItem[] = [];
  const run = (input: ModerationInput, done: string) => () =>
    act(context, input, done, (error) => context.announcer.announce(`Not done: ${refusalText(error)}`));

  if (may("mute") && !muted) items.push({ label: "Mute…", action: () => muteDialog(context, user) });
  if (may("unmute") && muted)
    items.push({ label: "Unmute", action: run({ action: "unmute", user: user.id }, `${user.name} can write again.`) });
  for (const role of ["moderator", "member"] as const) {
    if (theirs !== role && may("role", role)) {
      items.push({
        label: `Make ${role}`,
        action: run({ action: "role", user: user.id, role }, `${user.name} is now a ${role}.`),
      });
    }
  }
  if (theirs !== "guest" && may("role", "guest")) {
    items.push({
      label: "Take role away",
      action: run({ action: "role", user: user.id, role: "guest" }, `${user.name} is now a guest.`),
    });
  }
  if (may("kick")) items.push({ label: "Kick…", danger: true, action: () => removeDialog(context, user, "kick") });
  if (member?.banned === true) {
    if (may("unban"))
      items.push({ label: "Unban", action: run({ action: "unban", user: user.id }, `${user.name} may come back.`) });
  } else if (may("ban")) {
    items.push({ label: "Ban…", danger: true, action: () => removeDialog(context, user, "ban") });
  }
  if (items.length > 0) context.kit.openMenu(anchor, items, `Actions for ${user.name}`);
}

function muteDialog(context: ToolsContext, user: User): void {
  openToolDialog(`Mute ${user.name}`, (dialog) => {
    const duration = choice(MUTE_FOR, String(10 * MINUTE_MS));
    const reason = textBox("", FRAME_LIMITS.maxReasonLength);
    const submit = () => {
      const ms = Number(duration.value);
      const input: ModerationInput = { action: "mute", user: user.id, duration: ms, ...reasonOf(reason) };
      act(context, input, `${user.name} is muted for ${untilText(ms)}.`, dialog.refused, dialog.close);
    };
    dialog.body.append(
      toolForm("Mute", submit, field("For", duration), field("Reason (optional)", reason, "Everyone can read it.")),
    );
  });
}

/** Kick (they may come back) or ban (they may not), after a confirmation with a reason. */
function removeDialog(context: ToolsContext, user: User, action: "kick" | "ban"): void {
  const title = action === "kick" ? `Kick ${user.name}?` : `Ban ${user.name}?`;
  openToolDialog(title, (dialog) => {
    const reason = textBox("", FRAME_LIMITS.maxReasonLength);
    const network = checkbox(false);
    const submit = () => {
      const input: ModerationInput =
        action === "kick"
          ? { action, user: user.id, ...reasonOf(reason) }
          : { action, user: user.id, ...reasonOf(reason), ...(network.checked ? { addressFor: ADDRESS_BAR_MS } : {}) };
      const done = action === "kick" ? `${user.name} was kicked.` : `${user.name} is banned.`;
      act(context, input, done, dialog.refused, dialog.close);
    };
    const fields = [field("Reason (optional)", reason, "Everyone can read it.")];
    if (action === "ban") {
      const hint =
        "Also refuses new guests from their network for an hour; on a shared network that is everyone there.";
      fields.push(field("Also bar newcomers from their network", network, hint));
    }
    const explain =
      action === "kick" ? "They are disconnected and may come back." : "They are disconnected and cannot come back.";
    dialog.body.append(el("p", "hint", explain), toolForm(action === "kick" ? "Kick" : "Ban", submit, ...fields));
  });
}

/** Takes the action, says it is done and asks for the member list again, or hands the refusal to `refused`. */
function act(
  { connection, announcer, members }: ToolsContext,
  input: ModerationInput,
  done: string,
  refused: (error: unknown) => void,
  then: () => void = () => undefined,
): void {
  connection.moderate(input).then(() => {
    announcer.announce(done);
    members.refresh();
    then();
  }, refused);
}

function reasonOf(input: HTMLInputElement): { reason?: string } {
  const reason = input.value.trim();
  return reason === "" ? {} : { reason };
}
