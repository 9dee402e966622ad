/**
 * The load generator's thin client: one WebSocket to one target, built on
 * Node's global WebSocket and the protocol module. It is ready when the app
 * has welcomed it (for a reference or the partyserver peer, when the socket
 * is open; for the socket.io peer, when its main namespace has accepted the
 * connect); after that every frame goes, already read, to `onFrame` with the
 * time it arrived, and socket.io's pings are answered here.
 */
import { type ClientFrame, encodeFrame, SERVER_FRAME, type WelcomeFrame } from "../../protocol/frames.ts";
import type { Target } from "../targets.ts";
import { type FrameReading, readFrames } from "./read-frame.ts";
import { CONNECT, decodePacket, encodeEvent, PING, PONG, SEND_EVENT } from "./socket-io-codec.ts";

export type FrameHandler = (reading: FrameReading, at: number) => void;

export interface OpenOptions {
  query?: URLSearchParams;
  /** How long to wait for the welcome (or the open) before giving up. */
  timeoutMs?: number;
}

/**
 * How long to wait for the server's half of the close handshake. The app,
 * the references and the peers send it (workerd leaves that to a hibernating
 * object), so this bounds only a server that has fallen behind.
 */
const CLOSE_GRACE_MS = 300;

export class BenchSocket {
  readonly target: Target;
  /** The app's welcome; null for a reference or a peer. */
  readonly welcome: WelcomeFrame | null;
  /** When the socket became ready, on the performance.now() clock. */
  readonly readyAt: number;
  onFrame: FrameHandler = () => {};
  /** Frames that broke the contract, and refusals from the app: either means the run is wrong. */
  invalidFrames = 0;
  refusals = 0;
  lastProblem = "";
  readonly #ws: WebSocket;
  readonly #closed: Promise<void>;

  private constructor(target: Target, ws: WebSocket, welcome: WelcomeFrame | null, readyAt: number) {
    this.target = target;
    this.#ws = ws;
    this.welcome = welcome;
    this.readyAt = readyAt;
    this.#closed = new Promise((resolve) => ws.addEventListener("close", () => resolve(), { once: true }));
    ws.addEventListener("message", (event) => this.#receive(event.data, performance.now()));
  }

  /** Opens a socket to `room` of `target` and resolves once it is ready. */
  static open(target: Target, room: string, options: OpenOptions = {}): Promise<BenchSocket> {
    const ws = new WebSocket(target.socketUrl(room, options.query), target.protocols);
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        ws.close();
        reject(new Error(`${target.name} room ${room}: ${why}`));
      };
      const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
      const ready = (welcome: WelcomeFrame | null) => {
        clearTimeout(timer);
        ws.removeEventListener("message", onFirstFrame);
        ws.removeEventListener("close", onEarlyClose);
        resolve(new BenchSocket(target, ws, welcome, performance.now()));
      };
      const onWelcome = (event: MessageEvent) => {
        // A welcome is never part of a batch: the room sends it at once.
        const [reading, ...more] = readFrames(target, String(event.data));
        if (reading?.kind === "other" && reading.frame.type === SERVER_FRAME.welcome && more.length === 0)
          ready(reading.frame);
        else fail(`first frame is not a welcome: ${String(event.data).slice(0, 200)}`);
      };
      const onHandshake = (event: MessageEvent) => {
        const packet = decodePacket(String(event.data));
        if (packet.kind === "open") ws.send(CONNECT);
        else if (packet.kind === "connected") ready(null);
        else if (packet.kind === "refused") fail(`socket.io refused the connect: ${packet.text.slice(0, 200)}`);
        else fail(`not a socket.io handshake: ${String(event.data).slice(0, 200)}`);
      };
      const onFirstFrame = target.speaksProtocol ? onWelcome : onHandshake;
      const onEarlyClose = (event: CloseEvent) => fail(`closed before it was ready (${event.code} ${event.reason})`);
      ws.addEventListener("close", onEarlyClose);
      ws.addEventListener("error", () => fail("connection failed"), { once: true });
      if (target.speaksProtocol || target.framing === "socket.io") ws.addEventListener("message", onFirstFrame);
      else ws.addEventListener("open", () => ready(null), { once: true });
    });
  }

  send(frame: ClientFrame): void {
    this.#ws.send(this.target.framing === "socket.io" ? encodeEvent(SEND_EVENT, frame) : encodeFrame(frame));
  }

  /** Sends a close frame and waits a short, bounded time for the server's reply. */
  async close(): Promise<void> {
    if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) this.#ws.close(1000);
    await Promise.race([this.#closed, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
  }

  #receive(data: unknown, at: number): void {
    const text = String(data);
    if (this.target.framing === "socket.io" && text === PING) {
      this.#ws.send(PONG);
      return;
    }
    for (const reading of readFrames(this.target, text)) {
      if (reading.kind === "invalid") {
        this.invalidFrames++;
        this.lastProblem = `invalid frame: ${reading.text.slice(0, 200)}`;
      } else if (reading.kind === "error") {
        this.refusals++;
        this.lastProblem = `refused: ${reading.code} ${reading.message}`;
      }
      this.onFrame(reading, at);
    }
  }
}
