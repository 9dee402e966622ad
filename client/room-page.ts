/**
 * The room page (`/r/:room`). The HTML shell paints at once; this script
 * names the room, opens the connection and hands it to the parts of the
 * page, each of which listens to the SDK events it shows.
 */
import type { Message } from "../protocol/frames.ts";
import { browserSessionStore } from "./browser/browser-session-store.ts";
import { loadNickname } from "./browser/nickname-store.ts";
import { roomOfThisPage } from "./browser/room-location.ts";
import { connectRoom, type RoomConnection } from "./sdk.ts";
import { Announcer } from "./ui/announcer.ts";
import { editInComposer, wireComposer } from "./ui/composer.ts";
import { showConnectionStatus } from "./ui/connection-status.ts";
import { offerCopyLink } from "./ui/copy-link.ts";
import { offerNotifications } from "./ui/desktop-notifications.ts";
import { byId } from "./ui/dom.ts";
import { MessageList } from "./ui/message-list.ts";
import { onNewMessageFromOthers } from "./ui/new-messages.ts";
import { NicknameControl } from "./ui/nickname-control.ts";
import { OlderHistory } from "./ui/older-history.ts";
import { OutboxView } from "./ui/outbox-view.ts";
import { PresencePanel } from "./ui/presence-panel.ts";
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
  const connection = connectRoom(location.origin, {
    room,
    session,
    onlineEvents: retry,
    ...(nickname === null ? {} : { name: nickname }),
  });
  const isOwn = (message: Message) => message.user.id === connection.user?.id;
  const announcer = new Announcer(page.announcer);

  showConnectionStatus(connection, page.status, () => retry.retryNow());
  showConversation(connection, page, isOwn, announcer);
  new PresencePanel(page.presence, connection);
  showWhoIsTyping(connection, page.typing);
  new NicknameControl(page.nickname, connection, nickname);
  offerCopyLink(page.copyLink, page.copyLinkLabel, () => location.href);
  offerNotifications(connection, page.notify, page.notifyLabel, room);
  showUnreadInTitle(connection, `#${room} · edgechat`);
  warnAboutUnsentMessages(connection, () => session.outlivesTab);
}

/** The message list, the older history above it, the outbox below it, and the box to write in. */
function showConversation(
  connection: RoomConnection,
  page: RoomElements,
  isOwn: (message: Message) => boolean,
  announcer: Announcer,
): void {
  const list = new MessageList(page.messages);
  const follow = new ScrollFollow(page.scroller, page.jumpToLatest);
  const older = new OlderHistory(connection, list, follow, page.scroller, page.historyEdge, isOwn);
  new OutboxView(page.outbox, connection, () => connection.user?.name ?? "You", {
    focus: () => page.messageInput.focus(),
    edit: (text) => editInComposer(page.messageInput, text),
  });
  showViewBreaks(connection, list, older, follow, announcer);
  connection.on("welcome", ({ lastSeq }) => older.welcomed(lastSeq));
  connection.on("message", (message) => {
    follow.appending(() => list.append(message, isOwn(message)), isOwn(message));
    older.grew();
  });
  onNewMessageFromOthers(connection, (message) => announcer.announce(`${message.user.name}: ${message.text}`));
  wireComposer(page.composer, page.messageInput, connection, () => follow.toBottom());
}
