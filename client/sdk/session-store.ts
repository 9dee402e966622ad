import { ERROR_CODE, type ErrorCode } from "../../protocol/frames.ts";
import type { PendingMessage } from "./outbox.ts";

/**
 * What outlives a page: the identity token and the unsent messages, saved
 * together because a queued message is only the same message (deduplicated
 * on user and id) when it is re-sent as the same user. A token is valid in
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

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ERROR_CODE));

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

/** Reads one stored queued message, checking every field; null when it is not one. */
export function parsePendingMessage(value: unknown): PendingMessage | null {
  if (!isObject(value) || typeof value.id !== "string" || typeof value.text !== "string") return null;
  const { id, text, status, code, reason } = value;
  if (status === "pending") return { id, text, status };
  if (status === "failed" && isErrorCode(code) && typeof reason === "string") return { id, text, status, code, reason };
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && ERROR_CODES.has(value);
}
