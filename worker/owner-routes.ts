/**
 * The routes of rooms with owners: creating and claiming a room, redeeming
 * a key, settings, moderation, members, the audit, keys and read tickets.
 * Each checks the request with the protocol's parsers and hands it to the
 * room, whose refusals are rendered as it gave them.
 */
import type { IRequest } from "itty-router";
import {
  parseAuditQuery,
  parseKeyBody,
  parseKeyIdSegment,
  parseModerationBody,
  parseRedeemBody,
  parseSettingsBody,
} from "../protocol/owner-http-params.ts";
import { readConfig } from "./config.ts";
import { clientAddressOf, readJsonBody, requireAllowedOrigin } from "./http.ts";
import type { OwnerAction } from "./owner-http.ts";
import type { Room } from "./room.ts";
import { answered, byMethod, credentialsOf, NO_STORE, orThrow, type RouteHandler, roomStub } from "./route-kit.ts";
import { randomBase32 } from "./users.ts";

/** 26 base32 characters: 130 random bits, beyond guessing. */
const PRIVATE_ROOM_LENGTH = 26;

/**
 * `POST /api/rooms`: `201 {"room","key"}`, a new private room with an
 * unguessable name, and its owner key, given this once.
 */
async function createRoom(request: IRequest, env: Env): Promise<Response> {
  requireAllowedOrigin(request, env);
  const claimed = await env.ROOM.getByName(randomBase32(PRIVATE_ROOM_LENGTH)).claim();
  return Response.json(answered(claimed), { status: 201, headers: NO_STORE });
}

/** `POST /api/rooms/:room/claim`: `201 {"room","key"}` for the first claim, `409 conflict` after. */
async function claimRoom(request: IRequest, env: Env): Promise<Response> {
  const claimed = await roomStub(request, env).claim();
  return Response.json(answered(claimed), { status: 201, headers: NO_STORE });
}

/** `POST /api/rooms/:room/redeem` (`Edgechat-Key`, optional Bearer, optional `{"name"}`): `200 {"user","role","token"}`. */
async function redeemKey(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  // The body is optional: a request without one (no Content-Type) redeems without a name.
  const body = request.headers.get("Content-Type") === null ? undefined : await readJsonBody(request, 1024);
  const { name } = orThrow(parseRedeemBody(body));
  const redeemed = await room.redeem(credentialsOf(request), name, clientAddressOf(request));
  return Response.json(answered(redeemed), { headers: NO_STORE });
}

/** `GET /api/rooms/:room/settings`: `{"settings","role"}`; `PATCH` with the fields of a `settings` frame: `{"settings"}`. */
async function getSettings(request: IRequest, env: Env): Promise<Response> {
  const answer = await roomStub(request, env).settings(credentialsOf(request));
  return Response.json(answered(answer), { headers: NO_STORE });
}

async function patchSettings(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const input = orThrow(parseSettingsBody(await readJsonBody(request, readConfig(env).limits.maxFrameBytes)));
  return ownerAction(request, room, { kind: "settings", input });
}

/** `POST /api/rooms/:room/moderation` with the fields of a `moderate` frame: `{"event"}`. */
async function postModeration(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const input = orThrow(parseModerationBody(await readJsonBody(request, readConfig(env).limits.maxFrameBytes)));
  return ownerAction(request, room, { kind: "moderate", input });
}

/** `GET /api/rooms/:room/members`: `{"members"}`. */
async function getMembers(request: IRequest, env: Env): Promise<Response> {
  const answer = await roomStub(request, env).members(credentialsOf(request));
  return Response.json(answered(answer), { headers: NO_STORE });
}

/** `GET /api/rooms/:room/audit?before=&limit=`: `{"events","hasMore"}`, newest first. */
function getAudit(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const page = orThrow(parseAuditQuery(new URL(request.url).searchParams));
  return ownerAction(request, room, { kind: "audit", ...page });
}

/** `GET /api/rooms/:room/keys`: `{"keys"}`; `POST` with the fields of a `mint` frame: `201 {"key","secret"}`. */
function getKeys(request: IRequest, env: Env): Promise<Response> {
  return ownerAction(request, roomStub(request, env), { kind: "keys" });
}

async function postKey(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const input = orThrow(parseKeyBody(await readJsonBody(request, readConfig(env).limits.maxFrameBytes)));
  return ownerAction(request, room, { kind: "mint", input }, 201);
}

/** `DELETE /api/rooms/:room/keys/:id`: `{"event"}`, the revocation. */
function deleteKey(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const key = orThrow(parseKeyIdSegment(String(request.params.id ?? "")));
  return ownerAction(request, room, { kind: "revoke", key });
}

/** `POST /api/rooms/:room/tickets`: `201 {"ticket","expiresAt"}`, to open a key-only room's event stream. */
async function postTicket(request: IRequest, env: Env): Promise<Response> {
  const answer = await roomStub(request, env).ticket(credentialsOf(request));
  return Response.json(answered(answer), { status: 201, headers: NO_STORE });
}

/** Hands an owner action to the room as the user of the request's Bearer token. */
async function ownerAction(
  request: IRequest,
  room: DurableObjectStub<Room>,
  action: OwnerAction,
  status = 200,
): Promise<Response> {
  const answer = await room.act(action, credentialsOf(request), clientAddressOf(request));
  return Response.json(answered(answer), { status, headers: NO_STORE });
}

/** The owner routes by path, for the router. */
export const OWNER_ROUTES: readonly [string, RouteHandler][] = [
  ["/api/rooms", byMethod({ POST: createRoom })],
  ["/api/rooms/:room/claim", byMethod({ POST: claimRoom })],
  ["/api/rooms/:room/redeem", byMethod({ POST: redeemKey })],
  ["/api/rooms/:room/settings", byMethod({ GET: getSettings, PATCH: patchSettings })],
  ["/api/rooms/:room/moderation", byMethod({ POST: postModeration })],
  ["/api/rooms/:room/members", byMethod({ GET: getMembers })],
  ["/api/rooms/:room/audit", byMethod({ GET: getAudit })],
  ["/api/rooms/:room/keys", byMethod({ GET: getKeys, POST: postKey })],
  ["/api/rooms/:room/keys/:id", byMethod({ DELETE: deleteKey })],
  ["/api/rooms/:room/tickets", byMethod({ POST: postTicket })],
];
