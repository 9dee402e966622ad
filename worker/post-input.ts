/**
 * The body of `POST /api/rooms/:room/messages`, `{"text","name"?,"id"?,"token"?}`,
 * checked with the same rules as a WebSocket `send` before it reaches a room.
 */
import { ERROR_CODE, FRAME_LIMITS } from "./protocol.ts";
import { isValidClientId, normalizeDisplayName, normalizeMessageText } from "./text-rules.ts";

export interface PostInput {
  text: string;
  /** The display name to post under; absent keeps the user's name or picks one. */
  name?: string;
  /** The client's idempotency key; absent means the room makes one. */
  id?: string;
  /** An identity token from an earlier answer or welcome. */
  token?: string;
}

export type PostInputResult =
  | { ok: true; input: PostInput }
  | {
      ok: false;
      code: typeof ERROR_CODE.badRequest | typeof ERROR_CODE.tooLarge | typeof ERROR_CODE.invalidName;
      message: string;
    };

const FIELDS: ReadonlySet<string> = new Set(["text", "name", "id", "token"]);

export function parsePostInput(body: unknown): PostInputResult {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return badRequest("the body must be a JSON object");
  const fields: Record<string, unknown> = { ...body };
  const extra = Object.keys(fields).find((key) => !FIELDS.has(key));
  if (extra !== undefined) return badRequest(`unexpected field \`${extra.slice(0, 32)}\``);
  const { text, name, id, token } = fields;
  if (typeof text !== "string") return badRequest("`text` must be a string");
  const normalized = normalizeMessageText(text);
  if (!normalized.ok) {
    if (normalized.reason === "too_long") {
      return {
        ok: false,
        code: ERROR_CODE.tooLarge,
        message: `\`text\` is longer than ${FRAME_LIMITS.maxTextLength} characters`,
      };
    }
    return badRequest(normalized.reason === "empty" ? "`text` is empty" : "`text` is not well-formed Unicode");
  }
  const input: PostInput = { text: normalized.value };
  if (name !== undefined && (typeof name !== "string" || name.trim() !== "")) {
    const checked = typeof name === "string" ? normalizeDisplayName(name) : null;
    if (checked === null || !checked.ok) {
      const message = `\`name\` must be 1 to ${FRAME_LIMITS.maxNameLength} characters with no control characters`;
      return { ok: false, code: ERROR_CODE.invalidName, message };
    }
    input.name = checked.value;
  }
  if (id !== undefined) {
    if (typeof id !== "string" || !isValidClientId(id)) {
      return badRequest(`\`id\` must be a string of 1 to ${FRAME_LIMITS.maxClientIdLength} characters`);
    }
    input.id = id;
  }
  if (token !== undefined) {
    if (typeof token !== "string") return badRequest("`token` must be a string");
    input.token = token;
  }
  return { ok: true, input };
}

function badRequest(message: string): PostInputResult {
  return { ok: false, code: ERROR_CODE.badRequest, message };
}
