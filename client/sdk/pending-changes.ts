/**
 * What the outbox holds: the user's messages and changes to messages (edits,
 * deletions, reactions) that the room has not acknowledged, the frame each
 * becomes, and how one is read back from storage.
 */
import { CLIENT_FRAME, ERROR_CODE, type ErrorCode, type EventFrame, encodeFrame } from "../../protocol/frames.ts";
import {
  type FrameRefusal,
  isStoredSeqPosition,
  isValidClientId,
  normalizeEmoji,
  parseClientFrame,
  parseMentions,
} from "../../protocol/parse-client.ts";

/**
 * The message a change is about: its seq, or the client id of the user's
 * own message that was on its way when the change was made, which the outbox
 * replaces with the seq once the room acknowledges it.
 */
export type ChangeTarget = number | string;

/**
 * What the user asked of the room, field for field as its frame says it. A
 * send has no `kind` (or `"send"`): it is stored exactly as queued messages
 * were before the other kinds existed, so that either reads the other's.
 */
export type QueuedChange =
  | { kind?: "send"; id: string; text: string; replyTo?: number; mentions?: string[] }
  | { kind: "edit"; id: string; target: ChangeTarget; text: string; mentions?: string[] }
  | { kind: "delete"; id: string; target: ChangeTarget; reason?: string }
  | { kind: "react"; id: string; target: number; emoji: string; on: boolean };

/** A queued change's state: waiting to be sent (again), or refused for good. */
export type PendingStatus = { status: "pending" } | { status: "failed"; code: ErrorCode; reason: string };

/** A message, or a change to one, the room has not acknowledged yet. */
export type PendingMessage = QueuedChange & PendingStatus;

/** A change as the caller describes it; the outbox gives it its id. */
export type NewChange = WithoutId<QueuedChange>;

/** Each member of a union without its `id`. */
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/** The refusals that are final: the same frame would be refused again. */
const FINAL_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  ERROR_CODE.badRequest,
  ERROR_CODE.tooLarge,
  ERROR_CODE.notFound,
  ERROR_CODE.forbidden,
  ERROR_CODE.limitReached,
]);

export function isFinalRefusal(code: ErrorCode): boolean {
  return FINAL_REFUSALS.has(code);
}

/**
 * Whether a change refused for good stays in the outbox, marked failed:
 * a message or an edit holds text the user wrote, to retry, change or
 * discard. A refused deletion or reaction leaves it (the connection reports
 * it as an `error`, and takes the reaction back).
 */
export function keepsWhenRefused(change: QueuedChange): boolean {
  return change.kind === undefined || change.kind === "send" || change.kind === "edit";
}

/** The change without its status. */
export function changeOf(pending: PendingMessage): QueuedChange {
  if (pending.status === "failed") {
    const { status: _, code: __, reason: ___, ...change } = pending;
    return change;
  }
  const { status: _, ...change } = pending;
  return change;
}

/** The frame that carries a change, its target resolved to `target` where it names a client id. */
export function frameOf(change: QueuedChange, target: number): EventFrame {
  switch (change.kind) {
    case undefined:
    case "send": {
      const { id, text, replyTo, mentions } = change;
      return {
        type: CLIENT_FRAME.send,
        id,
        text,
        ...(replyTo === undefined ? {} : { replyTo }),
        ...(mentions === undefined ? {} : { mentions }),
      };
    }
    case "edit": {
      const { id, text, mentions } = change;
      return { type: CLIENT_FRAME.edit, id, target, text, ...(mentions === undefined ? {} : { mentions }) };
    }
    case "delete":
      return {
        type: CLIENT_FRAME.delete,
        id: change.id,
        target,
        ...(change.reason === undefined ? {} : { reason: change.reason }),
      };
    case "react":
      return { type: CLIENT_FRAME.react, id: change.id, target, emoji: change.emoji, on: change.on };
    default:
      return assertNever(change);
  }
}

/**
 * The room's own parser run on the change's frame: what it would refuse is
 * refused here, before it can block the queue. A target still named by a
 * client id is checked as the longest seq it can become.
 */
export function refusalOf(change: QueuedChange, maxFrameBytes: number): FrameRefusal | null {
  const target = "target" in change && typeof change.target === "number" ? change.target : Number.MAX_SAFE_INTEGER;
  const check = parseClientFrame(encodeFrame(frameOf(change, target)), maxFrameBytes);
  return check.ok ? null : check;
}

/** Reads one stored queued change, checking every field; null when it is not one. */
export function parsePendingMessage(value: unknown): PendingMessage | null {
  if (!isObject(value) || typeof value.id !== "string") return null;
  const change = parseChange(value, value.id);
  if (change === null) return null;
  const { status, code, reason } = value;
  if (status === "pending") return { ...change, status };
  const failed = status === "failed" && isErrorCode(code) && typeof reason === "string";
  return failed ? { ...change, status, code, reason } : null;
}

function parseChange(value: Record<string, unknown>, id: string): QueuedChange | null {
  const { kind, text, target, replyTo, mentions, emoji, on } = value;
  const withMentions = optionalMentions(mentions);
  if (withMentions === null) return null;
  switch (kind) {
    case undefined:
    case "send": {
      if (typeof text !== "string" || (replyTo !== undefined && !isStoredSeqPosition(replyTo))) return null;
      return {
        ...(kind === undefined ? {} : { kind }),
        id,
        text,
        ...(replyTo === undefined ? {} : { replyTo }),
        ...withMentions,
      };
    }
    case "edit":
      return isTarget(target) && typeof text === "string" ? { kind, id, target, text, ...withMentions } : null;
    case "delete": {
      if (!isTarget(target)) return null;
      if (value.reason === undefined) return { kind, id, target };
      return typeof value.reason === "string" ? { kind, id, target, reason: value.reason } : null;
    }
    case "react":
      return isStoredSeqPosition(target) && isEmoji(emoji) && typeof on === "boolean"
        ? { kind, id, target, emoji, on }
        : null;
    default:
      return null;
  }
}

/** `mentions` when stored, as the fields a change spreads in; null when they are damaged. */
function optionalMentions(value: unknown): { mentions?: string[] } | null {
  if (value === undefined) return {};
  const parsed = parseMentions(value);
  return parsed.ok ? { mentions: parsed.value } : null;
}

/** One emoji, as the room keeps it (after NFC). */
function isEmoji(value: unknown): value is string {
  return typeof value === "string" && normalizeEmoji(value) === value;
}

function isTarget(value: unknown): value is ChangeTarget {
  return isStoredSeqPosition(value) || (typeof value === "string" && isValidClientId(value));
}

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ERROR_CODE));

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && ERROR_CODES.has(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function assertNever(value: never): never {
  throw new Error(`unhandled change ${JSON.stringify(value)}`);
}
