/**
 * The contract's rules for client frames (docs/protocol.md, "Client to
 * server" and "Limits and errors"), restated on their own for property tests:
 * the tests compare protocol/parse-client.ts with this reading of the
 * contract, so it imports nothing from protocol/ and counts bytes and code
 * points in its own way (TextEncoder, string iteration, Unicode properties).
 */

/** The outcome the contract gives a raw frame: the frame as the room must see it, or a refusal. */
export type ContractOutcome =
  | { ok: true; frame: ContractFrame }
  | { ok: false; code: "bad_request" | "too_large" | "invalid_name"; id?: string; ref?: string };

export type ContractFrame =
  | { type: "send"; id: string; text: string }
  | { type: "typing" }
  | { type: "history"; ref?: string; before?: number; after?: number; around?: number; limit?: number }
  | { type: "rename"; name: string };

export const MAX_TEXT_CODE_POINTS = 4000;
export const MAX_NAME_CODE_POINTS = 32;
export const MAX_ID_CODE_POINTS = 64;
export const MAX_REF_CODE_POINTS = 64;
export const MAX_HISTORY_LIMIT = 100;
export const REFUSAL_CODES: readonly string[] = ["bad_request", "too_large", "invalid_name"];

const FIELDS: Record<ContractFrame["type"], readonly string[]> = {
  send: ["type", "id", "text"],
  typing: ["type"],
  history: ["type", "ref", "before", "after", "around", "limit"],
  rename: ["type", "name"],
};

/** A lone surrogate: the `u` flag matches a well-formed pair as one code point, so only halves match. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Control characters (C0, DEL, C1), line and paragraph separators,
 * unassigned code points, and format characters (bidi embeddings,
 * overrides and isolates, zero-width spaces) other than the zero-width
 * non-joiner and joiner, which a name may hold.
 */
const NAME_FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\p{Cn}]/u;
const FORMAT = /\p{Cf}/gu;
const ZERO_WIDTH_JOINERS: readonly string[] = ["\u200C", "\u200D"];

const encoder = new TextEncoder();

/** Code points in `text`; a lone surrogate counts as one. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Bytes of `text` once sent as UTF-8, where a lone surrogate becomes U+FFFD. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** A refused send names its message whenever it had a valid id; a refused history request, its valid ref. */
function withId(outcome: ContractOutcome, id: string | undefined): ContractOutcome {
  return id === undefined || outcome.ok ? outcome : { ...outcome, id };
}

function withRef(outcome: ContractOutcome, ref: string | undefined): ContractOutcome {
  return ref === undefined || outcome.ok ? outcome : { ...outcome, ref };
}

function validRef(ref: unknown): string | undefined {
  return isRef(ref) ? ref : undefined;
}

/** What a refusal of the frame in `fields` echoes: a send's valid id, a history request's valid ref. */
function withEcho(outcome: ContractOutcome, fields: Map<string, unknown>): ContractOutcome {
  const type = fields.get("type");
  if (type === "send") return withId(outcome, validId(fields.get("id")));
  if (type === "history") return withRef(outcome, validRef(fields.get("ref")));
  return outcome;
}

function validId(id: unknown): string | undefined {
  return isClientId(id) ? id : undefined;
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
  if (typeof raw !== "string") return { ok: false, code: "bad_request" };
  if (utf8Bytes(raw) > maxFrameBytes) return oversizeOutcome(raw, maxFrameBytes);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON is one of the contract's reasons for bad_request.
    return { ok: false, code: "bad_request" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, code: "bad_request" };
  const fields = new Map<string, unknown>(Object.entries(value));
  const type = fields.get("type");
  if (type !== "send" && type !== "typing" && type !== "history" && type !== "rename") {
    return { ok: false, code: "bad_request" };
  }
  if ([...fields.keys()].some((key) => !FIELDS[type].includes(key))) {
    return withEcho({ ok: false, code: "bad_request" }, fields);
  }
  switch (type) {
    case "send":
      return sendOutcome(fields.get("id"), fields.get("text"));
    case "typing":
      return { ok: true, frame: { type } };
    case "history":
      return historyOutcome(fields);
    case "rename":
      return renameOutcome(fields.get("name"));
  }
}

function sendOutcome(id: unknown, text: unknown): ContractOutcome {
  if (!isClientId(id)) return { ok: false, code: "bad_request" };
  if (typeof text !== "string" || !isWellFormedText(text)) return { ok: false, code: "bad_request", id };
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, code: "bad_request", id };
  if (codePoints(trimmed) > MAX_TEXT_CODE_POINTS) return { ok: false, code: "too_large", id };
  return { ok: true, frame: { type: "send", id, text: trimmed } };
}

function historyOutcome(fields: Map<string, unknown>): ContractOutcome {
  const [ref, before, after, around, limit] = ["ref", "before", "after", "around", "limit"].map((key) =>
    fields.get(key),
  );
  if (ref !== undefined && !isRef(ref)) return { ok: false, code: "bad_request" };
  const refused = withRef({ ok: false, code: "bad_request" }, ref);
  if ([before, after, around].filter((bound) => bound !== undefined).length > 1) return refused;
  const frame: ContractFrame = ref === undefined ? { type: "history" } : { type: "history", ref };
  if (before !== undefined) {
    if (!isSeqPosition(before)) return refused;
    frame.before = before;
  }
  if (after !== undefined) {
    if (!isSeqPosition(after)) return refused;
    frame.after = after;
  }
  if (around !== undefined) {
    if (!isSeqPosition(around)) return refused;
    frame.around = around;
  }
  if (limit !== undefined) {
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
      return refused;
    }
    frame.limit = limit;
  }
  return { ok: true, frame };
}

function renameOutcome(name: unknown): ContractOutcome {
  if (typeof name !== "string") return { ok: false, code: "bad_request" };
  const normalized = displayName(name);
  return normalized === null
    ? { ok: false, code: "invalid_name" }
    : { ok: true, frame: { type: "rename", name: normalized } };
}

/** A display name as the contract keeps it (trimmed, NFC), or null when it is not one. */
export function displayName(raw: string): string | null {
  if (!isWellFormedText(raw)) return null;
  const name = raw.trim().normalize("NFC");
  const length = codePoints(name);
  if (length < 1 || length > MAX_NAME_CODE_POINTS || NAME_FORBIDDEN.test(name)) return null;
  const formats = name.match(FORMAT) ?? [];
  return formats.every((character) => ZERO_WIDTH_JOINERS.includes(character)) ? name : null;
}

export function isRef(ref: unknown): ref is string {
  if (typeof ref !== "string" || !isWellFormedText(ref)) return false;
  const length = codePoints(ref);
  return length >= 1 && length <= MAX_REF_CODE_POINTS;
}

export function isClientId(id: unknown): id is string {
  if (typeof id !== "string" || !isWellFormedText(id)) return false;
  const length = codePoints(id);
  return length >= 1 && length <= MAX_ID_CODE_POINTS;
}

/** A seq as a client may name one: a non-negative integer that a double holds exactly. */
export function isSeqPosition(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER;
}

/**
 * Checks, field by field, that `frame` is a client frame the contract allows
 * after parsing; returns what is wrong, or null.
 */
export function contractViolation(frame: object): string | null {
  const fields = new Map<string, unknown>(Object.entries(frame));
  const type = fields.get("type");
  if (type !== "send" && type !== "typing" && type !== "history" && type !== "rename") return "unknown type";
  const extra = [...fields.keys()].find((key) => !FIELDS[type].includes(key));
  if (extra !== undefined) return `unexpected field ${extra}`;
  switch (type) {
    case "send": {
      const text = fields.get("text");
      if (!isClientId(fields.get("id"))) return "id is not 1 to 64 code points of well-formed text";
      if (typeof text !== "string" || !isWellFormedText(text)) return "text is not well-formed text";
      if (text !== text.trim()) return "text is not trimmed";
      const length = codePoints(text);
      return length >= 1 && length <= MAX_TEXT_CODE_POINTS ? null : "text is not 1 to 4000 code points";
    }
    case "typing":
      return null;
    case "history": {
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
    case "rename": {
      const name = fields.get("name");
      return typeof name === "string" && displayName(name) === name ? null : "name is not a kept display name";
    }
  }
}
