/**
 * A history page as HTTP asks for it: `?before=`, `?after=`, `?limit=`, the
 * same rules as the WebSocket `history` frame.
 */
import type { PageQuery } from "./history.ts";
import { ERROR_CODE, FRAME_LIMITS } from "./protocol.ts";

export interface PageRequest {
  query: PageQuery;
  limit: number;
}

export type PageRequestResult =
  | { ok: true; page: PageRequest }
  | { ok: false; code: typeof ERROR_CODE.badRequest; message: string };

const DIGITS = /^\d{1,16}$/;

export function parsePageRequest(params: URLSearchParams): PageRequestResult {
  const before = readCount(params, "before");
  const after = readCount(params, "after");
  const limit = readCount(params, "limit");
  if (before === "invalid") return refuse("`before` must be a non-negative integer, given once");
  if (after === "invalid") return refuse("`after` must be a non-negative integer, given once");
  if (limit === "invalid") return refuse("`limit` must be an integer, given once");
  if (before !== undefined && after !== undefined) return refuse("use `before` or `after`, not both");
  if (limit !== undefined && (limit < 1 || limit > FRAME_LIMITS.historyPageMax)) {
    return refuse(`\`limit\` must be from 1 to ${FRAME_LIMITS.historyPageMax}`);
  }
  const query: PageQuery = before !== undefined ? { before } : after !== undefined ? { after } : { newest: true };
  return { ok: true, page: { query, limit: limit ?? FRAME_LIMITS.historyPageDefault } };
}

/** A non-negative integer query parameter: undefined when absent. */
export function readCount(params: URLSearchParams, name: string): number | undefined | "invalid" {
  const values = params.getAll(name);
  if (values.length === 0) return undefined;
  const [value] = values;
  if (values.length > 1 || value === undefined || !DIGITS.test(value)) return "invalid";
  const count = Number(value);
  return Number.isSafeInteger(count) ? count : "invalid";
}

function refuse(message: string): PageRequestResult {
  return { ok: false, code: ERROR_CODE.badRequest, message };
}
