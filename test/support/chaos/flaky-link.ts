/**
 * The SDK's transport, made breakable: `network.WebSocket` goes in the SDK's
 * `WebSocket` option. `sever(offlineMs)` cuts the current link the way a
 * network failure does (the SDK sees close 1006 at once; the room learns of it
 * later) and keeps the client off the network for `offlineMs`: a socket opened
 * meanwhile connects only when that time is up. Every link is traced (its
 * welcome, the seqs of its live messages, how it closed), so the room's order
 * on each connection can be checked offline.
 */
import type { WebSocketConstructor, WebSocketLike } from "../../../client/sdk.ts";
import { type LinkTrace, newTrace, traceFrame } from "./link-trace.ts";

export type { LinkTrace } from "./link-trace.ts";

/** One object that satisfies every listener the SDK registers: open, error, message and close. */
interface SocketEvent {
  data: unknown;
  code: number;
  reason: string;
}
type Listener = (event: SocketEvent) => void;

/** Close code for a connection that ended without a close frame (RFC 6455 section 7.4.1). */
const ABNORMAL_CLOSURE = 1006;
const OPEN = 1;

export class FlakyNetwork {
  readonly links: LinkTrace[] = [];
  readonly WebSocket: WebSocketConstructor;
  #current: FlakySocket | null = null;
  #offlineUntil = 0;

  constructor() {
    this.WebSocket = socketClass(this);
  }

  /** Cuts the open link, if any, and keeps the client offline for `offlineMs`; false when nothing was open. */
  sever(offlineMs: number): boolean {
    const socket = this.#current;
    if (socket === null || !socket.isOpen) return false;
    this.#offlineUntil = performance.now() + offlineMs;
    socket.sever();
    return true;
  }

  /** Called by each new socket: how long it must wait before connecting, and its trace. */
  register(socket: FlakySocket, url: string): { delayMs: number; trace: LinkTrace } {
    this.#current = socket;
    const trace = newTrace(url);
    this.links.push(trace);
    return { delayMs: Math.max(0, this.#offlineUntil - performance.now()), trace };
  }
}

function socketClass(network: FlakyNetwork): WebSocketConstructor {
  return class extends FlakySocket {
    constructor(url: string, protocols: string[] = []) {
      super(url, protocols, network);
    }
  };
}

class FlakySocket implements WebSocketLike {
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #trace: LinkTrace;
  #ws: WebSocket | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #done = false;

  /** `protocols` are passed on as they are: they carry the identity token. */
  constructor(url: string, protocols: string[], network: FlakyNetwork) {
    const { delayMs, trace } = network.register(this, url);
    this.#trace = trace;
    if (delayMs > 0) this.#timer = setTimeout(() => this.#connect(url, protocols), delayMs);
    else this.#connect(url, protocols);
  }

  get isOpen(): boolean {
    return !this.#done && this.#ws?.readyState === OPEN;
  }

  addEventListener(type: "open" | "error", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: string, listener: Listener): void {
    const listeners = this.#listeners.get(type) ?? new Set<Listener>();
    listeners.add(listener);
    this.#listeners.set(type, listeners);
  }

  send(data: string): void {
    const ws = this.#ws;
    if (this.#done || ws === null || ws.readyState !== OPEN) throw new Error("the link is not open");
    ws.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const ws = this.#ws;
    const opened = ws?.readyState === OPEN;
    ws?.close(code, reason);
    // A socket given up before it opened may never report its close (see docs/reliability.md), so it ends here.
    if (!opened) this.#finish(ABNORMAL_CLOSURE, "given up before it opened", false);
  }

  /** Cuts the link: the SDK hears of it at once, and nothing more arrives on it. */
  sever(): void {
    this.#trace.severed = true;
    this.#ws?.close();
    this.#finish(ABNORMAL_CLOSURE, "link severed", false);
  }

  #connect(url: string, protocols: string[]): void {
    this.#timer = null;
    const ws = new WebSocket(url, protocols);
    this.#ws = ws;
    ws.addEventListener("open", () => {
      if (!this.#done) this.#emit("open", { data: undefined, code: 0, reason: "" });
    });
    ws.addEventListener("error", () => {
      this.#trace.erroredAt ??= performance.now();
      if (!this.#done) this.#emit("error", { data: undefined, code: 0, reason: "" });
    });
    ws.addEventListener("message", (event) => {
      if (this.#done) return;
      traceFrame(this.#trace, event.data);
      this.#emit("message", { data: event.data, code: 0, reason: "" });
    });
    ws.addEventListener("close", (event) => this.#finish(event.code, event.reason, event.wasClean));
  }

  #finish(code: number, reason: string, cleanly: boolean): void {
    if (this.#done) return;
    this.#done = true;
    this.#trace.closedAt = performance.now();
    this.#trace.closeCode = code;
    this.#trace.closedCleanly = cleanly;
    // Listeners hear of the close from a fresh task, as they would from a real socket.
    setTimeout(() => this.#emit("close", { data: undefined, code, reason }), 0);
  }

  #emit(type: string, event: SocketEvent): void {
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}
