/**
 * The shared outbox's records and the pure rules around them: how a record
 * is read back (a damaged one is not a message or a change), in which order
 * the queue goes out, and which writes bring the stored queue to what one
 * tab sees.
 * shared-outbox.ts does the IndexedDB part.
 */
import { type PendingMessage, parsePendingMessage } from "../sdk.ts";

/** One unsent message or change of a room, stamped with when it was queued: the queue goes out in that order, whichever tab queued it. */
export interface QueuedMessage {
  queuedAt: number;
  message: PendingMessage;
}

/**
 * What is stored: the message's own fields beside the room and the stamp,
 * keyed by [room, id]. A queued send is stored as before other kinds of
 * change existed (no `kind`), so records of either version read back.
 */
export type QueueRecord = PendingMessage & { room: string; queuedAt: number };

export function toRecord(room: string, { queuedAt, message }: QueuedMessage): QueueRecord {
  return { ...message, room, queuedAt };
}

/** Reads a stored record back, checking every field; null for a damaged one (or one of another room). */
export function parseRecord(room: string, value: unknown): QueuedMessage | null {
  if (typeof value !== "object" || value === null || !("room" in value) || !("queuedAt" in value)) return null;
  const { queuedAt } = value;
  if (value.room !== room || typeof queuedAt !== "number" || !Number.isFinite(queuedAt)) return null;
  const message = parsePendingMessage(value);
  return message === null ? null : { queuedAt, message };
}

/** The queue's order: by the time queued; ids break a tie (two tabs in the same millisecond). */
export function inQueueOrder(a: QueuedMessage, b: QueuedMessage): number {
  return a.queuedAt - b.queuedAt || (a.message.id < b.message.id ? -1 : a.message.id > b.message.id ? 1 : 0);
}

/**
 * The writes that turn the stored queue, as this tab last knew it, into the
 * queue this tab now has. Each tab writes only what it changed, record by
 * record, so a message another tab queued meanwhile, which this tab has not
 * seen, is never overwritten or removed.
 */
export interface QueueWrites {
  /** Messages new to the stored queue. */
  added: QueuedMessage[];
  /** Messages whose status or place changed; written only if still stored, so that one sent or discarded elsewhere stays gone. */
  changed: QueuedMessage[];
  /** Ids of messages that left the queue: confirmed or discarded. */
  removed: string[];
}

/**
 * Compares `outbox` (in the user's order) with `known` (by id). A new
 * message is stamped `now`, or just after the message before it when that
 * one's stamp is later; a message now behind one queued after it (a failed
 * message retried goes to the end) is stamped again the same way.
 */
export function planWrites(
  known: ReadonlyMap<string, QueuedMessage>,
  outbox: readonly PendingMessage[],
  now: number,
): QueueWrites {
  const writes: QueueWrites = { added: [], changed: [], removed: [] };
  let latest = Number.NEGATIVE_INFINITY;
  for (const message of outbox) {
    const before = known.get(message.id);
    if (before === undefined || before.queuedAt < latest) {
      const queued = { queuedAt: Math.max(now, latest + 1), message };
      (before === undefined ? writes.added : writes.changed).push(queued);
      latest = queued.queuedAt;
    } else {
      if (!isSameMessage(before.message, message)) writes.changed.push({ queuedAt: before.queuedAt, message });
      latest = before.queuedAt;
    }
  }
  const present = new Set(outbox.map((message) => message.id));
  writes.removed = [...known.keys()].filter((id) => !present.has(id));
  return writes;
}

export function hasWrites({ added, changed, removed }: QueueWrites): boolean {
  return added.length + changed.length + removed.length > 0;
}

/** `known` after the writes. */
export function applyWrites(known: Map<string, QueuedMessage>, { added, changed, removed }: QueueWrites): void {
  for (const queued of [...added, ...changed]) known.set(queued.message.id, queued);
  for (const id of removed) known.delete(id);
}

/** Whether two records say the same, field for field; a queued change holds strings, numbers, booleans and arrays of ids. */
function isSameMessage(a: PendingMessage, b: PendingMessage): boolean {
  const fields = Object.entries(a);
  return (
    fields.length === Object.keys(b).length && fields.every(([key, value]) => isSameValue(value, Reflect.get(b, key)))
  );
}

function isSameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => item === b[index]);
  return a === b;
}
