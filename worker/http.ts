/**
 * HTTP at the Worker's edge: errors thrown once (HttpError, which takes a
 * code; the code decides the status) and rendered once (renderError);
 * unexpected failures logged once, redacted; JSON bodies read safely; the
 * Origin policy and CORS; the client's address; the security headers.
 */
import type { IRequest } from "itty-router";
import { ERROR_CODE, ERROR_STATUS, type ErrorCode, type Refusal } from "../protocol/frames.ts";
import { ROOM_PAGE_PERMISSIONS, SECURITY_HEADERS } from "../protocol/security-headers.ts";
import { ConfigError, readConfig } from "./config.ts";

export interface HttpErrorOptions {
  headers?: Record<string, string>;
  /** For 429: how long to wait, in milliseconds; also sent as `Retry-After` in seconds. */
  retryAfter?: number;
}

export class HttpError extends Error {
  readonly code: ErrorCode;
  readonly options: HttpErrorOptions;

  constructor(code: ErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(message);
    this.name = "HttpError";
    this.code = code;
    this.options = options;
  }

  /** The status the contract gives this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The refusal this error answers, to pass on by RPC. */
  get refusal(): Refusal {
    const { retryAfter } = this.options;
    return { code: this.code, message: this.message, ...(retryAfter === undefined ? {} : { retryAfter }) };
  }

  /** A refusal decided elsewhere (in the Room, or by a parser), thrown as it is. */
  static from({ code, message, retryAfter }: Refusal): HttpError {
    return new HttpError(code, message, retryAfter === undefined ? {} : { retryAfter });
  }
}

/**
 * Logs a failure nobody expected, once, without its message or stack, which
 * could carry user text or a token; a configuration error's message names
 * the var to fix and nothing else, so it is kept.
 */
export function logUnexpected(where: string, error: unknown): void {
  const detail = error instanceof ConfigError ? `: ${error.message}` : "";
  console.error(`edgechat: unexpected ${error instanceof Error ? error.name : typeof error} in ${where}${detail}`);
}

/** Renders any thrown value as a JSON error response; never leaks a stack trace. */
export function renderError(error: unknown): Response {
  if (!(error instanceof HttpError)) {
    logUnexpected("an HTTP request", error);
    return errorResponse(ERROR_CODE.internalError, "the server failed to handle this request");
  }
  const { headers = {}, retryAfter } = error.options;
  const extra = retryAfter === undefined ? {} : { retryAfter };
  const retryHeader = retryAfter === undefined ? {} : { "Retry-After": String(Math.ceil(retryAfter / 1000)) };
  return errorResponse(error.code, error.message, { ...headers, ...retryHeader }, extra);
}

function errorResponse(
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
  extra: Record<string, number> = {},
): Response {
  return Response.json(
    { error: { code, message, ...extra } },
    { status: ERROR_STATUS[code], headers: { ...headers, "Cache-Control": "no-store" } },
  );
}

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Reads a JSON request body safely: the media type must be JSON, the body
 * at most `maxBytes` (counted while it streams in, so a huge body is never
 * buffered), valid UTF-8 and valid JSON. Every refusal is an HttpError.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!JSON_MEDIA_TYPE.test(request.headers.get("Content-Type") ?? "")) {
    throw new HttpError(ERROR_CODE.unsupportedMediaType, "send the body as application/json");
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
  const bytes = await readAtMost(request.body, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Not UTF-8: refused as a bad request below.
    throw new HttpError(ERROR_CODE.badRequest, "the body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: refused as a bad request.
    throw new HttpError(ERROR_CODE.badRequest, "the body is not valid JSON");
  }
}

async function readAtMost(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function bodyTooLarge(maxBytes: number): HttpError {
  return new HttpError(ERROR_CODE.tooLarge, `the body is larger than ${maxBytes} bytes`);
}

/**
 * The Origin policy for requests that act in a room: a browser may act only
 * from the app's own origin or one listed in ALLOWED_ORIGINS. A request
 * without an Origin header comes from a non-browser client and is allowed,
 * since no browser lets a page omit it on a cross-origin WebSocket.
 */
export function isAllowedOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.get("Origin");
  if (origin === null) return true;
  // Browsers send the serialised origin, so an exact comparison is the right one;
  // "null", a path, odd casing or a trailing slash never match.
  return origin === new URL(request.url).origin || allowedOrigins.includes(origin);
}

const CORS_MAX_AGE_SECONDS = 600;

/**
 * Refuses a browser request from an origin that is not allowed with 403
 * forbidden_origin. A page on an origin listed in ALLOWED_ORIGINS may call
 * the API like the app's own pages (CORS headers name it); a page on any
 * other origin is refused outright, reads included, so that no outside page
 * can use a visitor's browser to read a room it could not reach itself (a
 * deployment on a private network, or a developer's localhost).
 */
export function requireAllowedOrigin(request: Request, env: Env): void {
  if (!isAllowedOrigin(request, readConfig(env).allowedOrigins)) {
    throw new HttpError(ERROR_CODE.forbiddenOrigin, "pages on this origin may not use this app's API");
  }
}

/** The answer to a CORS preflight (OPTIONS) for a route that takes `methods`. */
export function preflight(request: IRequest, env: Env, methods: readonly string[]): Response {
  requireAllowedOrigin(request, env);
  return new Response(null, {
    status: 204,
    headers: {
      Allow: methods.join(", "),
      "Access-Control-Allow-Methods": methods.join(", "),
      "Access-Control-Allow-Headers": "Content-Type, Last-Event-ID, Authorization, Edgechat-Key",
      "Access-Control-Max-Age": String(CORS_MAX_AGE_SECONDS),
    },
  });
}

/** Names a listed origin in the response's CORS headers; the app's own origin needs none. */
export function withCors(response: Response, request: IRequest, env: Env): Response {
  const origin = request.headers.get("Origin");
  if (origin === null || response.status === 101 || !readConfig(env).allowedOrigins.includes(origin)) return response;
  const shared = new Response(response.body, response);
  shared.headers.set("Access-Control-Allow-Origin", origin);
  shared.headers.set("Access-Control-Expose-Headers", "Retry-After");
  shared.headers.append("Vary", "Origin");
  return shared;
}

/**
 * Adds the security headers to a response the Worker produced; a 101
 * upgrade passes untouched. A room page (`/r/...`) may use the camera,
 * microphone and screen capture that calls need; no other page may.
 */
export function withSecurityHeaders(response: Response, request?: Request): Response {
  if (response.status === 101) return response;
  const secured = new Response(response.body, response);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) secured.headers.set(name, value);
  if (request !== undefined && response.ok && new URL(request.url).pathname.startsWith("/r/")) {
    secured.headers.set("Permissions-Policy", ROOM_PAGE_PERMISSIONS);
  }
  return secured;
}

/**
 * The client's address as Cloudflare's edge reports it. Locally, and for
 * anything that reaches the Worker without passing the edge, there is none,
 * and every such client shares one address.
 */
export const UNKNOWN_ADDRESS = "unknown";

export function clientAddressOf(request: Request): string {
  return request.headers.get("CF-Connecting-IP") ?? UNKNOWN_ADDRESS;
}
