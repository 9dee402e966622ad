/**
 * Cross-origin access. A page on an origin listed in ALLOWED_ORIGINS may
 * call the API like the app's own pages (CORS headers name it); a page on
 * any other origin is refused outright, reads included, so that no outside
 * page can use a visitor's browser to read a room it could not reach itself
 * (a deployment on a private network, or a developer's localhost).
 */
import type { IRequest } from "itty-router";
import { readConfig } from "../config.ts";
import { HttpError } from "../http-error.ts";
import { isAllowedOrigin } from "../origin.ts";
import { ERROR_CODE } from "../protocol.ts";

const MAX_AGE_SECONDS = 600;

/** Refuses a browser request from an origin that is not allowed with 403 forbidden_origin. */
export function requireAllowedOrigin(request: Request, env: Env): void {
  if (!isAllowedOrigin(request, readConfig(env).allowedOrigins)) {
    throw new HttpError(403, ERROR_CODE.forbiddenOrigin, "pages on this origin may not use this app's API");
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
      "Access-Control-Allow-Headers": "Content-Type, Last-Event-ID",
      "Access-Control-Max-Age": String(MAX_AGE_SECONDS),
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
