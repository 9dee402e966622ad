/**
 * The Room Durable Object: one per room, the single writer of its history.
 * It holds the lifecycle hooks and nothing else; each hook delegates to a
 * handler, inside the one catch that keeps an unexpected failure to the
 * connection it happened on. Sockets use the Hibernation API only, so an
 * idle room leaves memory while its clients stay connected.
 */
import { DurableObject } from "cloudflare:workers";
import type { Refusal, SearchHit } from "../protocol/frames.ts";
import { ERROR_CODE, HEARTBEAT } from "../protocol/frames.ts";
import type { ChangeInput, ConnectRequest, PageRequest, PostInput, SearchRequest } from "../protocol/http-params.ts";
import type { Credentials } from "../protocol/owner-http-params.ts";
import { readConfig } from "./config.ts";
import { answerInternalError, onFrame } from "./frames.ts";
import type { Page } from "./history.ts";
import { HttpError, logUnexpected, renderError } from "./http.ts";
import { acceptConnection, completeClose, onDisconnect } from "./lifecycle.ts";
import { mayStillRead } from "./moderation.ts";
import {
  act,
  callAccess,
  claim,
  issueTicket,
  membersFor,
  type OwnerAction,
  type OwnerActionResult,
  readerOf,
  redeem,
  settingsFor,
} from "./owner-http.ts";
import type { Answer } from "./owner-requests.ts";
import {
  eventsBetween,
  type Listening,
  listen,
  type RelayedListener,
  relayedFrame,
  relayReport,
} from "./relayed-listeners.ts";
import {
  acceptChange,
  acceptPost,
  type ChangeResult,
  openEvents,
  type PostResult,
  type RoomInfo,
  roomInfo,
} from "./room-http.ts";
import { assembleRoom, inTransaction, type RoomParts } from "./room-parts.ts";

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
    this.#room = assembleRoom(ctx, readConfig(env), env.RELAY);
  }

  /** WebSocket upgrades and event streams, which need a Response; the Worker checked the request line. */
  override async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      switch (url.pathname) {
        case ROOM_PATHS.connect:
          return await acceptConnection(this.#room, request);
        case ROOM_PATHS.events:
          return await this.#openEvents(url);
        default:
          throw new HttpError(ERROR_CODE.notFound, "no such room endpoint");
      }
    } catch (error) {
      return renderError(error);
    }
  }

  /**
   * An event stream: in a key-only room it opens with a read ticket, and
   * the room closes it once the access the ticket named ends.
   */
  async #openEvents(url: URL): Promise<Response> {
    const since = sinceOf(url);
    const ticket = url.searchParams.get("ticket");
    const reader = ticket === null ? null : await this.#room.tokens.readerOfTicket(ticket, Date.now());
    if (!mayStillRead(this.#room, reader)) {
      const message = "This room is for people with an invite link: open its stream with a read ticket";
      throw new HttpError(ERROR_CODE.forbidden, message);
    }
    return openEvents(this.#room, since, reader);
  }

  /** RPC from the Worker: the room's vital signs. */
  info(): RoomInfo {
    return roomInfo(this.#room);
  }

  /** RPC from the Worker: a page of history, for a reader who may. */
  async messages({ query, limit }: PageRequest, credentials: Credentials): Promise<Answer<Page>> {
    const reader = await readerOf(this.#room, credentials);
    return reader.ok ? { ok: true, value: this.#room.history.page(query, limit) } : reader;
  }

  /** RPC from the Worker: a search, already validated, for a reader who may. */
  async search(
    { q, before, limit }: SearchRequest,
    credentials: Credentials,
  ): Promise<Answer<{ hits: SearchHit[]; hasMore: boolean }>> {
    const reader = await readerOf(this.#room, credentials);
    return reader.ok ? { ok: true, value: this.#room.history.search(q, before, limit) } : reader;
  }

  /** RPC from the Worker: an HTTP post, already validated. */
  post(input: PostInput, clientAddress: string, key?: string): Promise<PostResult> {
    return acceptPost(this.#room, input, clientAddress, key);
  }

  /** RPC from the Worker: an edit, deletion or reaction over HTTP, already validated. */
  change(input: ChangeInput, credentials: Credentials, clientAddress: string): Promise<ChangeResult> {
    return acceptChange(this.#room, input, credentials.token, clientAddress, credentials.key);
  }

  /** RPC from the Worker: the owner key of a room that had no owner. */
  claim(): Answer<{ room: string; key: string }> {
    return claim(this.#room);
  }

  /** RPC from the Worker: a key redeemed for the token's user, or a new one. */
  redeem(credentials: Credentials, name: string | undefined, clientAddress: string) {
    return redeem(this.#room, credentials, name, clientAddress);
  }

  /** RPC from the Worker: an owner action over HTTP, already validated. */
  act(action: OwnerAction, credentials: Credentials, clientAddress: string): Promise<Answer<OwnerActionResult>> {
    return act(this.#room, action, credentials, clientAddress);
  }

  /** RPC from the Worker: the settings and the caller's role. */
  settings(credentials: Credentials) {
    return settingsFor(this.#room, credentials);
  }

  /** RPC from the Worker: the member list. */
  members(credentials: Credentials) {
    return membersFor(this.#room, credentials);
  }

  /** RPC from the Worker: whether the caller may join the room's call. */
  callAccess(credentials: Credentials) {
    return callAccess(this.#room, credentials);
  }

  /** RPC from the Worker: a read ticket for the room's event stream. */
  ticket(credentials: Credentials) {
    return issueTicket(this.#room, credentials);
  }

  /**
   * RPC from a relay: admits and welcomes a listener it will hold. A
   * refusal that is no bar on the user comes back as `{refusal}`, for the
   * relay to answer the upgrade with.
   */
  async listen(
    relay: string,
    request: ConnectRequest,
    clientAddress: string,
  ): Promise<Listening | { refusal: Refusal }> {
    try {
      return await listen(this.#room, relay, request, clientAddress);
    } catch (error) {
      if (error instanceof HttpError) return { refusal: error.refusal };
      throw error;
    }
  }

  /** RPC from a relay: a frame one of its listeners sent, and what the room answers that listener. */
  relayFrame(relay: string, listener: RelayedListener, data: string | ArrayBuffer) {
    return relayedFrame(this.#room, relay, listener, data);
  }

  /** RPC from a relay: how many listeners it holds now. */
  relayReport(relay: string, listeners: number): void {
    relayReport(this.#room, relay, listeners);
  }

  /** RPC from a relay that found a gap in what it was delivered. */
  eventsBetween(after: number, through: number) {
    return eventsBetween(this.#room, after, through);
  }

  /**
   * A frame is handled in one storage transaction: if its handler throws
   * (a storage failure, a bug), everything it wrote is rolled back, the
   * failure is logged without user text, and only this socket hears of it,
   * as `internal_error`. The socket stays open and the room carries on.
   */
  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    try {
      inTransaction(this.#room, () => onFrame(this.#room, ws, data));
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
