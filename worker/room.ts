/**
 * The Room Durable Object: one per room, the single writer of its history.
 * It holds the lifecycle hooks and nothing else; each hook delegates to a
 * handler, inside the one catch that keeps an unexpected failure to the
 * connection it happened on. Sockets use the Hibernation API only, so an
 * idle room leaves memory while its clients stay connected.
 */
import { DurableObject } from "cloudflare:workers";
import type { SearchHit } from "../protocol/frames.ts";
import { ERROR_CODE, HEARTBEAT } from "../protocol/frames.ts";
import type { ChangeInput, PageRequest, PostInput, SearchRequest } from "../protocol/http-params.ts";
import { readConfig } from "./config.ts";
import { answerInternalError, onFrame } from "./frames.ts";
import type { Page } from "./history.ts";
import { HttpError, logUnexpected, renderError } from "./http.ts";
import { acceptConnection, completeClose, onDisconnect } from "./lifecycle.ts";
import {
  acceptChange,
  acceptPost,
  type ChangeResult,
  openEvents,
  type PostResult,
  type RoomInfo,
  roomInfo,
} from "./room-http.ts";
import { assembleRoom, type RoomParts } from "./room-parts.ts";

/** Where the Worker sends the requests it forwards to a Room by fetch; the host is never resolved. */
export const ROOM_ORIGIN = "https://room.edgechat";

export const ROOM_PATHS = {
  connect: "/ws",
  events: "/events",
} as const;

export class Room extends DurableObject<Env> {
  readonly #room: RoomParts;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime while the room hibernates; the room never wakes for a heartbeat.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT.ping, HEARTBEAT.pong));
    this.#room = assembleRoom(ctx, readConfig(env));
  }

  /** WebSocket upgrades and event streams, which need a Response; the Worker checked the request line. */
  override async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      switch (url.pathname) {
        case ROOM_PATHS.connect:
          return await acceptConnection(this.#room, request);
        case ROOM_PATHS.events:
          return openEvents(this.#room, sinceOf(url));
        default:
          throw new HttpError(ERROR_CODE.notFound, "no such room endpoint");
      }
    } catch (error) {
      return renderError(error);
    }
  }

  /** RPC from the Worker: the room's vital signs. */
  info(): RoomInfo {
    return roomInfo(this.#room);
  }

  /** RPC from the Worker: a page of history. */
  messages({ query, limit }: PageRequest): Page {
    return this.#room.history.page(query, limit);
  }

  /** RPC from the Worker: a search, already validated. */
  search({ q, before, limit }: SearchRequest): { hits: SearchHit[]; hasMore: boolean } {
    return this.#room.history.search(q, before, limit);
  }

  /** RPC from the Worker: an HTTP post, already validated. */
  post(input: PostInput, clientAddress: string): Promise<PostResult> {
    return acceptPost(this.#room, input, clientAddress);
  }

  /** RPC from the Worker: an edit, deletion or reaction over HTTP, already validated. */
  change(input: ChangeInput, token: string | undefined, clientAddress: string): Promise<ChangeResult> {
    return acceptChange(this.#room, input, token, clientAddress);
  }

  /**
   * A frame is handled in one storage transaction: if its handler throws
   * (a storage failure, a bug), everything it wrote is rolled back, the
   * failure is logged without user text, and only this socket hears of it,
   * as `internal_error`. The socket stays open and the room carries on.
   */
  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    try {
      this.ctx.storage.transactionSync(() => onFrame(this.#room, ws, data));
    } catch (error) {
      logUnexpected("webSocketMessage", error);
      answerInternalError(this.#room, ws, data);
    }
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      onDisconnect(this.#room, ws);
    } catch (error) {
      logUnexpected("webSocketClose", error);
    } finally {
      completeClose(ws, code);
    }
  }

  override webSocketError(ws: WebSocket): void {
    try {
      onDisconnect(this.#room, ws);
    } catch (error) {
      logUnexpected("webSocketError", error);
    }
  }

  /** A pending occupancy count is due. A throw here is left to the runtime, which retries alarms. */
  override alarm(): void {
    this.#room.arrivals.due(Date.now());
  }
}

function sinceOf(url: URL): number | undefined {
  const since = url.searchParams.get("since");
  return since === null ? undefined : Number(since);
}
