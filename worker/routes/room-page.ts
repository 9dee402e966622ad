import type { IRequest } from "itty-router";
import { allowMethods } from "./allow.ts";
import { roomParam } from "./room-param.ts";

/** `GET /r/:room`: the web client's room page, for any valid room name. */
export function serveRoomPage(request: IRequest, env: Env): Promise<Response> {
  allowMethods(request, "GET", "HEAD");
  roomParam(request);
  // Static Assets serves room.html at /room (it drops the extension).
  return env.ASSETS.fetch(new URL("/room", request.url));
}
