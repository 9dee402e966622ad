/**
 * The Worker's routes. It is stateless and thin: it checks the request line
 * and body (method, room name, Origin, query, JSON) with the protocol's
 * parsers and forwards to the room's Durable Object; it never holds a
 * socket. Static files are served before it runs.
 */
import { type IRequest, Router } from "itty-router";
import { CLIENT_FRAME, ERROR_CODE } from "../protocol/frames.ts";
import {
  type ChangeInput,
  eitherToken,
  parseConnectRequest,
  parseEditInput,
  parseEmojiSegment,
  parseEventsSince,
  parseMessageSeq,
  parsePageRequest,
  parsePostInput,
  parseSearchRequest,
} from "../protocol/http-params.ts";
import { parseReasonParam, parseTicketParam } from "../protocol/owner-http-params.ts";
import { readConfig } from "./config.ts";
import { clientAddressOf, HttpError, readJsonBody, renderError, withCors, withSecurityHeaders } from "./http.ts";
import { iceServersFor } from "./ice.ts";
import { RELAY_HEADER } from "./lifecycle.ts";
import { OWNER_ROUTES } from "./owner-routes.ts";
import { connectThroughRelay, isKnownRelayed, rememberRelayed } from "./relay-routing.ts";
import { ROOM_ORIGIN, ROOM_PATHS, type Room } from "./room.ts";
import {
  answered,
  byMethod,
  credentialsOf,
  NO_STORE,
  orThrow,
  type RouteHandler,
  roomParam,
  roomStub,
} from "./route-kit.ts";

/** `GET /healthz`: the Worker is up. It touches no room. */
function health(): Response {
  return Response.json({ ok: true });
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

/** `GET /api/rooms/:room/ice`: `{"iceServers","expiresAt"?}` for someone who may join the room's call. */
async function iceServers(request: IRequest, env: Env): Promise<Response> {
  answered(await roomStub(request, env).callAccess(credentialsOf(request)));
  return Response.json(await iceServersFor(env), { headers: NO_STORE });
}

/**
 * `GET /api/rooms/:room/ws`: checks the request line, then hands the
 * upgrade to the room, or, when the room says it holds enough connections
 * of its own, to one of its relays.
 */
async function connectWebSocket(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(ERROR_CODE.upgradeRequired, "this endpoint speaks WebSocket only", {
      headers: { Upgrade: "websocket" },
    });
  }
  const url = new URL(request.url);
  orThrow(parseConnectRequest(url.searchParams, request.headers.get("Sec-WebSocket-Protocol")));
  const name = roomParam(request);
  if (isKnownRelayed(name, Date.now())) return connectThroughRelay(request, env, name, url.search);
  const answer = await room.fetch(new Request(`${ROOM_ORIGIN}${ROOM_PATHS.connect}${url.search}`, request));
  if (answer.status !== 307 || answer.headers.get(RELAY_HEADER) === null) return answer;
  rememberRelayed(name, Date.now());
  return connectThroughRelay(request, env, name, url.search);
}

/** `GET /r/:room`: the web client's room page, for any valid room name. */
function serveRoomPage(request: IRequest, env: Env): Promise<Response> {
  roomParam(request);
  // Static Assets serves room.html at /room (it drops the extension).
  return env.ASSETS.fetch(new URL("/room", request.url));
}

export const router = Router<IRequest, [Env, ExecutionContext]>({
  catch: renderError,
  finally: [withCors, withSecurityHeaders],
});

for (const [path, handler] of OWNER_ROUTES) router.all(path, handler);

router
  .all("/healthz", byMethod({ GET: health }))
  .all("/api/rooms/:room", byMethod({ GET: getRoomInfo }))
  .all("/api/rooms/:room/messages", byMethod({ GET: listMessages, POST: postMessage }))
  .all("/api/rooms/:room/messages/:seq", byMethod({ PATCH: editMessage, DELETE: deleteMessage }))
  .all(
    "/api/rooms/:room/messages/:seq/reactions/:emoji",
    byMethod({ PUT: reactionRoute(true), DELETE: reactionRoute(false) }),
  )
  .all("/api/rooms/:room/search", byMethod({ GET: searchMessages }))
  .all("/api/rooms/:room/events", byMethod({ GET: roomEvents }))
  .all("/api/rooms/:room/ice", byMethod({ GET: iceServers }))
  .all("/api/rooms/:room/ws", byMethod({ GET: connectWebSocket }))
  .all("/r/:room", byMethod({ GET: serveRoomPage }))
  .all("/r/*", () => {
    throw new HttpError(ERROR_CODE.invalidRoom, "a room name is one path segment");
  })
  .all("*", () => {
    throw new HttpError(ERROR_CODE.notFound, "no such endpoint");
  });
