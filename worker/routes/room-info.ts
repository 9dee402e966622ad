import type { IRequest } from "itty-router";
import { roomStub } from "./room-stub.ts";

/** `GET /api/rooms/:room`: `{"room","online","lastSeq","listeners"}`. */
export async function getRoomInfo(request: IRequest, env: Env): Promise<Response> {
  return Response.json(await roomStub(request, env).info(), { headers: { "Cache-Control": "no-store" } });
}
