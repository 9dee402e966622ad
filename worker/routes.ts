/**
 * The Worker's routes. It is stateless and thin: it checks the request line
 * and body (method, room name, Origin, query, JSON) with the protocol's
 * parsers and forwards to the room's Durable Object; it never holds a
 * socket. Static files are served before it runs.
 */
import { type IRequest, Router } from "itty-router";
import { CLIENT_FRAME, ERROR_CODE, FRAME_LIMITS, type Refusal } from "../protocol/frames.ts";
import {
  type ChangeInput,
  eitherToken,
  parseBearerToken,
  parseConnectRequest,
  parseEditInput,
  parseEmojiSegment,
  parseEventsSince,
  parseMessageSeq,
  parsePageRequest,
  parsePostInput,
  parseSearchRequest,
} from "../protocol/http-params.ts";
import {
  type Credentials,
  parseAuditQuery,
  parseKeyBody,
  parseKeyHeader,
  parseKeyIdSegment,
  parseModerationBody,
  parseReasonParam,
  parseRedeemBody,
  parseSettingsBody,
  parseTicketParam,
} from "../protocol/owner-http-params.ts";
import { normalizeRoomName } from "../protocol/parse-client.ts";
import { readConfig } from "./config.ts";
import {
  clientAddressOf,
  HttpError,
  preflight,
  readJsonBody,
  renderError,
  requireAllowedOrigin,
  withCors,
  withSecurityHeaders,
} from "./http.ts";
import type { OwnerAction } from "./owner-http.ts";
import { ROOM_ORIGIN, ROOM_PATHS, type Room } from "./room.ts";
import { randomBase32 } from "./users.ts";

type RouteHandler = (request: IRequest, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

/** 26 base32 characters: 130 random bits, beyond guessing. */
const PRIVATE_ROOM_LENGTH = 26;
const NO_STORE = { "Cache-Control": "no-store" } as const;
const ROOM_NAME_RULE = `a room name is 1 to ${FRAME_LIMITS.maxRoomNameLength} letters, digits, \`-\` or \`_\``;

/** `GET /healthz`: the Worker is up. It touches no room. */
function health(): Response {
  return Response.json({ ok: true });
}

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

/** The token and key of a request, from its headers only. */
function credentialsOf(request: IRequest): Credentials {
  const token = orThrow(parseBearerToken(request.headers.get("Authorization")));
  const key = orThrow(parseKeyHeader(request.headers.get("Edgechat-Key")));
  return { ...(token === undefined ? {} : { token }), ...(key === undefined ? {} : { key }) };
}

/** The value of a room's answer, or its refusal thrown as the HTTP error the contract gives its code. */
function answered<T>(answer: { ok: true; value: T } | { ok: false; refusal: Refusal }): T {
  if (!answer.ok) throw HttpError.from(answer.refusal);
  return answer.value;
}

/** `GET /api/rooms/:room`: `{"room","online","lastSeq","listeners"}`. */
async function getRoomInfo(request: IRequest, env: Env): Promise<Response> {
  return Response.json(await roomStub(request, env).info(), { headers: NO_STORE });
}

/** `GET /api/rooms/:room/messages?before=&after=&limit=`: `{"messages","hasMore"}`, oldest first. */
async function listMessages(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const page = orThrow(parsePageRequest(new URL(request.url).searchParams));
  return Response.json(answered(await room.messages(page, credentialsOf(request))), { headers: NO_STORE });
}

/** `GET /api/rooms/:room/search?q=&before=&limit=`: `{"hits","hasMore"}`, newest hit first. */
async function searchMessages(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const search = orThrow(parseSearchRequest(new URL(request.url).searchParams));
  return Response.json(answered(await room.search(search, credentialsOf(request))), { headers: NO_STORE });
}

/**
 * `POST /api/rooms/:room/messages`: `201 {"message","token"}`, or `200` with
 * the original message for a repeat of a stored (user, id). The body is read
 * and checked here, so a malformed one never reaches the room; a refusal by
 * the room is rendered exactly as the room gave it.
 */
async function postMessage(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const body = await readJsonBody(request, readConfig(env).limits.maxFrameBytes);
  const input = orThrow(parsePostInput(body));
  const { token: bearer, key } = credentialsOf(request);
  const claimed = orThrow(eitherToken(bearer, input.token));
  const result = await room.post(
    { ...input, ...(claimed === undefined ? {} : { token: claimed }) },
    clientAddressOf(request),
    key,
  );
  if (!result.ok) throw HttpError.from(result.refusal);
  const { created, message, token } = result;
  return Response.json({ message, token }, { status: created ? 201 : 200, headers: NO_STORE });
}

/** `PATCH /api/rooms/:room/messages/:seq` `{"text","id"?,"mentions"?}`: `200 {"message"}`, edited by the token's user. */
async function editMessage(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const target = messageSeqParam(request);
  const body = await readJsonBody(request, readConfig(env).limits.maxFrameBytes);
  return changeMessage(request, room, orThrow(parseEditInput(body, target)));
}

/** `DELETE /api/rooms/:room/messages/:seq?reason=`: `200 {"message"}`, the deleted stub; `reason` is a moderator's. */
function deleteMessage(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const reason = orThrow(parseReasonParam(new URL(request.url).searchParams));
  return changeMessage(request, room, { type: CLIENT_FRAME.delete, target: messageSeqParam(request), ...reason });
}

/** `PUT` (add) and `DELETE` (remove) `/api/rooms/:room/messages/:seq/reactions/:emoji`: `200 {"message"}`. */
function reactionRoute(on: boolean): RouteHandler {
  return (request, env) => {
    const room = roomStub(request, env);
    const target = messageSeqParam(request);
    const emoji = orThrow(parseEmojiSegment(String(request.params.emoji ?? "")));
    return changeMessage(request, room, { type: CLIENT_FRAME.react, target, emoji, on });
  };
}

/** Hands a change to the room as the user of the request's Bearer token; a refusal is rendered as the room gave it. */
async function changeMessage(request: IRequest, room: DurableObjectStub<Room>, input: ChangeInput): Promise<Response> {
  const result = await room.change(input, credentialsOf(request), clientAddressOf(request));
  if (!result.ok) throw HttpError.from(result.refusal);
  return Response.json({ message: result.message }, { headers: NO_STORE });
}

/** The `:seq` of a message route. */
function messageSeqParam(request: IRequest): number {
  return orThrow(parseMessageSeq(String(request.params.seq ?? "")));
}

/** `GET /api/rooms/:room/events`: the room as Server-Sent Events, resumed after `Last-Event-ID` or `?since=`. */
function roomEvents(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const params = new URL(request.url).searchParams;
  const since = orThrow(parseEventsSince(request.headers.get("Last-Event-ID"), params));
  const ticket = orThrow(parseTicketParam(params));
  const query = new URLSearchParams();
  if (since !== undefined) query.set("since", String(since));
  if (ticket !== undefined) query.set("ticket", ticket);
  const search = query.size === 0 ? "" : `?${query}`;
  return room.fetch(`${ROOM_ORIGIN}${ROOM_PATHS.events}${search}`);
}

/** `GET /api/rooms/:room/ws`: checks the request line, then hands the upgrade to the room. */
function connectWebSocket(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(ERROR_CODE.upgradeRequired, "this endpoint speaks WebSocket only", {
      headers: { Upgrade: "websocket" },
    });
  }
  const url = new URL(request.url);
  orThrow(parseConnectRequest(url.searchParams, request.headers.get("Sec-WebSocket-Protocol")));
  return room.fetch(new Request(`${ROOM_ORIGIN}${ROOM_PATHS.connect}${url.search}`, request));
}

/** `GET /r/:room`: the web client's room page, for any valid room name. */
function serveRoomPage(request: IRequest, env: Env): Promise<Response> {
  roomParam(request);
  // Static Assets serves room.html at /room (it drops the extension).
  return env.ASSETS.fetch(new URL("/room", request.url));
}

/** The normalised room name of a `/:room` route; 400 `invalid_room` before any Durable Object is touched. */
function roomParam(request: IRequest): string {
  const raw = request.params.room;
  const room = typeof raw === "string" ? normalizeRoomName(raw) : null;
  if (room === null) throw new HttpError(ERROR_CODE.invalidRoom, ROOM_NAME_RULE);
  return room;
}

/** The Room a `/api/rooms/:room/...` request addresses, once its name and Origin pass. */
function roomStub(request: IRequest, env: Env): DurableObjectStub<Room> {
  const room = roomParam(request);
  requireAllowedOrigin(request, env);
  return env.ROOM.getByName(room);
}

/** The value of a parse, or its refusal thrown as the HTTP error the contract gives its code. */
function orThrow<T>(parsed: { ok: true; value: T } | ({ ok: false } & Refusal)): T {
  if (!parsed.ok) throw HttpError.from(parsed);
  return parsed.value;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One route's handlers by HTTP method. HEAD is answered like GET, OPTIONS is
 * the CORS preflight, and any other method gets 405 with `Allow`.
 */
function byMethod(handlers: Partial<Record<Method, RouteHandler>>): RouteHandler {
  const given = Object.keys(handlers);
  const allowed = [...given.flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method])), "OPTIONS"];
  return (request, env, ctx) => {
    const method = request.method === "HEAD" ? "GET" : request.method;
    if (method === "OPTIONS") return preflight(request, env, allowed);
    const handler = Object.hasOwn(handlers, method) ? handlers[method as Method] : undefined;
    if (handler === undefined) {
      throw new HttpError(ERROR_CODE.methodNotAllowed, `use ${allowed.join(", ")}`, {
        headers: { Allow: allowed.join(", ") },
      });
    }
    return handler(request, env, ctx);
  };
}

export const router = Router<IRequest, [Env, ExecutionContext]>({
  catch: renderError,
  finally: [withCors, withSecurityHeaders],
});

router
  .all("/healthz", byMethod({ GET: health }))
  .all("/api/rooms", byMethod({ POST: createRoom }))
  .all("/api/rooms/:room", byMethod({ GET: getRoomInfo }))
  .all("/api/rooms/:room/messages", byMethod({ GET: listMessages, POST: postMessage }))
  .all("/api/rooms/:room/messages/:seq", byMethod({ PATCH: editMessage, DELETE: deleteMessage }))
  .all(
    "/api/rooms/:room/messages/:seq/reactions/:emoji",
    byMethod({ PUT: reactionRoute(true), DELETE: reactionRoute(false) }),
  )
  .all("/api/rooms/:room/search", byMethod({ GET: searchMessages }))
  .all("/api/rooms/:room/claim", byMethod({ POST: claimRoom }))
  .all("/api/rooms/:room/redeem", byMethod({ POST: redeemKey }))
  .all("/api/rooms/:room/settings", byMethod({ GET: getSettings, PATCH: patchSettings }))
  .all("/api/rooms/:room/moderation", byMethod({ POST: postModeration }))
  .all("/api/rooms/:room/members", byMethod({ GET: getMembers }))
  .all("/api/rooms/:room/audit", byMethod({ GET: getAudit }))
  .all("/api/rooms/:room/keys", byMethod({ GET: getKeys, POST: postKey }))
  .all("/api/rooms/:room/keys/:id", byMethod({ DELETE: deleteKey }))
  .all("/api/rooms/:room/tickets", byMethod({ POST: postTicket }))
  .all("/api/rooms/:room/events", byMethod({ GET: roomEvents }))
  .all("/api/rooms/:room/ws", byMethod({ GET: connectWebSocket }))
  .all("/r/:room", byMethod({ GET: serveRoomPage }))
  .all("/r/*", () => {
    throw new HttpError(ERROR_CODE.invalidRoom, "a room name is one path segment");
  })
  .all("*", () => {
    throw new HttpError(ERROR_CODE.notFound, "no such endpoint");
  });
