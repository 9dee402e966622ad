import type { IRequest } from "itty-router";
import { roomParam } from "./room-stub.ts";

/** `GET /r/:room`: the web client's room page, for any valid room name. */
export function serveRoomPage(request: IRequest, env: Env): Promise<Response> {
  roomParam(request);
  // Static Assets serves room.html at /room (it drops the extension).
  return env.ASSETS.fetch(new URL("/room", request.url));
}
