import type { IRequest } from "itty-router";
import { clientAddressOf } from "../client-address.ts";
import { readConfig } from "../config.ts";
import { HttpError } from "../http-error.ts";
import { readJsonBody } from "../json-body.ts";
import { parsePostInput } from "../post-input.ts";
import { ERROR_CODE } from "../protocol.ts";
import { roomStub } from "./room-stub.ts";

const ERROR_STATUS = { bad_request: 400, too_large: 413, invalid_name: 400 } as const;

/**
 * `POST /api/rooms/:room/messages`: `201 {"message","token"}`, or `200` with
 * the original message for a repeat of a stored (user, id). The body is read
 * and checked here, so a malformed one never reaches the room.
 */
export async function postMessage(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const body = await readJsonBody(request, readConfig(env).limits.maxFrameBytes);
  const parsed = parsePostInput(body);
  if (!parsed.ok) throw new HttpError(ERROR_STATUS[parsed.code], parsed.code, parsed.message);
  const result = await room.post(parsed.input, clientAddressOf(request));
  if (!result.ok) {
    throw new HttpError(429, ERROR_CODE.rateLimited, "too many messages; wait before sending again", {
      retryAfter: result.retryAfter,
    });
  }
  const { created, message, token } = result;
  return Response.json({ message, token }, { status: created ? 201 : 200, headers: { "Cache-Control": "no-store" } });
}
