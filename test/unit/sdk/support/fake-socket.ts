/**
 * A fake WebSocket transport: the SDK opens `FakeSocket`s through
 * `FakeNetwork.WebSocket`, and a test plays the room on them (open, frames,
 * close) and reads back what the SDK sent, parsed by the room's own parser.
 */
import type { WebSocketConstructor, WebSocketLike } from "../../../../client/sdk.ts";
import {
  type ClientFrame,
  DEFAULT_LIMITS,
  type EventFrame,
  encodeFrame,
  HEARTBEAT,
  type HistoryRequestFrame,
  type SearchFrame,
  type SendFrame,
  type ServerFrame,
} from "../../../../protocol/frames.ts";
import { parseClientFrame } from "../../../../protocol/parse-client.ts";

interface SocketEvent {
  data: unknown;
  code: number;
  reason: string;
}

type EventType = "open" | "error" | "message" | "close";

export class FakeSocket implements WebSocketLike {
  readonly url: URL;
  /** The subprotocols the SDK offered. */
  readonly protocols: readonly string[];
  /** Every text frame the SDK sent, in order. */
  readonly sent: string[] = [];
  /** The code the SDK closed this socket with, if it did. */
  closedWith: number | null = null;
  readonly #listeners: { type: EventType; listener: (event: SocketEvent) => void }[] = [];

  constructor(url: string, protocols: string[] = []) {
    this.url = new URL(url);
    this.protocols = protocols;
  }

  /** The identity token offered in `Sec-WebSocket-Protocol` as `token.<token>`, or null. */
  get token(): string | null {
    return this.protocols.find((entry) => entry.startsWith("token."))?.slice("token.".length) ?? null;
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(code = 1000): void {
    this.closedWith = code;
  }

  addEventListener(type: "open" | "error", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: EventType, listener: (event: SocketEvent) => void): void {
    this.#listeners.push({ type, listener });
  }

  /** The room accepts the upgrade. */
  open(): void {
    this.#fire("open", {});
  }

  /** The room sends a frame, or any raw data. */
  receive(frame: ServerFrame | string | ArrayBuffer): void {
    this.#fire("message", {
      data: typeof frame === "object" && !(frame instanceof ArrayBuffer) ? encodeFrame(frame) : frame,
    });
  }

  /** The connection fails with an `error` event alone, as Node's WebSocket reports a refused connection. */
  fail(): void {
    this.#fire("error", {});
  }

  /** The link ends, as a crash (1006) or a close frame would end it. */
  drop(code = 1006, reason = ""): void {
    this.#fire("close", { code, reason });
  }

  /** The frames the SDK sent, heartbeats left out. */
  frames(): ClientFrame[] {
    return this.sent.flatMap((text) => {
      if (text === HEARTBEAT.ping) return [];
      const parsed = parseClientFrame(text, DEFAULT_LIMITS.maxFrameBytes);
      if (!parsed.ok) throw new Error(`the SDK sent a frame the room refuses: ${text}`);
      return [parsed.frame];
    });
  }

  sends(): SendFrame[] {
    return this.frames().flatMap((frame) => (frame.type === "send" ? [frame] : []));
  }

  /** The frames that store an event: sends, edits, deletions and reactions. */
  eventFrames(): EventFrame[] {
    return this.frames().flatMap((frame) =>
      frame.type === "send" || frame.type === "edit" || frame.type === "delete" || frame.type === "react"
        ? [frame]
        : [],
    );
  }

  historyRequests(): HistoryRequestFrame[] {
    return this.frames().flatMap((frame) => (frame.type === "history" ? [frame] : []));
  }

  searchRequests(): SearchFrame[] {
    return this.frames().flatMap((frame) => (frame.type === "search" ? [frame] : []));
  }

  /** The seqs of the `read` frames the SDK sent, in order. */
  readPositions(): number[] {
    return this.frames().flatMap((frame) => (frame.type === "read" ? [frame.seq] : []));
  }

  pings(): number {
    return this.sent.filter((text) => text === HEARTBEAT.ping).length;
  }

  #fire(type: EventType, event: Partial<SocketEvent>): void {
    for (const entry of this.#listeners) {
      if (entry.type === type) entry.listener({ data: undefined, code: 1005, reason: "", ...event });
    }
  }
}

/** A WebSocket whose constructor throws, as a browser's does for a port it blocks. */
export class BlockedSocket extends FakeSocket {
  constructor(url: string) {
    super(url);
    throw new DOMException("port blocked", "SecurityError");
  }
}

/** Every socket the SDK opened, in order. */
export class FakeNetwork {
  readonly sockets: FakeSocket[] = [];
  readonly WebSocket: WebSocketConstructor;

  constructor() {
    const sockets = this.sockets;
    this.WebSocket = class extends FakeSocket {
      constructor(url: string, protocols?: string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  }

  /** The socket opened last. */
  get latest(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (socket === undefined) throw new Error("the SDK opened no socket");
    return socket;
  }
}
