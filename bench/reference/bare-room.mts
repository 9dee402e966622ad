import { DurableObject } from "cloudflare:workers";
import { acceptHibernating, sendToAll } from "./hibernating-sockets.mts";

/** The `bare` reference: every frame a socket sends goes to every socket, nothing else. */
export class BareRoom extends DurableObject {
  override fetch(): Response {
    return acceptHibernating(this.ctx);
  }

  override webSocketMessage(_ws: WebSocket, data: string | ArrayBuffer): void {
    sendToAll(this.ctx, data);
  }
}
