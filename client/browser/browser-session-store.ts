import type { SavedSession, SessionStore } from "../sdk.ts";
import { parseSavedSession } from "../sdk.ts";
import { readStored, writeStored } from "./stored.ts";

/**
 * The SDK's session for one room in a browser: the identity token in
 * localStorage, shared by every tab of the room so that they are one user,
 * and the unsent messages in sessionStorage, one queue per tab.
 *
 * Per tab because two tabs saving one shared `{token, outbox}` overwrite
 * each other's queue: a message queued in one tab would vanish when the
 * other saved. sessionStorage survives a reload of its tab, so a queued
 * message is sent after the reload; a tab that is closed with a queue warns
 * first (see warnAboutUnsentMessages). A duplicated tab copies the queue
 * with the same ids under the same token, and the room stores a (user, id)
 * once, so both copies still make one message.
 *
 * The tab keeps its own copy of the token too: a queue is only the same set
 * of messages when re-sent as the user who queued them, so while this tab
 * has a queue it reconnects with that user's token even if another tab
 * meanwhile saved a different one.
 */
export function browserSessionStore(room: string): SessionStore {
  const tokenKey = `edgechat:token:${room}`;
  const sessionKey = `edgechat:session:${room}`;
  return {
    load(): SavedSession | null {
      const tab = parseSavedSession(readStored("session", sessionKey));
      if (tab !== null && tab.outbox.length > 0) return tab;
      const token = readStored("local", tokenKey) ?? tab?.token ?? null;
      return { token, outbox: [] };
    },
    save(session: SavedSession): void {
      writeStored("session", sessionKey, JSON.stringify(session));
      if (session.token !== null) writeStored("local", tokenKey, session.token);
    },
  };
}
