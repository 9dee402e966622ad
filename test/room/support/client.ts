/**
 * A test client for the Room inside workerd: it connects through the
 * Worker's front door, parses every frame with the protocol's own parser
 * (so a frame that breaks the contract fails the test), and reads frames in
 * order with a timeout. On a connection that selected `edgechat.v2`, a
 * `batch` is read as its frames, one by one, and its size noted in `batchSizes`.
 */
import { env, exports } from "cloudflare:workers";
import type {
  AckFrame,
  ClientFrame,
  ErrorFrame,
  ServerFrame,
  ServerFrameOf,
  ServerFrameType,
  StoredAck,
  WelcomeFrame,
} from "../../../protocol/frames.ts";
import { SUBPROTOCOL } from "../../../protocol/frames.ts";
import { parseServerFrame, parseServerFrames } from "../../../protocol/parse-server.ts";

export const ORIGIN = "http://edgechat.test";

/** A room no other test uses. */
export function freshRoom(): string {
  return `t-${crypto.randomUUID()}`;
}

export interface ConnectOptions {
  name?: string;
  since?: number;
  token?: string;
  origin?: string;
  /** The client's address, as Cloudflare's edge reports it in CF-Connecting-IP. */
  address?: string;
}

/** The raw upgrade response, for tests of refusals. */
export function upgrade(room: string, query = "", headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}/api/rooms/${room}/ws${query}`, {
    headers: { Upgrade: "websocket", ...headers },
  });
}

/** Connects and reads the welcome. */
export async function connect(room: string, options: ConnectOptions = {}): Promise<TestClient> {
  const query = new URLSearchParams();
  if (options.name !== undefined) query.set("name", options.name);
  if (options.since !== undefined) query.set("since", String(options.since));
  if (options.token !== undefined) query.set("token", options.token);
  const headers: Record<string, string> = {
    ...(options.origin === undefined ? {} : { Origin: options.origin }),
    ...(options.address === undefined ? {} : { "CF-Connecting-IP": options.address }),
  };
  const response = await upgrade(room, `?${query}`, headers);
  const ws = response.webSocket;
  if (response.status !== 101 || ws === null) {
    throw new Error(`expected 101 Switching Protocols, got ${response.status}: ${await response.text()}`);
  }
  const client = new TestClient(ws, response.headers.get("Sec-WebSocket-Protocol"));
  client.welcome = await client.next("welcome");
  return client;
}

export interface Closed {
  code: number;
  reason: string;
}

export class TestClient {
  welcome!: WelcomeFrame;
  readonly closed: Promise<Closed>;
  readonly #ws: WebSocket;
  /** How many frames each `batch` that arrived held, in order. */
  readonly batchSizes: number[] = [];
  readonly #queue: string[] = [];
  #wake: (() => void) | undefined;

  /** `selected` is the subprotocol the server selected (the upgrade's `Sec-WebSocket-Protocol`). */
  constructor(ws: WebSocket, selected: string | null = null) {
    this.#ws = ws;
    ws.accept();
    const v2 = selected === SUBPROTOCOL.v2;
    ws.addEventListener("message", (event) => {
      const text = typeof event.data === "string" ? event.data : "<binary>";
      // A batch to a version 1 connection stays whole, so that reading it fails the test.
      const frames = v2 && parseServerFrame(text) === null ? parseServerFrames(text) : null;
      if (frames === null) {
        this.#queue.push(text);
      } else {
        this.batchSizes.push(frames.length);
        this.#queue.push(...frames.map((frame) => JSON.stringify(frame)));
      }
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        resolve({ code: event.code, reason: event.reason });
        this.#wake?.();
      });
    });
  }

  get user() {
    return this.welcome.you;
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.#ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string | ArrayBuffer): void {
    this.#ws.send(data);
  }

  close(code = 1000): void {
    this.#ws.close(code, "test done");
  }

  /** Whether the socket closes within `ms`. */
  async closesWithin(ms: number): Promise<boolean> {
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));
    return Promise.race([this.closed.then(() => true), timeout]);
  }

  /** The next frame's raw text. */
  async nextText(timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.#queue.shift() ?? "";
  }

  /** The next frame, which must be of `type` and valid by the contract; an `ack` must be of a stored event. */
  async next<T extends ServerFrameType>(type: T, timeoutMs = 2000): Promise<TestFrameOf<T>> {
    const text = await this.nextText(timeoutMs);
    const frame = parseServerFrame(text);
    if (frame === null) throw new Error(`frame breaks the contract: ${text}`);
    if (frame.type !== type) throw new Error(`expected a ${type} frame, got ${text}`);
    return asTestFrame(type, frame, text);
  }

  /** Reads frames until one of `type` arrives, returning it; frames of other types are dropped. */
  async waitFor<T extends ServerFrameType>(type: T, timeoutMs = 2000): Promise<TestFrameOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.nextText(Math.max(1, deadline - Date.now()));
      const frame = parseServerFrame(text);
      if (frame === null) throw new Error(`frame breaks the contract: ${text}`);
      if (frame.type === type) return asTestFrame(type, frame, text);
    }
  }

  /** Reads frames until the `ack` or `error` about the frame `id` arrives, of either kind of ack. */
  async answerTo(id: string, timeoutMs = 2000): Promise<AckFrame | ErrorFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.nextText(Math.max(1, deadline - Date.now()));
      const frame = parseServerFrame(text);
      if (frame === null) throw new Error(`frame breaks the contract: ${text}`);
      if ((frame.type === "ack" || frame.type === "error") && frame.id === id) return frame;
    }
  }

  /** Fails if any frame arrives within `ms`. */
  async expectSilence(ms = 150): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (this.#queue.length > 0) throw new Error(`expected silence, got ${this.#queue[0]}`);
  }
}

/** The Room Durable Object behind a room name, for eviction and inspection. */
export function roomStub(room: string): DurableObjectStub {
  return env.ROOM.getByName(room);
}

/** Sends a message (a `send` frame) and waits for its ack, dropping the frames that arrive before it. */
export async function sendAndAck(client: TestClient, id: string, text: string) {
  client.send({ type: "send", id, text });
  return client.waitFor("ack");
}

/** Sends a frame that stores an event and reads its answer, waiting out the send rate whenever it is reached. */
export async function answered(client: TestClient, frame: { id: string } & Record<string, unknown>) {
  for (;;) {
    client.send(frame);
    const answer = await client.answerTo(frame.id);
    if (answer.type !== "error" || answer.code !== "rate_limited") return answer;
    await sleep(answer.retryAfter ?? 200);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A frame as tests read it by type: an `ack` read by type is one of a stored event (`answerTo` reads either). */
export type TestFrameOf<T extends ServerFrameType> = T extends "ack" ? StoredAck : ServerFrameOf<T>;

function asTestFrame<T extends ServerFrameType>(type: T, frame: ServerFrame, text: string): TestFrameOf<T> {
  if (frame.type === "ack" && "unchanged" in frame) throw new Error(`expected the ack of a stored event, got ${text}`);
  if (frame.type !== type) throw new Error(`expected a ${type} frame, got ${text}`);
  return frame as TestFrameOf<T>;
}
