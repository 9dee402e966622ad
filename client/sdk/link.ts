import type { SocketTarget } from "./room-url.ts";

/**
 * The slice of the WebSocket API the SDK uses, so that a browser's or Node's
 * global `WebSocket` fits, and so does a test's fake.
 */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "error", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;

export interface LinkEvents {
  opened(): void;
  received(data: unknown): void;
  closed(code: number, reason: string): void;
}

/** Close code for a connection that ended without a close frame (RFC 6455 section 7.4.1). */
export const ABNORMAL_CLOSURE = 1006;

/**
 * One socket. After `drop()` or its close, none of its events reach the
 * owner, so a stale socket (one given up on after a heartbeat timeout,
 * whose close handshake may take minutes) can never act on the connection.
 */
export class Link {
  readonly #ws: WebSocketLike;
  #done = false;

  constructor(WebSocket: WebSocketConstructor, { url, protocols }: SocketTarget, events: LinkEvents) {
    this.#ws = new WebSocket(url, protocols);
    this.#ws.addEventListener("open", () => {
      if (!this.#done) events.opened();
    });
    this.#ws.addEventListener("message", (event) => {
      if (!this.#done) events.received(event.data);
    });
    this.#ws.addEventListener("close", (event) => {
      if (this.#done) return;
      this.#done = true;
      events.closed(event.code, event.reason);
    });
    // Browsers follow every `error` with `close`, but Node's WebSocket reports a refused
    // connection with `error` alone; waiting for a `close` would stall the reconnect.
    this.#ws.addEventListener("error", () => {
      if (this.#done) return;
      this.drop("failed");
      events.closed(ABNORMAL_CLOSURE, "the connection failed");
    });
  }

  send(text: string): void {
    if (this.#done) return;
    try {
      this.#ws.send(text);
    } catch {
      // The socket is closing; its close event follows and starts the reconnect.
    }
  }

  /** Closes the socket and silences it at once, without waiting for the close handshake. */
  drop(reason: string): void {
    if (this.#done) return;
    this.#done = true;
    try {
      this.#ws.close(1000, reason);
    } catch {
      // Closing a socket that is already closing can throw; it is going away either way.
    }
  }
}
