/**
 * The room page (`/r/:room`). The HTML shell paints at once; this script
 * names the room, opens the connection and hands it to the parts of the
 * page, each of which listens to the SDK events it shows.
 */
import { browserSessionStore } from "./browser/browser-session-store.ts";
import { loadNickname } from "./browser/nickname-store.ts";
import { keyOfThisPage, type LinkKey, roomOfThisPage } from "./browser/room-location.ts";
import { connectRoom, type RoomConnection } from "./sdk.ts";
import { Announcer } from "./ui/announcer.ts";
import { offerCalls } from "./ui/call-entry.ts";
import { editInComposer, wireComposer } from "./ui/composer.ts";
import { showConnectionStatus } from "./ui/connection-status.ts";
import { offerCopyLink } from "./ui/copy-link.ts";
import { offerNotifications } from "./ui/desktop-notifications.ts";
import { byId } from "./ui/dom.ts";
import { JumpToMessage } from "./ui/jump-to-message.ts";
import { KnownPeople } from "./ui/known-people.ts";
import { attachMentionComplete } from "./ui/mention-complete.ts";
import { wireMessageActions } from "./ui/message-actions.ts";
import { announceMessages } from "./ui/message-announcements.ts";
import { MessageEditor, UnsavedEdits } from "./ui/message-edit.ts";
import { messageItem, type Reader } from "./ui/message-item.ts";
import { MessageList } from "./ui/message-list.ts";
import { openMenu } from "./ui/message-menu.ts";
import { NicknameControl } from "./ui/nickname-control.ts";
import { OlderHistory } from "./ui/older-history.ts";
import { loadOwnedRoom, searchOnDemand } from "./ui/on-demand.ts";
import { OutboxView } from "./ui/outbox-view.ts";
import { PresencePanel } from "./ui/presence-panel.ts";
import { ReadPosition } from "./ui/read-position.ts";
import { ReplyBar } from "./ui/reply-bar.ts";
import { RetryTrigger } from "./ui/retry-trigger.ts";
import { type RoomElements, roomElements } from "./ui/room-elements.ts";
import { ScrollFollow } from "./ui/scroll-follow.ts";
import { showWhoIsTyping } from "./ui/typing-indicator.ts";
import { showUnreadInTitle } from "./ui/unread-title.ts";
import { warnAboutUnsentMessages } from "./ui/unsent-warning.ts";
import { showViewBreaks } from "./ui/view-breaks.ts";

const room = roomOfThisPage();
if (room === null) {
  // The Worker serves this page only for valid names; this guards a page saved or served some other way.
  byId("room-name", HTMLElement).textContent = "not a room name";
} else {
  openRoom(room, roomElements());
}

function openRoom(room: string, page: RoomElements): void {
  page.roomName.textContent = room;
  page.messageInput.placeholder = `Message #${room}`;
  const nickname = loadNickname();
  const retry = new RetryTrigger();
  const session = browserSessionStore(room);
  // An invite or owner link's key, read from the fragment, which no request carries; the SDK presents it once.
  const key = keyOfThisPage();
  const connection = connectRoom(location.origin, {
    room,
    session,
    onlineEvents: retry,
    ...(nickname === null ? {} : { name: nickname }),
    ...(key?.ok === true ? { key: key.key } : {}),
  });
  const announcer = new Announcer(page.announcer);

  showConnectionStatus(connection, page.status, () => retry.retryNow());
  const presence = new PresencePanel(page.presence, connection);
  showOwnedRoomWhenOwned(room, connection, announcer, page, presence, key);
  const people = new KnownPeople(
    () => presence.online,
    () => connection.user?.id,
  );
  showConversation(room, connection, page, people, announcer);
  showWhoIsTyping(connection, page.typing);
  new NicknameControl(page.nickname, connection, nickname);
  // The room's own address, without the `#m=<seq>` of a message link it may have been opened with.
  offerCopyLink(page.copyLink, page.copyLinkLabel, () => `${location.origin}${location.pathname}`);
  offerNotifications(connection, page.notify, page.notifyLabel, page.settings, room);
  showUnreadInTitle(connection, `#${room} · edgechat`);
  warnAboutUnsentMessages(connection, () => session.outlivesTab);
}

/**
 * Loads what a room with owners adds to the page (ui/owned-room.ts) the
 * first time it is needed: a welcome to an owned room, the room being
 * claimed now (its first settings event), the connection closed for good,
 * or a key in the address, which the page answers whatever the room.
 */
function showOwnedRoomWhenOwned(
  room: string,
  connection: RoomConnection,
  announcer: Announcer,
  page: RoomElements,
  presence: PresencePanel,
  key: LinkKey | null,
): void {
  let asked = false;
  const load = () => {
    if (asked) return;
    asked = true;
    const kit = { openMenu, offerCopyLink };
    loadOwnedRoom().then(
      ({ showOwnedRoom }) => showOwnedRoom({ room, connection, announcer, page, presence, key, kit }),
      () => {
        asked = false;
        announcer.announce("Part of the page could not be loaded. Reload the page to try again.");
      },
    );
  };
  connection.on("welcome", () => {
    if (connection.role !== null) load();
  });
  connection.on("settings", load);
  connection.on("removed", load);
  if (key !== null) load();
}

/**
 * The message list, the older history above it, the outbox below it, what
 * can be done with each message, the search, how far the reader has read,
 * and the box to write in. A message that
 * changes (an edit, a deletion, a reaction, the reader's edit on its way) is
 * drawn again in place, with the replies that quote it.
 */
function showConversation(
  room: string,
  connection: RoomConnection,
  page: RoomElements,
  people: KnownPeople,
  announcer: Announcer,
): void {
  const reader: Reader = {
    get id() {
      return connection.user?.id;
    },
    nameOf: (id) => people.nameOf(id),
  };
  const edits = new UnsavedEdits(connection, reader.nameOf, redraw);
  const list = new MessageList(page.messages, (message) => {
    people.learn(message);
    return messageItem(message, reader, edits.of(message));
  });
  const follow = new ScrollFollow(page.scroller, page.jumpToLatest);
  const older = new OlderHistory(connection, list, follow, page.scroller, page.historyEdge);
  // Before the jump, so that a link to a message, followed after the view opens at what is unread, wins.
  const read = new ReadPosition(connection, list, follow, page.scroller, () => jump.isAway);
  const jump = new JumpToMessage(connection, list, older, follow, announcer);
  searchOnDemand(
    page.search.open,
    ({ SearchPanel }) => new SearchPanel(connection, page.search, (seq) => void jump.to(seq)),
  );
  const reply = new ReplyBar(page.reply, page.messageInput, connection);
  const editor = new MessageEditor(connection, list, edits, () => people.candidates(), redraw);
  function redraw(seq: number): void {
    const message = connection.message(seq);
    if (message !== null) follow.changing(list.item(seq), () => list.update(message));
  }

  new OutboxView(page.outbox, connection, () => connection.user?.name ?? "You", {
    focus: () => page.messageInput.focus(),
    edit: (text) => editInComposer(page.messageInput, text),
  });
  showViewBreaks(connection, list, older, follow, announcer);
  connection.on("welcome", ({ lastSeq }) => older.welcomed(lastSeq));
  connection.on("message", (message) => {
    // A page further back gets no new messages; going back to the latest shows them.
    if (jump.isAway) return;
    follow.appending(() => list.append(message), message.user.id === connection.user?.id);
    older.grew();
    read.check();
  });
  connection.on("edit", ({ message, replies }) => {
    for (const changed of [message, ...replies]) if (changed !== null) redraw(changed.seq);
  });
  connection.on("delete", ({ message, replies }) => {
    for (const changed of [message, ...replies]) if (changed !== null) redraw(changed.seq);
  });
  connection.on("reaction", ({ message }) => {
    if (message !== null) redraw(message.seq);
  });
  announceMessages(connection, announcer);
  offerCalls({
    room,
    connection,
    announcer,
    // Like a new message, a note goes at the end only while the list shows the latest.
    notice: (text) => {
      if (!jump.isAway) follow.appending(() => list.appendNotice(text), false);
    },
  });
  wireMessageActions({ connection, list, scroller: page.scroller, reply, editor, jump, announcer });
  wireComposer(page.composer, page.messageInput, connection, {
    reply,
    mentions: attachMentionComplete(page.messageInput, () => people.candidates()),
    editLast: () => editor.startLast(),
    sent: () => jump.toLatest(),
  });
}
