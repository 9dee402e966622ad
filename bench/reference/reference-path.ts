/**
 * Where the benchmark's own rooms listen (the two reference rooms and the
 * partyserver peer), where the app's rows written and storage sizes are
 * read, and where a socket opens on one relay of an app room whatever the
 * room's size. The benchmark's Worker routes these paths itself; every
 * other path goes to the app.
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

const RELAYED_SOCKET_PATH = /^\/bench\/relayed\/([^/]+)\/(\d+)\/ws$/;

/** The WebSocket path of a listener of the app's `room` opened on the room's relay `shard`. */
export function relayedSocketPath(room: string, shard: number): string {
  return `/bench/relayed/${encodeURIComponent(room)}/${shard}/ws`;
}

/** The room and relay shard a path names, or null for any other path. */
export function parseRelayedSocketPath(path: string): { room: string; shard: number } | null {
  const match = RELAYED_SOCKET_PATH.exec(path);
  const room = match?.[1];
  const shard = match?.[2];
  return room === undefined || shard === undefined ? null : { room: decodeURIComponent(room), shard: Number(shard) };
}
