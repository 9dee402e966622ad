import type { PendingMessage, SavedSession, SessionStore } from "../sdk.ts";
import { parseSavedSession } from "../sdk.ts";
import { SharedOutbox } from "./shared-outbox.ts";
import { readStored, removeStored, writeStored } from "./stored.ts";

/** The SDK's session for one room in this browser. */
export function browserSessionStore(room: string): BrowserSessionStore {
  return new BrowserSessionStore(room);
}

/**
 * The identity token lives in localStorage, shared by every tab of the room
 * so that they are one user. The unsent messages live in one queue that all
 * those tabs share (shared-outbox.ts): a message typed offline is sent, once
 * and in order, by whichever tab is online, even after the tab it was typed
 * in has closed.
 *
 * Where the browser cannot share a queue (IndexedDB refused, as in some
 * private modes; no Web Locks, as on a page served over plain http), each tab
 * keeps its own in sessionStorage instead: a reload keeps it, and a tab
 * closed with a queue asks first (unsent-warning.ts). Such a tab keeps its
 * own copy of the token too, because a queue is only the same set of
 * messages when re-sent as the user who queued it: while it has a queue it
 * reconnects with that user's token even if another tab saved a different
 * one meanwhile. A tab's own queue found when the shared one opens (kept
 * before the queue could be shared) moves into the shared one.
 */
export class BrowserSessionStore implements SessionStore {
  readonly #tokenKey: string;
  readonly #tabKey: string;
  #session: SavedSession;
  /** The shared queue once it is open; null while opening, and for good where this tab keeps its own. */
  #shared: SharedOutbox | null = null;
  readonly #opened: Promise<SharedOutbox | null>;

  constructor(room: string) {
    this.#tokenKey = `edgechat:token:${room}`;
    this.#tabKey = `edgechat:session:${room}`;
    const tab = parseSavedSession(readStored("session", this.#tabKey));
    const token = readStored("local", this.#tokenKey) ?? tab?.token ?? null;
    this.#session = tab !== null && tab.outbox.length > 0 ? tab : { token, outbox: [] };
    this.#opened = SharedOutbox.open(room).then(
      (shared) => {
        shared.save(this.#session.outbox);
        removeStored("session", this.#tabKey);
        this.#shared = shared;
        return shared;
      },
      // Not shared, then: this tab keeps its own queue, as saved below.
      () => null,
    );
  }

  /** Whether unsent messages outlive this tab; false while it keeps its own queue. */
  get outlivesTab(): boolean {
    return this.#shared !== null;
  }

  load(): SavedSession {
    return this.#session;
  }

  save(session: SavedSession): void {
    this.#session = session;
    if (session.token !== null) writeStored("local", this.#tokenKey, session.token);
    // Until the shared queue is open, the tab's own keeps the messages across a reload.
    if (this.#shared === null) writeStored("session", this.#tabKey, JSON.stringify(session));
    else this.#shared.save(session.outbox);
  }

  watch(changed: (outbox: PendingMessage[]) => void): () => void {
    return this.#onceOpen((shared) => shared?.watch(changed));
  }

  lease(granted: () => void): () => void {
    return this.#onceOpen((shared) => {
      if (shared !== null) return shared.lease(granted);
      // A queue of this tab's own is this tab's to send.
      granted();
      return undefined;
    });
  }

  /** Runs `start` once the queue is open (or known not to be shared); the returned function undoes it, or stops it from starting. */
  #onceOpen(start: (shared: SharedOutbox | null) => (() => void) | undefined): () => void {
    let stopped = false;
    let stop: (() => void) | undefined;
    void this.#opened.then((shared) => {
      if (!stopped) stop = start(shared);
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }
}
