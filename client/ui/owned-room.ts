/**
 * What a room with owners adds to the page, loaded on demand (room-page.ts
 * imports this module with `import()` once the room turns out to have an
 * owner, closes the connection for good, or the address carries a key): a
 * room without one never needs it. It wires, each from the connection's
 * state as it is now and its events from then on:
 *
 * - room-notices.ts: the owner link, a key that granted nothing, a kick, a
 *   ban or a room for key holders only, across the page;
 * - write-permission.ts: why the message box is read-only, and slow mode;
 * - member-list.ts: the members and their roles;
 * - owner-controls.ts: the topic, and for moderators the "Manage" menu and
 *   the actions on a person, whose tools load on demand in turn.
 */
import type { LinkKey } from "../browser/room-location.ts";
import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import type { offerCopyLink } from "./copy-link.ts";
import { MemberList } from "./member-list.ts";
import type { openMenu } from "./message-menu.ts";
import { wireOwnerControls } from "./owner-controls.ts";
import type { PresencePanel } from "./presence-panel.ts";
import type { RoomElements } from "./room-elements.ts";
import { showRoomNotices } from "./room-notices.ts";
import { showWritePermission } from "./write-permission.ts";

/**
 * The page's menu and copy button, handed to the parts loaded on demand
 * rather than imported by them: a module that both the page's script and a
 * chunk import becomes a chunk of its own, which every visitor then
 * downloads apart from the script, and gzip compresses less well (build.ts).
 */
export interface PageKit {
  openMenu: typeof openMenu;
  offerCopyLink: typeof offerCopyLink;
}

export interface OwnedRoomParts {
  room: string;
  connection: RoomConnection;
  announcer: Announcer;
  page: RoomElements;
  presence: PresencePanel;
  /** The key this page's address carried, if any. */
  key: LinkKey | null;
  kit: PageKit;
}

export function showOwnedRoom({ room, connection, announcer, page, presence, key, kit }: OwnedRoomParts): void {
  showRoomNotices({ room, connection, announcer, notice: page.notice, key, offerCopyLink: kit.offerCopyLink });
  showWritePermission(connection, { input: page.messageInput, send: page.send, note: page.composerNote }, announcer);
  const members = new MemberList(page.members, connection);
  wireOwnerControls({ room, connection, announcer, topic: page.topic, manage: page.manage, presence, members, kit });
}
