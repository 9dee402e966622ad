/**
 * A raw protocol client for load and abuse: one WebSocket (Node's global
 * one), frames encoded with worker/protocol.ts or sent as raw text or bytes,
 * and every frame from the room parsed with the protocol's own parser, so a
 * frame that breaks the contract is counted, never guessed at. Unlike the
 * SDK it never reconnects, queues or waits for an ack: it does exactly what
 * a test tells it to.
 */

import {
  type ClientFrame,
  encodeFrame,
  HEARTBEAT,
  type ServerFrame,
  type ServerFrameOf,
  type ServerFrameType,
  type WelcomeFrame,
} from "../../../protocol/frames.ts";
import { parseServerFrame } from "../../../protocol/parse-server.ts";

export interface Closed {
  code: number;
  reason: string;
  /** Whether the room's close frame arrived (false when the connection simply ended). */
  cleanly: boolean;
  at: number;
}

export interface OpenOptions {
  name?: string;
  since?: number;
  token?: string;
  timeoutMs?: number;
}

/** The room's socket URL for a raw client; query parameters as the SDK would send them. */
export function socketUrl(baseUrl: string, room: string, options: OpenOptions = {}): string {
  const url = new URL(`/api/rooms/${encodeURIComponent(room)}/ws`, baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (options.name !== undefined) url.searchParams.set("name", options.name);
  if (options.since !== undefined) url.searchParams.set("since", String(options.since));
  if (options.token !== undefined) url.searchParams.set("token", options.token);
  return url.href;
}

export class RawClient {
  readonly welcome: WelcomeFrame;
  readonly closed: Promise<Closed>;
  /** Frames received after the welcome and not yet read with `next` or `waitFor`. */
  readonly #queue: ServerFrame[] = [];
  /** Text frames that are not frames of the contract (heartbeat answers aside). */
  readonly invalid: string[] = [];
  /** How the socket closed, once it has. */
  closedWith: Closed | null = null;
  /** Called with every valid frame after the welcome; when set, frames are not queued. */
  onFrame: ((frame: ServerFrame, at: number) => void) | null = null;
  /** UTF-16 code units of every text frame received after the welcome (a byte count, for ASCII). */
  charactersReceived = 0;
  readonly #ws: WebSocket;
  #wake: (() => void) | null = null;
  #isClosed = false;

  private constructor(ws: WebSocket, welcome: WelcomeFrame, closed: Promise<Closed>) {
    this.#ws = ws;
    this.welcome = welcome;
    this.closed = closed;
    void closed.then((how) => {
      this.#isClosed = true;
      this.closedWith = how;
      this.#wake?.();
    });
    ws.addEventListener("message", (event) => this.#receive(event.data));
  }

  /** Opens a socket to `room` and resolves with the client once the welcome arrived. */
  static open(baseUrl: string, room: string, options: OpenOptions = {}): Promise<RawClient> {
    const ws = new WebSocket(socketUrl(baseUrl, room, options));
    ws.binaryType = "arraybuffer";
    const closed = new Promise<Closed>((resolve) => {
      ws.addEventListener("close", (event) =>
        resolve({ code: event.code, reason: event.reason, cleanly: event.wasClean, at: performance.now() }),
      );
    });
    const timeoutMs = options.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        ws.close();
        reject(new Error(`room ${room}: ${why}`));
      };
      const timer = setTimeout(() => fail(`no welcome within ${timeoutMs} ms`), timeoutMs);
      // Node's WebSocket reports a refused upgrade with `error` alone (see docs/reliability.md).
      ws.addEventListener("error", () => fail("the upgrade failed"), { once: true });
      ws.addEventListener(
        "message",
        (event) => {
          const frame = typeof event.data === "string" ? parseServerFrame(event.data) : null;
          clearTimeout(timer);
          if (frame?.type !== "welcome") {
            fail(`the first frame was not a welcome: ${String(event.data).slice(0, 200)}`);
            return;
          }
          resolve(new RawClient(ws, frame, closed));
        },
        { once: true },
      );
    });
  }

  get isOpen(): boolean {
    return !this.#isClosed && this.#ws.readyState === WebSocket.OPEN;
  }

  send(frame: ClientFrame): void {
    this.#ws.send(encodeFrame(frame));
  }

  /** Sends anything, well-formed or not; a send after the close is dropped, as a network drops it. */
  sendRaw(data: string | ArrayBuffer): void {
    if (this.isOpen) this.#ws.send(data);
  }

  close(code = 1000): void {
    this.#ws.close(code, "done");
  }

  /** The next frame, which must be of `type`. */
  async next<T extends ServerFrameType>(type: T, timeoutMs = 5000): Promise<ServerFrameOf<T>> {
    const frame = await this.#shift(timeoutMs);
    if (!isOfType(frame, type)) throw new Error(`expected a ${type} frame, got ${encodeFrame(frame)}`);
    return frame;
  }

  /** Reads frames until one of `type` arrives, dropping the others. */
  async waitFor<T extends ServerFrameType>(type: T, timeoutMs = 5000): Promise<ServerFrameOf<T>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const frame = await this.#shift(Math.max(1, deadline - performance.now()));
      if (isOfType(frame, type)) return frame;
    }
  }

  async #shift(timeoutMs: number): Promise<ServerFrame> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const frame = this.#queue.shift();
      if (frame !== undefined) return frame;
      const left = deadline - performance.now();
      if (left <= 0 || this.#isClosed) {
        throw new Error(this.#isClosed ? "the socket closed" : `no frame within ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  #receive(data: unknown): void {
    if (typeof data !== "string") {
      this.invalid.push("(binary)");
      return;
    }
    this.charactersReceived += data.length;
    if (data === HEARTBEAT.pong) return;
    const frame = parseServerFrame(data);
    if (frame === null) {
      this.invalid.push(data.slice(0, 500));
      return;
    }
    if (this.onFrame !== null) {
      this.onFrame(frame, performance.now());
      return;
    }
    this.#queue.push(frame);
    this.#wake?.();
  }
}

function isOfType<T extends ServerFrameType>(frame: ServerFrame, type: T): frame is ServerFrameOf<T> {
  return frame.type === type;
}
