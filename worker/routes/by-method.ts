/**
 * One route's handlers by HTTP method. HEAD is answered like GET, OPTIONS is
 * the CORS preflight, and any other method gets 405 with `Allow`.
 */
import type { IRequest } from "itty-router";
import { HttpError } from "../http-error.ts";
import { ERROR_CODE } from "../protocol.ts";
import { preflight } from "./cors.ts";

export type RouteHandler = (request: IRequest, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

export function byMethod(handlers: { GET?: RouteHandler; POST?: RouteHandler }): RouteHandler {
  const allowed = [...(handlers.GET ? ["GET", "HEAD"] : []), ...(handlers.POST ? ["POST"] : []), "OPTIONS"];
  return (request, env, ctx) => {
    const method = request.method === "HEAD" ? "GET" : request.method;
    if (method === "OPTIONS") return preflight(request, env, allowed);
    const handler = method === "GET" ? handlers.GET : method === "POST" ? handlers.POST : undefined;
    if (handler === undefined) {
      throw new HttpError(405, ERROR_CODE.methodNotAllowed, `use ${allowed.join(", ")}`, {
        headers: { Allow: allowed.join(", ") },
      });
    }
    return handler(request, env, ctx);
  };
}
