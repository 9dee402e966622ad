import type { IRequest } from "itty-router";
import { HttpError } from "../http-error.ts";
import { ERROR_CODE } from "../protocol.ts";
import type { Room } from "../room.ts";
import { normalizeRoomName } from "../text-rules.ts";
import { requireAllowedOrigin } from "./cors.ts";

/** The normalised room name of a `/:room` route; 400 `invalid_room` before any Durable Object is touched. */
export function roomParam(request: IRequest): string {
  const raw = request.params.room;
  const room = typeof raw === "string" ? normalizeRoomName(raw) : null;
  if (room === null) {
    throw new HttpError(400, ERROR_CODE.invalidRoom, "a room name is 1 to 64 letters, digits, `-` or `_`");
  }
  return room;
}

/** The Room a `/api/rooms/:room/...` request addresses, once its name and Origin pass. */
export function roomStub(request: IRequest, env: Env): DurableObjectStub<Room> {
  const room = roomParam(request);
  requireAllowedOrigin(request, env);
  return env.ROOM.getByName(room);
}
