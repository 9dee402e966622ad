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
 * `POST /api/rooms`: `201 {"room"}`, the name of a new private room. The room
 * exists once someone opens it; its unguessable name is the only key to it.
 */
function createRoom(request: IRequest, env: Env): Response {
  requireAllowedOrigin(request, env);
  return Response.json({ room: randomBase32(PRIVATE_ROOM_LENGTH) }, { status: 201, headers: NO_STORE });
}

/** `GET /api/rooms/:room`: `{"room","online","lastSeq","listeners"}`. */
async function getRoomInfo(request: IRequest, env: Env): Promise<Response> {
  return Response.json(await roomStub(request, env).info(), { headers: NO_STORE });
}

/** `GET /api/rooms/:room/messages?before=&after=&limit=`: `{"messages","hasMore"}`, oldest first. */
async function listMessages(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const page = orThrow(parsePageRequest(new URL(request.url).searchParams));
  return Response.json(await room.messages(page), { headers: NO_STORE });
}

/** `GET /api/rooms/:room/search?q=&before=&limit=`: `{"hits","hasMore"}`, newest hit first. */
async function searchMessages(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  const search = orThrow(parseSearchRequest(new URL(request.url).searchParams));
  return Response.json(await room.search(search), { headers: NO_STORE });
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
  const bearer = orThrow(parseBearerToken(request.headers.get("Authorization")));
  const claimed = orThrow(eitherToken(bearer, input.token));
  const result = await room.post(
    { ...input, ...(claimed === undefined ? {} : { token: claimed }) },
    clientAddressOf(request),
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

/** `DELETE /api/rooms/:room/messages/:seq`: `200 {"message"}`, the deleted stub. */
function deleteMessage(request: IRequest, env: Env): Promise<Response> {
  const room = roomStub(request, env);
  return changeMessage(request, room, { type: CLIENT_FRAME.delete, target: messageSeqParam(request) });
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
  const token = orThrow(parseBearerToken(request.headers.get("Authorization")));
  const result = await room.change(input, token, clientAddressOf(request));
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
  const since = orThrow(parseEventsSince(request.headers.get("Last-Event-ID"), new URL(request.url).searchParams));
  return room.fetch(`${ROOM_ORIGIN}${ROOM_PATHS.events}${since === undefined ? "" : `?since=${since}`}`);
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
  .all("/api/rooms/:room/events", byMethod({ GET: roomEvents }))
  .all("/api/rooms/:room/ws", byMethod({ GET: connectWebSocket }))
  .all("/r/:room", byMethod({ GET: serveRoomPage }))
  .all("/r/*", () => {
    throw new HttpError(ERROR_CODE.invalidRoom, "a room name is one path segment");
  })
  .all("*", () => {
    throw new HttpError(ERROR_CODE.notFound, "no such endpoint");
  });
