import type { IRequest } from "itty-router";
import { randomBase32 } from "../identity.ts";
import { requireAllowedOrigin } from "./cors.ts";

/** 26 base32 characters: 130 random bits, beyond guessing. */
const PRIVATE_ROOM_LENGTH = 26;

/**
 * `POST /api/rooms`: `201 {"room"}`, the name of a new private room. The room
 * exists once someone opens it; its unguessable name is the only key to it.
 */
export function createRoom(request: IRequest, env: Env): Response {
  requireAllowedOrigin(request, env);
  return Response.json(
    { room: randomBase32(PRIVATE_ROOM_LENGTH) },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
}
