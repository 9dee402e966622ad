import { DurableObject } from "cloudflare:workers";
import { acceptHibernating, completeClose, sendToAll } from "./hibernating-sockets.mts";

/**
 * The `bare+sqlite` reference: `bare` plus one SQLite insert per frame. The
 * output gate holds the fan-out until the insert is durable, as it holds the
 * app's ack and broadcast, so this is the floor of a room that stores what it
 * sends.
 */
export class BareSqliteRoom extends DurableObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // The reference's only migration, idempotent so it can run on every start.
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS frames (seq INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT");
  }

  override fetch(): Response {
    return acceptHibernating(this.ctx);
  }

  override webSocketMessage(_ws: WebSocket, data: string | ArrayBuffer): void {
    const body = typeof data === "string" ? data : new TextDecoder().decode(data);
    this.ctx.storage.sql.exec("INSERT INTO frames (body) VALUES (?)", body);
    sendToAll(this.ctx, data);
  }

  override webSocketClose(ws: WebSocket): void {
    completeClose(ws);
  }
}
