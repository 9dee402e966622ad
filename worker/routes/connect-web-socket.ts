import type { IRequest } from "itty-router";
import { readConfig } from "../config.ts";
import { parseConnectParams } from "../connect-params.ts";
import { HttpError } from "../http-error.ts";
import { isAllowedOrigin } from "../origin.ts";
import { ERROR_CODE } from "../protocol.ts";
import { ROOM_PATHS } from "../room-paths.ts";
import { allowMethods } from "./allow.ts";
import { roomParam } from "./room-param.ts";

/** `GET /api/rooms/:room/ws`: checks the request line, then hands the upgrade to the room. */
export function connectWebSocket(request: IRequest, env: Env): Promise<Response> {
  allowMethods(request, "GET");
  const room = roomParam(request);
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(426, ERROR_CODE.upgradeRequired, "this endpoint speaks WebSocket only", {
      headers: { Upgrade: "websocket" },
    });
  }
  if (!isAllowedOrigin(request, readConfig(env).allowedOrigins)) {
    throw new HttpError(403, ERROR_CODE.forbiddenOrigin, "this origin may not open sockets to this app");
  }
  const url = new URL(request.url);
  const parsed = parseConnectParams(url.searchParams);
  if (!parsed.ok) throw new HttpError(400, parsed.code, parsed.message);
  return env.ROOM.getByName(room).fetch(new Request(`${ROOM_PATHS.connect}${url.search}`, request));
}
