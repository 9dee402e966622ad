import type { IRequest } from "itty-router";
import { HttpError } from "../http-error.ts";
import { parsePageRequest } from "../page-query.ts";
import { roomStub } from "./room-stub.ts";

/** `GET /api/rooms/:room/messages?before=&after=&limit=`: `{"messages","hasMore"}`, oldest first. */
export async function listMessages(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const parsed = parsePageRequest(new URL(request.url).searchParams);
  if (!parsed.ok) throw new HttpError(400, parsed.code, parsed.message);
  return Response.json(await room.messages(parsed.page), { headers: { "Cache-Control": "no-store" } });
}
