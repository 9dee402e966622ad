/**
 * The tools only moderators and owners use, loaded on demand as one chunk
 * (owner-controls.ts imports this module with `import()`): the room's
 * settings, invite links, the moderation record, and the actions on a
 * person. Each opens in the dialog of tool-dialog.ts.
 */

import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import type { MemberList } from "./member-list.ts";
import type { PageKit } from "./owned-room.ts";

/** What every tool works with. */
export interface ToolsContext {
  room: string;
  connection: RoomConnection;
  announcer: Announcer;
  /** Who holds which role, muted or banned; asked for again after an action. */
  members: MemberList;
  kit: PageKit;
}

export { openModerationRecord } from "./audit-dialog.ts";
export { openInvites } from "./invite-dialog.ts";
export { openPersonMenu } from "./person-actions.ts";
export { openRoomSettings } from "./settings-dialog.ts";
