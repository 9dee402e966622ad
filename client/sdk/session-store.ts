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

/** Where a connection keeps its session; the web UI implements it with localStorage. */
export interface SessionStore {
  load(): SavedSession | null;
  save(session: SavedSession): void;
}

/** A store that lives as long as the page: the default. */
export function memoryStore(initial: SavedSession | null = null): SessionStore {
  let saved = initial;
  return {
    load: () => saved,
    save: (session) => {
      saved = session;
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
  const outbox = value.outbox.map(toPendingMessage);
  return outbox.every((message) => message !== null) ? { token, outbox } : null;
}

function toPendingMessage(value: unknown): PendingMessage | null {
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
