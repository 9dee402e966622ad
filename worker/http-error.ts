/**
 * HTTP errors are thrown once, as an HttpError, and rendered once, by
 * renderError, into the contract's body `{"error":{"code","message"}}`.
 */
import { ConfigError } from "./config-error.ts";
import type { ErrorCode } from "./protocol.ts";

export interface HttpErrorOptions {
  headers?: Record<string, string>;
  /** For 429: how long to wait, in milliseconds; also sent as `Retry-After` in seconds. */
  retryAfter?: number;
}

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly options: HttpErrorOptions;

  constructor(status: number, code: ErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.options = options;
  }
}

/** Renders any thrown value as a JSON error response; never leaks a stack trace. */
export function renderError(error: unknown): Response {
  if (!(error instanceof HttpError)) {
    // The log names the failure without its message or stack, which could carry user text;
    // a configuration error's message names the var to fix and nothing else.
    const detail = error instanceof ConfigError ? `: ${error.message}` : "";
    console.error(`edgechat: unexpected ${error instanceof Error ? error.name : typeof error}${detail}`);
    return errorResponse(500, "internal_error", "the server failed to handle this request");
  }
  const { headers = {}, retryAfter } = error.options;
  const extra = retryAfter === undefined ? {} : { retryAfter };
  const retryHeader = retryAfter === undefined ? {} : { "Retry-After": String(Math.ceil(retryAfter / 1000)) };
  return errorResponse(error.status, error.code, error.message, { ...headers, ...retryHeader }, extra);
}

function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
  extra: Record<string, number> = {},
): Response {
  return Response.json(
    { error: { code, message, ...extra } },
    { status, headers: { ...headers, "Cache-Control": "no-store" } },
  );
}
