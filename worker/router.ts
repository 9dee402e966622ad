/**
 * The Worker's routes. It is stateless and thin: it checks the request line
 * and body (method, room name, Origin, query, JSON) and forwards to the
 * room's Durable Object; it never holds a socket. Static files are served
 * before it runs.
 */
import { type IRequest, Router } from "itty-router";
import { HttpError, renderError } from "./http-error.ts";
import { ERROR_CODE } from "./protocol.ts";
import { byMethod } from "./routes/by-method.ts";
import { connectWebSocket } from "./routes/connect-web-socket.ts";
import { withCors } from "./routes/cors.ts";
import { createRoom } from "./routes/create-room.ts";
import { health } from "./routes/health.ts";
import { listMessages } from "./routes/list-messages.ts";
import { postMessage } from "./routes/post-message.ts";
import { roomEvents } from "./routes/room-events.ts";
import { getRoomInfo } from "./routes/room-info.ts";
import { serveRoomPage } from "./routes/room-page.ts";
import { withSecurityHeaders } from "./security-headers.ts";

export const router = Router<IRequest, [Env, ExecutionContext]>({
  catch: renderError,
  finally: [withCors, withSecurityHeaders],
});

router
  .all("/healthz", byMethod({ GET: health }))
  .all("/api/rooms", byMethod({ POST: createRoom }))
  .all("/api/rooms/:room", byMethod({ GET: getRoomInfo }))
  .all("/api/rooms/:room/messages", byMethod({ GET: listMessages, POST: postMessage }))
  .all("/api/rooms/:room/events", byMethod({ GET: roomEvents }))
  .all("/api/rooms/:room/ws", byMethod({ GET: connectWebSocket }))
  .all("/r/:room", byMethod({ GET: serveRoomPage }))
  .all("/r/*", () => {
    throw new HttpError(400, ERROR_CODE.invalidRoom, "a room name is one path segment");
  })
  .all("*", () => {
    throw new HttpError(404, ERROR_CODE.notFound, "no such endpoint");
  });
