import { type ModerationAction, ROLES, type User } from "../../protocol/frames.ts";
import { auditRefusal, keyRefusal, moderationRefusal, settingsRefusal } from "../../protocol/roles.ts";
import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import { el } from "./dom.ts";
import type { MemberList } from "./member-list.ts";
import type { MenuItem } from "./message-menu.ts";
import type { ToolsContext } from "./moderator-tools.ts";
import type { PageKit } from "./owned-room.ts";
import type { PersonActions, PresencePanel } from "./presence-panel.ts";

export interface OwnerControlParts {
  room: string;
  connection: RoomConnection;
  announcer: Announcer;
  /** The topic under the room's name, as text. */
  topic: HTMLElement;
  /** The header's "Manage" button, shown to moderators and owners. */
  manage: HTMLButtonElement;
  presence: PresencePanel;
  members: MemberList;
  kit: PageKit;
}

/** The actions on a person; every one needs a role above theirs (protocol/roles.ts). */
const PERSON_ACTIONS: readonly ModerationAction[] = ["mute", "kick", "ban", "role"];

type Tools = typeof import("./moderator-tools.ts");
let tools: Promise<Tools> | null = null;

/**
 * The moderator tools, loaded the first time a moderator opens one: few
 * visitors ever need them, and the page stays small for the rest. A failed
 * load (the network dropped) is tried again on the next click.
 */
function loadTools(): Promise<Tools> {
  tools ??= import("./moderator-tools.ts").catch((error: unknown) => {
    tools = null;
    throw error;
  });
  return tools;
}

/**
 * What an owned room shows in the page around the conversation: the topic,
 * as text, and for moderators and owners the "Manage" menu (room settings,
 * invite links, the moderation record) and a "⋯" beside each person they
 * may act on, in the people and member lists. What the reader is offered
 * follows protocol/roles.ts, the rules the room enforces; the tools
 * themselves load on demand.
 */
export function wireOwnerControls(parts: OwnerControlParts): void {
  const { connection, announcer, topic, manage, presence, members, kit } = parts;
  const context: ToolsContext = { room: parts.room, connection, announcer, members, kit };
  const withTools = (use: (loaded: Tools) => void) =>
    loadTools().then(use, () =>
      announcer.announce("The moderation tools could not be loaded. Check your connection and try again."),
    );

  const render = () => {
    const text = connection.settings?.topic ?? "";
    topic.textContent = text;
    topic.title = text;
    topic.hidden = text === "";
    manage.hidden = manageItems(connection, withTools, context).length === 0;
    presence.refresh();
  };
  const actions: PersonActions = {
    buttonFor: (user) =>
      mayActOn(connection, members, user)
        ? personActionsButton(
            user,
            (anchor) => void withTools((loaded) => loaded.openPersonMenu(context, user, anchor)),
          )
        : null,
  };
  presence.actions = actions;
  members.actions = actions;
  members.onChange(() => presence.refresh());
  manage.addEventListener("click", () =>
    kit.openMenu(manage, manageItems(connection, withTools, context), "Manage the room"),
  );
  for (const event of ["welcome", "settings", "role"] as const) connection.on(event, render);
  render();
}

/** The "Manage" menu, as far as the reader's role allows. */
function manageItems(
  connection: RoomConnection,
  withTools: (use: (loaded: Tools) => void) => void,
  context: ToolsContext,
): MenuItem[] {
  const role = connection.role;
  if (role === null) return [];
  const items: MenuItem[] = [];
  if (settingsRefusal(role, ["topic"]) === null) {
    items.push({ label: "Room settings", action: () => withTools((loaded) => loaded.openRoomSettings(context)) });
  }
  if (ROLES.some((granted) => granted !== "guest" && keyRefusal(role, granted) === null)) {
    items.push({ label: "Invite links", action: () => withTools((loaded) => loaded.openInvites(context)) });
  }
  if (auditRefusal(role) === null) {
    items.push({
      label: "Moderation record",
      action: () => withTools((loaded) => loaded.openModerationRecord(context)),
    });
  }
  return items;
}

/** Whether the reader may take any action on `user`: a moderator or owner, on someone below them. */
function mayActOn(connection: RoomConnection, members: MemberList, user: User): boolean {
  const role = connection.role;
  if (role === null || user.id === connection.user?.id) return false;
  const theirs = members.roleOf(user.id);
  return PERSON_ACTIONS.some((action) => moderationRefusal(role, action, theirs) === null);
}

/** The "⋯" beside a person (drawn by CSS, so a list's text stays the names). */
function personActionsButton(user: User, open: (anchor: HTMLElement) => void): HTMLButtonElement {
  const button = el("button", "person-actions");
  button.type = "button";
  button.ariaLabel = `Actions for ${user.name}`;
  button.ariaHasPopup = "menu";
  button.addEventListener("click", () => open(button));
  return button;
}
