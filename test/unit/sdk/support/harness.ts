/** A room connection wired to a fake network and a fake clock. */
import { type ConnectOptions, connectRoom, type RoomConnection, type RoomEvents } from "../../../../client/sdk.ts";
import type { Message, WelcomeFrame } from "../../../../protocol/frames.ts";
import { FakeClock } from "./fake-clock.ts";
import { FakeNetwork, type FakeSocket } from "./fake-socket.ts";
import { welcome } from "./frames.ts";

export const BASE_URL = "http://chat.test";
export const BACKOFF = { baseMs: 100, maxMs: 1000 };
export const HEARTBEAT = { intervalMs: 5000, timeoutMs: 2000 };

export interface Harness {
  connection: RoomConnection;
  network: FakeNetwork;
  clock: FakeClock;
}

/** Connects with deterministic ids (`id-1`, `id-2`, ...), jitter of exactly half the window, and no browser. */
export function connect(options: Partial<ConnectOptions> = {}): Harness {
  const network = new FakeNetwork();
  const clock = new FakeClock();
  let ids = 0;
  const connection = connectRoom(BASE_URL, {
    room: "general",
    WebSocket: network.WebSocket,
    schedule: clock.schedule,
    random: () => 0.5,
    backoff: BACKOFF,
    heartbeat: HEARTBEAT,
    newId: () => `id-${++ids}`,
    onlineEvents: null,
    ...options,
  });
  return { connection, network, clock };
}

/** Connects and lets the room welcome the first socket. */
export function connectOnline(history: Message[] = [], options: Partial<ConnectOptions> = {}): Harness {
  const harness = connect(options);
  welcomeLatest(harness, welcome(history));
  return harness;
}

/** The room accepts the latest socket and welcomes it. */
export function welcomeLatest({ network }: Harness, frame: WelcomeFrame = welcome()): FakeSocket {
  const socket = network.latest;
  socket.open();
  socket.receive(frame);
  return socket;
}

/** Drops the link and waits out the backoff, so that the next socket is open for the test to welcome. */
export function dropAndReconnect(harness: Harness, code = 1006): FakeSocket {
  const before = harness.network.sockets.length;
  harness.network.latest.drop(code);
  harness.clock.advance(BACKOFF.maxMs);
  if (harness.network.sockets.length !== before + 1) throw new Error("the SDK did not reconnect");
  return harness.network.latest;
}

/** Advances the clock a millisecond at a time until the SDK opens a socket; the time that took. */
export function timeToNextSocket({ network, clock }: Harness): number {
  const count = network.sockets.length;
  for (let waited = 1; waited <= BACKOFF.maxMs; waited++) {
    clock.advance(1);
    if (network.sockets.length > count) return waited;
  }
  throw new Error(`no new socket within the backoff cap of ${BACKOFF.maxMs} ms`);
}

/** Collects the payloads of every `type` event from now on. */
export function record<K extends keyof RoomEvents>(connection: RoomConnection, type: K): RoomEvents[K][] {
  const seen: RoomEvents[K][] = [];
  connection.on(type, (payload) => seen.push(payload));
  return seen;
}

/** The seqs of the delivered messages. */
export function seqsOf(messages: readonly Message[]): number[] {
  return messages.map((message) => message.seq);
}
