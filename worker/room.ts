/**
 * The Room Durable Object: one per room, the single writer of its history.
 * It holds the lifecycle hooks and nothing else; each hook parses its input
 * and delegates to a handler. Sockets use the Hibernation API only, so an
 * idle room leaves memory while its clients stay connected.
 */
import { DurableObject } from "cloudflare:workers";
import { completeClose } from "./close-codes.ts";
import { readConfig } from "./config.ts";
import { admitFrame } from "./handlers/admit-frame.ts";
import { acceptConnection } from "./handlers/connect.ts";
import { onDisconnect } from "./handlers/disconnect.ts";
import { onHistoryRequest } from "./handlers/history-request.ts";
import { openEvents } from "./handlers/open-events.ts";
import { type PostResult, postMessage } from "./handlers/post-message.ts";
import { onRename } from "./handlers/rename.ts";
import { type RoomInfo, roomInfo } from "./handlers/room-info.ts";
import { onSend } from "./handlers/send.ts";
import { onTyping } from "./handlers/typing.ts";
import type { Page } from "./history.ts";
import { HttpError, renderError } from "./http-error.ts";
import type { PageRequest } from "./page-query.ts";
import type { PostInput } from "./post-input.ts";
import { CLIENT_FRAME, type ClientFrame, ERROR_CODE, HEARTBEAT } from "./protocol.ts";
import { assembleRoom, type RoomParts } from "./room-parts.ts";
import { ROOM_PATHS } from "./room-paths.ts";

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
          throw new HttpError(404, ERROR_CODE.notFound, "no such room endpoint");
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

  /** RPC from the Worker: an HTTP post, already validated. */
  post(input: PostInput, clientAddress: string): Promise<PostResult> {
    return postMessage(this.#room, input, clientAddress);
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    const frame = admitFrame(this.#room, ws, data);
    if (frame !== null) dispatchFrame(this.#room, ws, frame);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    onDisconnect(this.#room, ws);
    completeClose(ws, code);
  }

  override webSocketError(ws: WebSocket): void {
    onDisconnect(this.#room, ws);
  }

  override alarm(): void {
    this.#room.occupancy.due(Date.now());
  }
}

/** Every client frame type and the handler it goes to. */
function dispatchFrame(room: RoomParts, ws: WebSocket, frame: ClientFrame): void {
  switch (frame.type) {
    case CLIENT_FRAME.send:
      onSend(room, ws, frame);
      break;
    case CLIENT_FRAME.typing:
      onTyping(room, ws);
      break;
    case CLIENT_FRAME.history:
      onHistoryRequest(room, ws, frame);
      break;
    case CLIENT_FRAME.rename:
      onRename(room, ws, frame);
      break;
    default:
      assertNever(frame);
  }
}

function sinceOf(url: URL): number | undefined {
  const since = url.searchParams.get("since");
  return since === null ? undefined : Number(since);
}

function assertNever(_frame: never): never {
  throw new Error("a client frame type without a handler");
}
