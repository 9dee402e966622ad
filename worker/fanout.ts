/**
 * The room's two output doors: `send` to one socket and `broadcast` to every
 * connection and event-stream listener. A broadcast is serialised once,
 * whatever the audience, and a failed send to one socket never stops the
 * others. A fan-out tier of shard
 * objects would replace `broadcast` and nothing else.
 */
import { type EventStreams, sseEvent } from "./event-streams.ts";
import type { Presence } from "./presence.ts";
import { encodeFrame, HEARTBEAT, SERVER_FRAME, type ServerFrame } from "./protocol.ts";

export class Fanout {
  readonly #presence: Presence;
  readonly #events: EventStreams;

  constructor(presence: Presence, events: EventStreams) {
    this.#presence = presence;
    this.#events = events;
  }

  send(ws: WebSocket, frame: ServerFrame): void {
    trySend(ws, encodeFrame(frame));
  }

  /**
   * Sends `frame` to every open connection, except those of the user
   * `exceptUserId`, and to every event-stream listener (who are no user).
   */
  broadcast(frame: ServerFrame, exceptUserId?: string): void {
    const text = encodeFrame(frame);
    for (const [ws, connection] of this.#presence.connections()) {
      if (connection.userId !== exceptUserId) trySend(ws, text);
    }
    if (this.#events.count > 0) {
      this.#events.send(sseEvent(frame.type, text, frame.type === SERVER_FRAME.message ? frame.seq : undefined));
    }
  }

  /** Answers a heartbeat that reached the room because it was awake anyway. */
  pong(ws: WebSocket): void {
    trySend(ws, HEARTBEAT.pong);
  }
}

function trySend(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    // The socket is closing; its webSocketClose event removes it from presence.
  }
}
