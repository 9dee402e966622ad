import type { IRequest } from "itty-router";
import { parseConnectParams } from "../connect-params.ts";
import { HttpError } from "../http-error.ts";
import { ERROR_CODE } from "../protocol.ts";
import { ROOM_ORIGIN, ROOM_PATHS } from "../room-paths.ts";
import { roomStub } from "./room-stub.ts";

/** `GET /api/rooms/:room/ws`: checks the request line, then hands the upgrade to the room. */
export function connectWebSocket(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(426, ERROR_CODE.upgradeRequired, "this endpoint speaks WebSocket only", {
      headers: { Upgrade: "websocket" },
    });
  }
  const url = new URL(request.url);
  const parsed = parseConnectParams(url.searchParams);
  if (!parsed.ok) throw new HttpError(400, parsed.code, parsed.message);
  return room.fetch(new Request(`${ROOM_ORIGIN}${ROOM_PATHS.connect}${url.search}`, request));
}
