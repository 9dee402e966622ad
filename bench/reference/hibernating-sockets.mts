/**
 * What both reference rooms share: accepting a socket with the Hibernation
 * API, sending a frame to every socket, and answering a client's close.
 * Nothing else runs on these paths, so their cost is the floor any room on
 * this runtime pays.
 */

/** Accepts the upgrade with the Hibernation API; the runtime then owns the socket. */
export function acceptHibernating(ctx: DurableObjectState): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  ctx.acceptWebSocket(server);
  return new Response(null, { status: 101, webSocket: client });
}

/** Sends `data` to every socket of the object, the sender's included, as the app's broadcast does. */
export function sendToAll(ctx: DurableObjectState, data: string | ArrayBuffer): void {
  for (const ws of ctx.getWebSockets()) {
    try {
      ws.send(data);
    } catch {
      // A closing socket; the runtime drops it from getWebSockets() once closed.
    }
  }
}

/**
 * Sends the reciprocal close frame, which the runtime leaves to a hibernating
 * object. Without it a closed client waits out its own timeout, and the
 * sockets of one measured window linger into the next target's.
 */
export function completeClose(ws: WebSocket): void {
  try {
    ws.close(1000, "");
  } catch {
    // Already closed.
  }
}
