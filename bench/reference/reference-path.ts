/**
 * Where the benchmark's own rooms listen (the two reference rooms and the
 * partyserver peer), and where the app's rows written and storage sizes are
 * read. The benchmark's Worker routes these paths itself; every other path
 * goes to the app.
 */
export const REFERENCE_KINDS = ["bare", "bare-sqlite", "partyserver"] as const;

export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

const SOCKET_PATH = /^\/bench\/([a-z-]+)\/([^/]+)\/ws$/;

/** The WebSocket path of a reference room or of the partyserver peer's room. */
export function referenceSocketPath(kind: ReferenceKind, room: string): string {
  return `/bench/${kind}/${encodeURIComponent(room)}/ws`;
}

/** The reference (or partyserver) room a path names, or null for any other path. */
export function parseReferenceSocketPath(path: string): { kind: ReferenceKind; room: string } | null {
  const match = SOCKET_PATH.exec(path);
  const kind = REFERENCE_KINDS.find((candidate) => candidate === match?.[1]);
  const room = match?.[2];
  return kind === undefined || room === undefined ? null : { kind, room: decodeURIComponent(room) };
}

const ROWS_WRITTEN_PATH = /^\/bench\/rows-written\/([^/]+)$/;

/** The path that answers how many SQLite rows the app's room has written since it started. */
export function rowsWrittenPath(room: string): string {
  return `/bench/rows-written/${encodeURIComponent(room)}`;
}

/** The room whose rows written a path asks for, or null for any other path. */
export function parseRowsWrittenPath(path: string): string | null {
  const room = ROWS_WRITTEN_PATH.exec(path)?.[1];
  return room === undefined ? null : decodeURIComponent(room);
}

const STORAGE_PATH = /^\/bench\/storage\/([^/]+)$/;

/** The path that answers how much the app's room stores: its messages' text, its search index, its database. */
export function storagePath(room: string): string {
  return `/bench/storage/${encodeURIComponent(room)}`;
}

/** The room whose storage sizes a path asks for, or null for any other path. */
export function parseStoragePath(path: string): string | null {
  const room = STORAGE_PATH.exec(path)?.[1];
  return room === undefined ? null : decodeURIComponent(room);
}
