import { FRAME_LIMITS, type KeyInfo, ROLES, type Role } from "../../protocol/frames.ts";
import { keyRefusal, untilText } from "../../protocol/roles.ts";
import { keyLink } from "../browser/room-location.ts";
import type { KeyRequest } from "../sdk.ts";
import { el } from "./dom.ts";
import type { ToolsContext } from "./moderator-tools.ts";
import { button, choice, field, openToolDialog, type ToolDialog, textBox, toolForm } from "./tool-dialog.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** How long a new link works; "" for as long as it is not revoked. */
const EXPIRY: readonly (readonly [string, string])[] = [
  [String(HOUR_MS), "1 hour"],
  [String(DAY_MS), "1 day"],
  [String(7 * DAY_MS), "7 days"],
  [String(30 * DAY_MS), "30 days"],
  ["", "Until revoked"],
];

/** How many people a new link lets in; "" for any number. */
const USES: readonly (readonly [string, string])[] = [
  ["1", "1 person"],
  ["10", "10 people"],
  ["100", "100 people"],
  ["", "No limit"],
];

/**
 * Invite links: a form that makes one (the role it gives, as far as the
 * reader may give it; how long it works; how many it lets in; a label for
 * the list) and shows the new link once, with a copy button; and the links
 * the reader may revoke, newest first, each with Revoke (asked twice).
 */
export function openInvites(context: ToolsContext): void {
  const actor = context.connection.role;
  if (actor === null) return;
  const roles = ROLES.filter(
    (role): role is Exclude<Role, "guest"> => role !== "guest" && keyRefusal(actor, role) === null,
  );
  openToolDialog("Invite links", (dialog) => {
    const role = choice(
      roles.map((each) => [each, each === "owner" ? "owner (full control)" : each]),
      roles.includes("member") ? "member" : (roles[0] ?? ""),
    );
    const expiry = choice(EXPIRY, String(DAY_MS));
    const uses = choice(USES, "");
    const label = textBox("", FRAME_LIMITS.maxKeyLabelLength);
    const made = el("div", "invite-made");
    const list = el("ul", "key-list");
    list.ariaLabel = "Invite links";
    const refresh = () => listKeys(context, dialog, list, refresh);

    const mint = () => {
      const wanted = roles.find((each) => each === role.value);
      if (wanted === undefined) return;
      const request: KeyRequest = {
        role: wanted,
        ...(expiry.value === "" ? {} : { expiresIn: Number(expiry.value) }),
        ...(uses.value === "" ? {} : { uses: Number(uses.value) }),
        ...(label.value.trim() === "" ? {} : { label: label.value.trim() }),
      };
      dialog.clearError();
      context.connection.mintKey(request).then(({ key, secret }) => {
        made.replaceChildren(...newLink(context, keyLink(context.room, secret), key.role));
        made.querySelector("input")?.focus();
        context.announcer.announce(`Invite link for a ${key.role} made. It is shown only now: copy it.`);
        refresh();
      }, dialog.refused);
    };

    dialog.body.append(
      toolForm(
        "Make a link",
        mint,
        field("Joins as", role),
        field("Works for", expiry),
        field("Lets in", uses),
        field("Label (optional)", label, "For the list below, e.g. who it is for."),
      ),
      made,
      el("h3", "tool-heading", "Links that work now"),
      list,
    );
    refresh();
  });
}

/** A new link, to copy: shown this once, as the room keeps only its hash. */
function newLink({ kit }: ToolsContext, link: string, role: Role): Node[] {
  const shown = el("input", "notice-link");
  shown.readOnly = true;
  shown.value = link;
  shown.ariaLabel = "The new invite link";
  shown.addEventListener("focus", () => shown.select());
  const label = el("span", "", "Copy link");
  const copy = button("");
  copy.append(label);
  kit.offerCopyLink(copy, label, () => link);
  return [el("p", "", `Anyone who opens this link joins as a ${role}. It is shown only now.`), shown, copy];
}

function listKeys(context: ToolsContext, dialog: ToolDialog, list: HTMLUListElement, refresh: () => void): void {
  context.connection.listKeys().then((keys) => {
    list.replaceChildren(...keys.map((key) => keyItem(context, dialog, key, refresh)));
    if (keys.length === 0) list.append(el("li", "hint", "No links yet."));
  }, dialog.refused);
}

function keyItem(context: ToolsContext, dialog: ToolDialog, key: KeyInfo, refresh: () => void): HTMLLIElement {
  const revoke = button("Revoke", "danger-button");
  revoke.ariaLabel = `Revoke the ${key.role} link${key.label === undefined ? "" : ` “${key.label}”`}`;
  const item = el("li", "key-item", el("span", "key-text", describeKey(key)), revoke);
  revoke.addEventListener("click", () => {
    const sure = button("Yes, revoke", "danger-button");
    const keep = button("Keep it");
    const question = el("span", "key-confirm", "Everyone who joined with it loses their role. ", sure, keep);
    revoke.replaceWith(question);
    keep.focus();
    keep.addEventListener("click", () => {
      question.replaceWith(revoke);
      revoke.focus();
    });
    sure.addEventListener("click", () => {
      dialog.clearError();
      context.connection.revokeKey(key.id).then(() => {
        context.announcer.announce(`The ${key.role} link was revoked.`);
        refresh();
      }, dialog.refused);
    });
  });
  return item;
}

/** "member · team · 3 days left · 20 uses left · by ana". */
function describeKey(key: KeyInfo): string {
  const parts: string[] = [key.role];
  if (key.label !== undefined) parts.push(key.label);
  if (key.expiresAt !== undefined) parts.push(`${untilText(key.expiresAt - Date.now())} left`);
  if (key.usesLeft !== undefined) parts.push(`${key.usesLeft} ${key.usesLeft === 1 ? "use" : "uses"} left`);
  parts.push(key.createdBy === undefined ? "made with the room" : `by ${key.createdBy.name}`);
  return parts.join(" · ");
}
