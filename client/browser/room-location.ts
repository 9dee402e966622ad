import { normalizeRoomName } from "../../protocol/parse-client.ts";
import { isKey } from "../../protocol/parse-owners.ts";

/** The path of a room's page, with its name percent-encoded. */
export function roomPath(room: string): string {
  return `/r/${encodeURIComponent(room)}`;
}

/**
 * The room this `/r/:room` page shows, read with the contract's rules, or
 * null for a name the room would refuse. `/r/General` and `/r/general` are
 * one room; the address bar is set to the canonical form, so that a copied
 * link names the room the way everyone else sees it.
 */
export function roomOfThisPage(): string | null {
  const segment = location.pathname.split("/")[2] ?? "";
  const room = normalizeRoomName(segment);
  if (room !== null && location.pathname !== roomPath(room)) {
    history.replaceState(history.state, "", `${roomPath(room)}${location.search}${location.hash}`);
  }
  return room;
}

/** The fragment of an invite or owner link: `#k=<key>`. A browser never sends a fragment to a server. */
const KEY_FRAGMENT = "#k=";

/** The key of an invite or owner link, or a fragment `#k=` that holds none (a link cut short or mistyped). */
export type LinkKey = { ok: true; key: string } | { ok: false };

/** The key the address of this page carries in its fragment; null for an address without one. */
export function keyOfThisPage(): LinkKey | null {
  if (!location.hash.startsWith(KEY_FRAGMENT)) return null;
  const key = location.hash.slice(KEY_FRAGMENT.length);
  return isKey(key) ? { ok: true, key } : { ok: false };
}

/**
 * Takes the key out of the address bar, and so out of the history, a
 * bookmark or a copied address: once the room has answered it, the role is
 * the user's token's, and the key is needed no more.
 */
export function forgetKeyOfThisPage(): void {
  if (location.hash.startsWith(KEY_FRAGMENT)) {
    history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  }
}

/** The link that gives a room's key to whoever opens it: `/r/<room>#k=<key>`, on this site. */
export function keyLink(room: string, key: string): string {
  return `${location.origin}${roomPath(room)}${KEY_FRAGMENT}${key}`;
}
