import type { IRequest } from "itty-router";
import { HttpError } from "../http-error.ts";
import { readCount } from "../page-query.ts";
import { ERROR_CODE } from "../protocol.ts";
import { ROOM_ORIGIN, ROOM_PATHS } from "../room-paths.ts";
import { roomStub } from "./room-stub.ts";

const DIGITS = /^\d{1,16}$/;

/**
 * `GET /api/rooms/:room/events`: the room as Server-Sent Events. It resumes
 * after the `Last-Event-ID` header, which EventSource sends by itself on a
 * reconnect, or after `?since=` for a first connection that already saw part
 * of the history (EventSource cannot set headers).
 */
export function roomEvents(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const header = request.headers.get("Last-Event-ID")?.trim();
  const query = readCount(new URL(request.url).searchParams, "since");
  if (query === "invalid") throw new HttpError(400, ERROR_CODE.badRequest, "`since` must be a non-negative integer");
  if (header !== undefined && header !== "" && (!DIGITS.test(header) || !Number.isSafeInteger(Number(header)))) {
    throw new HttpError(400, ERROR_CODE.badRequest, "Last-Event-ID must be a message seq");
  }
  const since = header !== undefined && header !== "" ? Number(header) : query;
  const search = since === undefined ? "" : `?since=${since}`;
  return room.fetch(`${ROOM_ORIGIN}${ROOM_PATHS.events}${search}`);
}
