/**
 * What every route of the Worker shares: the room a request addresses (once
 * its name and Origin pass), its credentials from headers only, turning a
 * parse or a room's refusal into the HTTP error the contract gives its
 * code, and dispatch by method.
 */
import type { IRequest } from "itty-router";
import { ERROR_CODE, FRAME_LIMITS, type Refusal } from "../protocol/frames.ts";
import { parseBearerToken } from "../protocol/http-params.ts";
import { type Credentials, parseKeyHeader } from "../protocol/owner-http-params.ts";
import { normalizeRoomName } from "../protocol/parse-client.ts";
import { HttpError, preflight, requireAllowedOrigin } from "./http.ts";
import type { Room } from "./room.ts";

export type RouteHandler = (request: IRequest, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

export const NO_STORE = { "Cache-Control": "no-store" } as const;
const ROOM_NAME_RULE = `a room name is 1 to ${FRAME_LIMITS.maxRoomNameLength} letters, digits, \`-\` or \`_\``;

/** The normalised room name of a `/:room` route; 400 `invalid_room` before any Durable Object is touched. */
export function roomParam(request: IRequest): string {
  const raw = request.params.room;
  const room = typeof raw === "string" ? normalizeRoomName(raw) : null;
  if (room === null) throw new HttpError(ERROR_CODE.invalidRoom, ROOM_NAME_RULE);
  return room;
}

/** The Room a `/api/rooms/:room/...` request addresses, once its name and Origin pass. */
export function roomStub(request: IRequest, env: Env): DurableObjectStub<Room> {
  const room = roomParam(request);
  requireAllowedOrigin(request, env);
  return env.ROOM.getByName(room);
}

/** The value of a parse, or its refusal thrown as the HTTP error the contract gives its code. */
export function orThrow<T>(parsed: { ok: true; value: T } | ({ ok: false } & Refusal)): T {
  if (!parsed.ok) throw HttpError.from(parsed);
  return parsed.value;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One route's handlers by HTTP method. HEAD is answered like GET, OPTIONS is
 * the CORS preflight, and any other method gets 405 with `Allow`.
 */
export function byMethod(handlers: Partial<Record<Method, RouteHandler>>): RouteHandler {
  const given = Object.keys(handlers);
  const allowed = [...given.flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method])), "OPTIONS"];
  return (request, env, ctx) => {
    const method = request.method === "HEAD" ? "GET" : request.method;
    if (method === "OPTIONS") return preflight(request, env, allowed);
    const handler = Object.hasOwn(handlers, method) ? handlers[method as Method] : undefined;
    if (handler === undefined) {
      throw new HttpError(ERROR_CODE.methodNotAllowed, `use ${allowed.join(", ")}`, {
        headers: { Allow: allowed.join(", ") },
      });
    }
    return handler(request, env, ctx);
  };
}

/** The token and key of a request, from its headers only. */
export function credentialsOf(request: IRequest): Credentials {
  const token = orThrow(parseBearerToken(request.headers.get("Authorization")));
  const key = orThrow(parseKeyHeader(request.headers.get("Edgechat-Key")));
  return { ...(token === undefined ? {} : { token }), ...(key === undefined ? {} : { key }) };
}

/** The value of a room's answer, or its refusal thrown as the HTTP error the contract gives its code. */
export function answered<T>(answer: { ok: true; value: T } | { ok: false; refusal: Refusal }): T {
  if (!answer.ok) throw HttpError.from(answer.refusal);
  return answer.value;
}
