/**
 * The Worker's routes. It is stateless and thin: it checks the request line
 * (method, room name, Origin, query) and forwards to the room's Durable
 * Object; it never holds a socket. Static files are served before it runs.
 */
import { type IRequest, Router } from "itty-router";
import { HttpError, renderError } from "./http-error.ts";
import { ERROR_CODE } from "./protocol.ts";
import { connectWebSocket } from "./routes/connect-web-socket.ts";
import { health } from "./routes/health.ts";
import { serveRoomPage } from "./routes/room-page.ts";
import { withSecurityHeaders } from "./security-headers.ts";

export const router = Router<IRequest, [Env, ExecutionContext]>({
  catch: renderError,
  finally: [withSecurityHeaders],
});

router
  .all("/healthz", health)
  .all("/api/rooms/:room/ws", connectWebSocket)
  .all("/r/:room", serveRoomPage)
  .all("/r/*", () => {
    throw new HttpError(400, ERROR_CODE.invalidRoom, "a room name is one path segment");
  })
  .all("*", () => {
    throw new HttpError(404, ERROR_CODE.notFound, "no such endpoint");
  });
