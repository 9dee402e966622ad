/**
 * The Relay Durable Object: one per room, region and shard of a room above
 * RELAY_THRESHOLD. It holds listeners' sockets with the Hibernation API and
 * delegates everything to worker/relay-hub.ts, inside the catch that keeps
 * a failure to the request or socket it happened on.
 */
import { DurableObject } from "cloudflare:workers";
import { HEARTBEAT } from "../protocol/frames.ts";
import { readConfig } from "./config.ts";
import { logUnexpected, renderError } from "./http.ts";
import { completeClose } from "./lifecycle.ts";
import { RelayHub } from "./relay-hub.ts";
import type { RelayedFrame } from "./relays.ts";

export class Relay extends DurableObject<Env> {
  readonly #hub: RelayHub;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime while the relay hibernates, as the Room's are.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT.ping, HEARTBEAT.pong));
    this.#hub = new RelayHub(ctx, env.ROOM, readConfig(env).limits.maxConnections);
  }

  /** A listener's upgrade, forwarded by the Worker once the room said to relay it. */
  override async fetch(request: Request): Promise<Response> {
    try {
      return await this.#hub.connect(request);
    } catch (error) {
      return renderError(error);
    }
  }

  /** RPC from the Room: frames it broadcast, in its order. */
  deliver(frames: RelayedFrame[]): Promise<void> {
    return this.#hub.deliver(frames);
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    try {
      await this.#hub.onFrame(ws, data);
    } catch (error) {
      logUnexpected("relay webSocketMessage", error);
    }
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      this.#hub.onClose(ws);
    } catch (error) {
      logUnexpected("relay webSocketClose", error);
    } finally {
      completeClose(ws, code);
    }
  }

  override webSocketError(ws: WebSocket): void {
    try {
      this.#hub.onClose(ws);
    } catch (error) {
      logUnexpected("relay webSocketError", error);
    }
  }
}
