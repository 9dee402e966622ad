import { normalizeRoomName } from "../../protocol/parse-client.ts";

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
