/**
 * What both reference rooms share: accepting a socket with the Hibernation
 * API and sending a frame to every socket. Nothing else runs on these paths,
 * so their cost is the floor any room on this runtime pays.
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
