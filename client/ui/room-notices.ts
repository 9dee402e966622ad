import { CLOSE_CODE, type KeyRefusal } from "../../protocol/frames.ts";
import { forgetKeyOfThisPage, keyLink, type LinkKey } from "../browser/room-location.ts";
import type { Removal, RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import type { offerCopyLink } from "./copy-link.ts";
import { el } from "./dom.ts";

export interface NoticeParts {
  room: string;
  connection: RoomConnection;
  announcer: Announcer;
  /** The full-width notice between the header and the conversation. */
  notice: HTMLElement;
  /** The key this page's address carried (`#k=`); null for none. */
  key: LinkKey | null;
  offerCopyLink: typeof offerCopyLink;
}

const KEY_REFUSED: Record<KeyRefusal | "malformed", string> = {
  invalid: "The link you opened is not valid any more: it was revoked, or never existed.",
  expired: "The link you opened has expired.",
  used_up: "The link you opened has been used as many times as it allowed.",
  malformed: "The link you opened is incomplete: check that it was copied whole.",
};

const REMOVED: Record<Removal["code"], string> = {
  [CLOSE_CODE.kicked]: "A moderator removed you from this room.",
  [CLOSE_CODE.banned]: "You are banned from this room.",
  [CLOSE_CODE.keyRequired]: "This room is only for people with an invite link.",
};

/**
 * What the room has to tell the reader about their place in it, across the
 * page above the conversation: the owner link, once, after a key made them
 * an owner (keep it: anyone who opens it owns the room); why the link they
 * opened granted nothing; and, when the room closed the connection for
 * good, that they were kicked (with Rejoin), banned, or need an invite
 * link. The key leaves the address bar once the room has answered it.
 */
export function showRoomNotices({ room, connection, announcer, notice, key, offerCopyLink }: NoticeParts): void {
  let answered = false;
  const show = (tone: "info" | "warning", ...content: Node[]) => {
    notice.dataset.tone = tone;
    notice.replaceChildren(...content);
    notice.hidden = false;
    announcer.announce(notice.querySelector("p")?.textContent ?? "");
  };
  const dismiss = () =>
    noticeButton("Dismiss", () => {
      notice.hidden = true;
      notice.replaceChildren();
    });

  if (key?.ok === false) show("warning", el("p", "", KEY_REFUSED.malformed), dismiss());
  const welcomed = () => {
    if (answered || key === null) return;
    answered = true;
    forgetKeyOfThisPage();
    if (!key.ok) return;
    const refused = connection.keyRefused;
    if (refused !== null) {
      show("warning", el("p", "", `${KEY_REFUSED[refused]} Ask for a new one.`), dismiss());
    } else if (connection.role === "owner") {
      show("info", ...ownerLinkNotice(keyLink(room, key.key), offerCopyLink), dismiss());
    } else if (connection.role !== null) {
      announcer.announce(`You joined this room as a ${connection.role}.`);
    }
  };
  /** The reason the moderator gave for kicking or banning the reader, from the event the room sent before closing. */
  let given = "";
  connection.on("moderation", ({ action, subject, reason }) => {
    if (subject?.id === connection.user?.id && (action === "kick" || action === "ban")) given = reason ?? "";
  });
  const removed = ({ code, reason }: Removal) => {
    const content: Node[] = [el("p", "", REMOVED[code])];
    // A key-only room's refusal says what became of the link; a kick or ban carries the moderator's words.
    const detail = code === CLOSE_CODE.keyRequired ? reason : given === "" ? "" : `Reason: ${given}`;
    if (detail !== "") content.push(el("p", "notice-reason", detail));
    if (code === CLOSE_CODE.kicked) content.push(noticeButton("Rejoin", () => location.reload()));
    if (code === CLOSE_CODE.keyRequired) content.push(el("p", "", "Open the link you were given to come in."));
    show("warning", ...content);
    notice.dataset.removed = "true";
  };
  // This part of the page may load after the welcome, or after the room closed the connection.
  connection.on("welcome", welcomed);
  connection.on("removed", removed);
  if (connection.user !== null) welcomed();
  if (connection.removal !== null) removed(connection.removal);
}

/** "This is your owner link", the link as text, and a copy button (copy-link.ts). */
function ownerLinkNotice(link: string, offerCopyLink: NoticeParts["offerCopyLink"]): Node[] {
  const label = el("span", "", "Copy owner link");
  const copy = el("button", "", label);
  copy.type = "button";
  offerCopyLink(copy, label, () => link);
  const shown = el("input", "notice-link");
  shown.readOnly = true;
  shown.value = link;
  shown.ariaLabel = "Your owner link";
  shown.addEventListener("focus", () => shown.select());
  return [el("p", "", "This is your owner link: keep it; anyone who opens it owns this room."), shown, copy];
}

function noticeButton(text: string, action: () => void): HTMLButtonElement {
  const button = el("button", "", text);
  button.type = "button";
  button.addEventListener("click", action);
  return button;
}
