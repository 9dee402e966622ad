import { type PendingMessage, parsePendingMessage } from "./pending-changes.ts";

/**
 * What outlives a page: the identity token and the unsent messages and
 * changes (edits, deletions, reactions), saved together because a queued
 * change is only the same change (deduplicated on user and id) when it is
 * re-sent as the same user. A token is valid in
 * one room only, so keep one session per room (e.g. a localStorage key per room).
 */
export interface SavedSession {
  token: string | null;
  outbox: PendingMessage[];
}

/**
 * Where a connection keeps its session. A store may share one queue between
 * several connections, as the browser shares it between the tabs of a room:
 * it then reports the queue as the others change it, and leases the right
 * to send it to one connection at a time, so that the queue goes out once
 * and in order. A store of one connection grants the lease at once.
 */
export interface SessionStore {
  /** The session as far as it is known now; read once, as the connection opens its first socket. */
  load(): SavedSession | null;
  /** Saves the token and the queue as this connection sees it, after every change. */
  save(session: SavedSession): void;
  /** Calls `changed` with the whole queue, in order, whenever it changes elsewhere; returns the function that stops. */
  watch(changed: (outbox: PendingMessage[]) => void): () => void;
  /**
   * Asks for the right to send the queue; `granted` runs once it is this
   * connection's, and the queue reported by `watch` is then current. The
   * returned function gives the right up, or stops asking for it.
   */
  lease(granted: () => void): () => void;
}

/** A store that lives as long as the page, for one connection: the default. */
export function memoryStore(initial: SavedSession | null = null): SessionStore {
  let saved = initial;
  return {
    load: () => saved,
    save: (session) => {
      saved = session;
    },
    // Nobody else writes to it.
    watch: () => () => undefined,
    lease: (granted) => {
      granted();
      return () => undefined;
    },
  };
}

/** Reads a session saved as JSON (e.g. from localStorage); null when it is missing or damaged. */
export function parseSavedSession(json: string | null): SavedSession | null {
  let value: unknown;
  try {
    value = JSON.parse(json ?? "null");
  } catch {
    // Damaged storage is treated like empty storage: the session starts over.
    return null;
  }
  if (!isObject(value) || !Array.isArray(value.outbox)) return null;
  const token = typeof value.token === "string" ? value.token : null;
  const outbox = value.outbox.map(parsePendingMessage);
  return outbox.every((message) => message !== null) ? { token, outbox } : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
