/**
 * The contract's rules for client frames (docs/protocol.md, "Client to
 * server", "Search", "Read positions", "Events: changing and answering
 * messages" and "Limits and errors"), restated on their own for property
 * tests: the tests compare protocol/parse-client.ts with this reading of the
 * contract, so it imports nothing from protocol/ and counts bytes and code
 * points in its own way (TextEncoder, string iteration, Unicode properties).
 *
 * The contract fixes no order among several faults of one frame. This
 * reading judges an unknown field first, then the fields in the order the
 * frame's row of the contract lists them (`id`, `target`, `text`, `replyTo`,
 * `mentions`, `emoji`, `on`; for a search `ref`, `q`, `before`, `limit`); the
 * first fault decides the code.
 */
import {
  codePoints,
  displayName,
  isClientId,
  isMentionList,
  isMessageSeq,
  isRef,
  isSeqPosition,
  isWellFormedText,
  MAX_TEXT_CODE_POINTS,
  mentionsFault,
  oneEmoji,
  searchQuery,
  utf8Bytes,
} from "./client-value-contract.ts";

/** The outcome the contract gives a raw frame: the frame as the room must see it, or a refusal. */
export type ContractOutcome =
  | { ok: true; frame: ContractFrame }
  | { ok: false; code: "bad_request" | "too_large" | "invalid_name"; id?: string; ref?: string };

export type ContractFrame =
  | { type: "send"; id: string; text: string; replyTo?: number; mentions?: string[] }
  | { type: "edit"; id: string; target: number; text: string; mentions?: string[] }
  | { type: "delete"; id: string; target: number; reason?: string }
  | { type: "react"; id: string; target: number; emoji: string; on: boolean }
  | { type: "typing" }
  | { type: "history"; ref?: string; before?: number; after?: number; around?: number; limit?: number }
  | { type: "search"; ref: string; q: string; before?: number; limit?: number }
  | { type: "read"; seq: number }
  | { type: "rename"; name: string };

type FrameType = ContractFrame["type"];
type Refused = Extract<ContractOutcome, { ok: false }>;
type Checked<T> = { ok: true; value: T } | Refused;

export const MAX_HISTORY_LIMIT = 100;
export const MAX_SEARCH_LIMIT = 50;
export const REFUSAL_CODES: readonly string[] = ["bad_request", "too_large", "invalid_name"];

const FIELDS: Record<FrameType, readonly string[]> = {
  send: ["type", "id", "text", "replyTo", "mentions"],
  edit: ["type", "id", "target", "text", "mentions"],
  delete: ["type", "id", "target", "reason"],
  react: ["type", "id", "target", "emoji", "on"],
  typing: ["type"],
  history: ["type", "ref", "before", "after", "around", "limit"],
  search: ["type", "ref", "q", "before", "limit"],
  read: ["type", "seq"],
  rename: ["type", "name"],
};

/** The requests whose `ref` every refusal echoes when it is valid. */
const REF_TYPES: readonly unknown[] = ["history", "search"];

/** The frames that store an event, whose `id` every refusal echoes when it is valid. */
const EVENT_TYPES: readonly unknown[] = ["send", "edit", "delete", "react"];

const BAD_REQUEST: Refused = { ok: false, code: "bad_request" };

function isFrameType(type: unknown): type is FrameType {
  return typeof type === "string" && Object.keys(FIELDS).includes(type);
}

/**
 * What a refusal of the frame in `fields` echoes, whatever the reason: the
 * valid `id` of a send, edit, delete or react, the valid `ref` of a history
 * or search request.
 */
function withEcho(outcome: ContractOutcome, fields: Map<string, unknown>): ContractOutcome {
  if (outcome.ok) return outcome;
  const type = fields.get("type");
  const id = fields.get("id");
  const ref = fields.get("ref");
  if (EVENT_TYPES.includes(type) && isClientId(id)) return { ...outcome, id };
  if (REF_TYPES.includes(type) && isRef(ref)) return { ...outcome, ref };
  return outcome;
}

/** An oversize frame of at most four times the limit is still read for its id or ref. */
function oversizeOutcome(raw: string, maxFrameBytes: number): ContractOutcome {
  const refused: ContractOutcome = { ok: false, code: "too_large" };
  if (raw.length > maxFrameBytes * 4) return refused;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return refused;
    return withEcho(refused, new Map<string, unknown>(Object.entries(value)));
  } catch {
    // Not JSON: nothing to echo.
    return refused;
  }
}

/** What the contract says the room must make of `raw` under a frame limit of `maxFrameBytes`. */
export function contractOutcome(raw: string | ArrayBuffer, maxFrameBytes: number): ContractOutcome {
  if (typeof raw !== "string") return BAD_REQUEST;
  if (utf8Bytes(raw) > maxFrameBytes) return oversizeOutcome(raw, maxFrameBytes);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON is one of the contract's reasons for bad_request.
    return BAD_REQUEST;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return BAD_REQUEST;
  const fields = new Map<string, unknown>(Object.entries(value));
  const type = fields.get("type");
  if (!isFrameType(type)) return BAD_REQUEST;
  if ([...fields.keys()].some((key) => !FIELDS[type].includes(key))) return withEcho(BAD_REQUEST, fields);
  return withEcho(frameOutcome(type, fields), fields);
}

function frameOutcome(type: FrameType, fields: Map<string, unknown>): ContractOutcome {
  switch (type) {
    case "send":
      return sendOutcome(fields);
    case "edit":
      return editOutcome(fields);
    case "delete":
      return deleteOutcome(fields);
    case "react":
      return reactOutcome(fields);
    case "typing":
      return { ok: true, frame: { type } };
    case "history":
      return historyOutcome(fields);
    case "search":
      return searchOutcome(fields);
    case "read": {
      const seq = fields.get("seq");
      return isSeqPosition(seq) ? { ok: true, frame: { type, seq } } : BAD_REQUEST;
    }
    case "rename":
      return renameOutcome(fields.get("name"));
  }
}

function sendOutcome(fields: Map<string, unknown>): ContractOutcome {
  const id = fields.get("id");
  if (!isClientId(id)) return BAD_REQUEST;
  const text = messageText(fields.get("text"));
  if (!text.ok) return text;
  const frame: Extract<ContractFrame, { type: "send" }> = { type: "send", id, text: text.value };
  if (fields.has("replyTo")) {
    const replyTo = fields.get("replyTo");
    if (!isMessageSeq(replyTo)) return BAD_REQUEST;
    frame.replyTo = replyTo;
  }
  if (fields.has("mentions")) {
    const mentions = fields.get("mentions");
    if (!isMentionList(mentions)) return BAD_REQUEST;
    frame.mentions = [...mentions];
  }
  return { ok: true, frame };
}

function editOutcome(fields: Map<string, unknown>): ContractOutcome {
  const id = fields.get("id");
  const target = fields.get("target");
  if (!isClientId(id) || !isMessageSeq(target)) return BAD_REQUEST;
  const text = messageText(fields.get("text"));
  if (!text.ok) return text;
  const frame: Extract<ContractFrame, { type: "edit" }> = { type: "edit", id, target, text: text.value };
  if (fields.has("mentions")) {
    const mentions = fields.get("mentions");
    if (!isMentionList(mentions)) return BAD_REQUEST;
    frame.mentions = [...mentions];
  }
  return { ok: true, frame };
}

function deleteOutcome(fields: Map<string, unknown>): ContractOutcome {
  const id = fields.get("id");
  const target = fields.get("target");
  if (!isClientId(id) || !isMessageSeq(target)) return BAD_REQUEST;
  if (!fields.has("reason")) return { ok: true, frame: { type: "delete", id, target } };
  const reason = oneLineReason(fields.get("reason"));
  return reason === null ? BAD_REQUEST : { ok: true, frame: { type: "delete", id, target, reason } };
}

/** A moderator's reason: one line (no controls, no line or paragraph separators), trimmed, NFC, 1 to 200 code points. */
function oneLineReason(value: unknown): string | null {
  if (typeof value !== "string" || !isWellFormedText(value)) return null;
  const reason = value.trim().normalize("NFC");
  if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(reason)) return null;
  const length = codePoints(reason);
  return length >= 1 && length <= 200 ? reason : null;
}

/**
 * The frames of rooms with owners and of calls: their rules are specified
 * by their own tests (test/unit/parse-owners.test.ts, parse-calls.test.ts),
 * so this model leaves them out rather than call them unknown.
 */
export const FRAME_TYPES_MODELLED_ELSEWHERE: readonly string[] = [
  "settings",
  "moderate",
  "revoke",
  "mint",
  "keys",
  "audit",
  "members",
  "call",
  "media",
  "signal",
];

function reactOutcome(fields: Map<string, unknown>): ContractOutcome {
  const id = fields.get("id");
  const target = fields.get("target");
  const on = fields.get("on");
  if (!isClientId(id) || !isMessageSeq(target)) return BAD_REQUEST;
  const emoji = oneEmoji(fields.get("emoji"));
  if (emoji === null || typeof on !== "boolean") return BAD_REQUEST;
  return { ok: true, frame: { type: "react", id, target, emoji, on } };
}

/** A message's text as the contract keeps it (trimmed, 1 to 4000 code points), or its refusal. */
function messageText(text: unknown): Checked<string> {
  if (typeof text !== "string" || !isWellFormedText(text)) return BAD_REQUEST;
  const trimmed = text.trim();
  if (trimmed === "") return BAD_REQUEST;
  if (codePoints(trimmed) > MAX_TEXT_CODE_POINTS) return { ok: false, code: "too_large" };
  return { ok: true, value: trimmed };
}

function historyOutcome(fields: Map<string, unknown>): ContractOutcome {
  const [ref, before, after, around, limit] = ["ref", "before", "after", "around", "limit"].map((key) =>
    fields.get(key),
  );
  if (ref !== undefined && !isRef(ref)) return BAD_REQUEST;
  if ([before, after, around].filter((bound) => bound !== undefined).length > 1) return BAD_REQUEST;
  const frame: ContractFrame = ref === undefined ? { type: "history" } : { type: "history", ref };
  if (before !== undefined) {
    if (!isSeqPosition(before)) return BAD_REQUEST;
    frame.before = before;
  }
  if (after !== undefined) {
    if (!isSeqPosition(after)) return BAD_REQUEST;
    frame.after = after;
  }
  if (around !== undefined) {
    if (!isSeqPosition(around)) return BAD_REQUEST;
    frame.around = around;
  }
  if (limit !== undefined) {
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
      return BAD_REQUEST;
    }
    frame.limit = limit;
  }
  return { ok: true, frame };
}

function searchOutcome(fields: Map<string, unknown>): ContractOutcome {
  const ref = fields.get("ref");
  if (!isRef(ref)) return BAD_REQUEST;
  const q = searchQuery(fields.get("q"));
  if (!q.ok) return q;
  const frame: Extract<ContractFrame, { type: "search" }> = { type: "search", ref, q: q.value };
  if (fields.has("before")) {
    const before = fields.get("before");
    if (!isSeqPosition(before)) return BAD_REQUEST;
    frame.before = before;
  }
  if (fields.has("limit")) {
    const limit = fields.get("limit");
    if (!isSearchLimit(limit)) return BAD_REQUEST;
    frame.limit = limit;
  }
  return { ok: true, frame };
}

function isSearchLimit(limit: unknown): limit is number {
  return typeof limit === "number" && Number.isInteger(limit) && limit >= 1 && limit <= MAX_SEARCH_LIMIT;
}

function renameOutcome(name: unknown): ContractOutcome {
  if (typeof name !== "string") return BAD_REQUEST;
  const normalized = displayName(name);
  return normalized === null
    ? { ok: false, code: "invalid_name" }
    : { ok: true, frame: { type: "rename", name: normalized } };
}

/**
 * Checks, field by field, that `frame` is a client frame the contract allows
 * after parsing; returns what is wrong, or null.
 */
export function contractViolation(frame: object): string | null {
  const fields = new Map<string, unknown>(Object.entries(frame));
  const type = fields.get("type");
  if (!isFrameType(type)) return "unknown type";
  const extra = [...fields.keys()].find((key) => !FIELDS[type].includes(key));
  if (extra !== undefined) return `unexpected field ${extra}`;
  if (EVENT_TYPES.includes(type) && !isClientId(fields.get("id"))) {
    return "id is not 1 to 64 code points of well-formed text";
  }
  switch (type) {
    case "send":
      return (
        keptTextFault(fields.get("text")) ??
        (fields.has("replyTo") && !isMessageSeq(fields.get("replyTo")) ? "replyTo is not a seq of 1 or more" : null) ??
        (fields.has("mentions") ? mentionsFault(fields.get("mentions")) : null)
      );
    case "edit":
      return (
        targetFault(fields.get("target")) ??
        keptTextFault(fields.get("text")) ??
        (fields.has("mentions") ? mentionsFault(fields.get("mentions")) : null)
      );
    case "delete": {
      const reason = fields.get("reason");
      if (fields.has("reason") && oneLineReason(reason) !== reason) return "reason is not a kept one-line reason";
      return targetFault(fields.get("target"));
    }
    case "react": {
      const emoji = fields.get("emoji");
      if (oneEmoji(emoji) !== emoji) return "emoji is not one RGI emoji in NFC";
      return (
        targetFault(fields.get("target")) ?? (typeof fields.get("on") === "boolean" ? null : "on is not a boolean")
      );
    }
    case "typing":
      return null;
    case "history":
      return historyViolation(fields);
    case "search":
      return searchViolation(fields);
    case "read":
      return isSeqPosition(fields.get("seq")) ? null : "seq is not a seq";
    case "rename": {
      const name = fields.get("name");
      return typeof name === "string" && displayName(name) === name ? null : "name is not a kept display name";
    }
  }
}

/** What is wrong with the text of a parsed send or edit, or null: it must be trimmed, 1 to 4000 code points. */
function keptTextFault(text: unknown): string | null {
  if (typeof text !== "string" || !isWellFormedText(text)) return "text is not well-formed text";
  if (text !== text.trim()) return "text is not trimmed";
  const length = codePoints(text);
  return length >= 1 && length <= MAX_TEXT_CODE_POINTS ? null : "text is not 1 to 4000 code points";
}

function targetFault(target: unknown): string | null {
  return isMessageSeq(target) ? null : "target is not a seq of 1 or more";
}

function historyViolation(fields: Map<string, unknown>): string | null {
  const before = fields.get("before");
  const after = fields.get("after");
  const around = fields.get("around");
  const limit = fields.get("limit");
  const ref = fields.get("ref");
  if (ref !== undefined && !isRef(ref)) return "ref is not 1 to 64 code points of well-formed text";
  if ([before, after, around].filter((bound) => bound !== undefined).length > 1) return "more than one bound";
  if (around !== undefined && !isSeqPosition(around)) return "around is not a seq";
  if (before !== undefined && !isSeqPosition(before)) return "before is not a seq";
  if (after !== undefined && !isSeqPosition(after)) return "after is not a seq";
  const limitOk =
    limit === undefined ||
    (typeof limit === "number" && Number.isInteger(limit) && limit >= 1 && limit <= MAX_HISTORY_LIMIT);
  return limitOk ? null : "limit is not 1 to 100";
}

function searchViolation(fields: Map<string, unknown>): string | null {
  const q = fields.get("q");
  if (!isRef(fields.get("ref"))) return "ref is not 1 to 64 code points of well-formed text";
  const kept = searchQuery(q);
  if (!kept.ok || kept.value !== q) return "q is not a trimmed query of 1 to 200 code points";
  if (fields.has("before") && !isSeqPosition(fields.get("before"))) return "before is not a seq";
  return fields.has("limit") && !isSearchLimit(fields.get("limit")) ? "limit is not 1 to 50" : null;
}
