/**
 * The query parameters of a WebSocket connect request
 * (`?name=&since=&token=`), parsed once in the Worker and again by the Room
 * from the request the Worker forwards.
 */
import { ERROR_CODE, FRAME_LIMITS } from "./protocol.ts";
import { normalizeDisplayName } from "./text-rules.ts";

export interface ConnectParams {
  /** The display name asked for; absent when the server should choose. */
  name?: string;
  /** Resume after this seq. */
  since?: number;
  /** An identity token from an earlier welcome; checked by the Room. */
  token?: string;
}

export type ConnectParamsResult =
  | { ok: true; params: ConnectParams }
  | { ok: false; code: typeof ERROR_CODE.badRequest | typeof ERROR_CODE.invalidName; message: string };

/** Longer than any token the Room issues; a longer one is treated as absent. */
const MAX_TOKEN_LENGTH = 256;
const DIGITS = /^\d{1,16}$/;

export function parseConnectParams(query: URLSearchParams): ConnectParamsResult {
  for (const key of ["name", "since", "token"]) {
    if (query.getAll(key).length > 1)
      return { ok: false, code: ERROR_CODE.badRequest, message: `\`${key}\` given twice` };
  }
  const params: ConnectParams = {};
  const name = query.get("name");
  if (name !== null && name.trim() !== "") {
    const result = normalizeDisplayName(name);
    if (!result.ok) {
      const message = `\`name\` must be 1 to ${FRAME_LIMITS.maxNameLength} characters with no control characters`;
      return { ok: false, code: ERROR_CODE.invalidName, message };
    }
    params.name = result.value;
  }
  const since = query.get("since");
  if (since !== null) {
    const value = Number(since);
    if (!DIGITS.test(since) || !Number.isSafeInteger(value)) {
      return { ok: false, code: ERROR_CODE.badRequest, message: "`since` must be a non-negative integer" };
    }
    params.since = value;
  }
  const token = query.get("token");
  if (token !== null && token !== "" && token.length <= MAX_TOKEN_LENGTH) params.token = token;
  return { ok: true, params };
}
