import { DurableObject } from "cloudflare:workers";
import { acceptHibernating, completeClose, sendToAll } from "./hibernating-sockets.mts";

/** The `bare` reference: every frame a socket sends goes to every socket; nothing else but answering a close. */
export class BareRoom extends DurableObject {
  override fetch(): Response {
    return acceptHibernating(this.ctx);
  }

  override webSocketMessage(_ws: WebSocket, data: string | ArrayBuffer): void {
    sendToAll(this.ctx, data);
  }

  override webSocketClose(ws: WebSocket): void {
    completeClose(ws);
  }
}
