/**
 * Property tests of the Room inside workerd, through the Worker's front door:
 * random sequences of client frames, valid and invalid, go to a fresh room,
 * and every answer is checked against a model of the room built from the
 * contract (test/unit/support/client-frame-contract.ts decides what each raw
 * frame is). The room runs with the contract's default limits: the model
 * knows that the first `burst` sends of a new user are never rate-limited,
 * that later ones may be, and that the error frame after the abuse limit
 * closes the connection with 1008. Runs take milliseconds, far inside the
 * abuse window, so every error of a run counts towards that limit. A run
 * sends fewer valid frames than the per-connection frame burst, so the frame
 * budget never refuses one here; test/room/errors.test.ts covers that budget.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_LIMITS,
  type HistoryPageFrame,
  type Message,
  type MessageFrame,
  type ServerFrame,
  type StoredAck,
} from "../../protocol/frames.ts";
import { parseServerFrame } from "../../protocol/parse-server.ts";
import {
  binaryFrame,
  framesNearLimit,
  notAFrameText,
  sendFrameOfBytes,
  shapedFrameText,
  validClientFrame,
  validSendFrame,
} from "../unit/support/client-frame-arbitraries.ts";
import { type ContractFrame, contractOutcome } from "../unit/support/client-frame-contract.ts";
import { type Closed, connect, freshRoom, type TestClient } from "./support/client.ts";

const LIMITS = DEFAULT_LIMITS;
/** The contract's page sizes: a `history` request without `limit`, and a welcome without `since`. */
const HISTORY_PAGE_DEFAULT = 50;
const WELCOME_HISTORY = 50;
const NAME = "prop";
/** How long a frame the model expects may take to arrive; generous for a shared 2-core machine. */
const FRAME_TIMEOUT_MS = 5000;
/**
 * A failing run waits out FRAME_TIMEOUT_MS for the frame that never comes, so
 * shrinking stops after a minute and reports the smallest counterexample found
 * by then; a run interrupted without any failure still passes.
 */
const BOUNDED = { interruptAfterTimeLimit: 60_000 };

type RawFrame = string | ArrayBuffer;

/** A frame as a client sends it, shown shortened in counterexamples so that a 16 KiB frame stays readable. */
class WireFrame {
  readonly data: RawFrame;

  /** Text frames travel as UTF-8, which has no lone surrogates: a client sends U+FFFD in their place. */
  constructor(raw: RawFrame) {
    this.data = typeof raw === "string" ? raw.toWellFormed() : raw;
  }

  [fc.toStringMethod](): string {
    if (typeof this.data !== "string") return `<binary, ${this.data.byteLength} bytes>`;
    if (this.data.length <= 120) return JSON.stringify(this.data);
    return `${JSON.stringify(this.data.slice(0, 100))}…<${this.data.length} UTF-16 units>`;
  }
}

const oversizeFrame: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: LIMITS.maxFrameBytes + 1, max: 3 * LIMITS.maxFrameBytes }).map((bytes) => "x".repeat(bytes)),
  fc
    .integer({ min: 5462, max: 8000 })
    .map((count) => JSON.stringify({ type: "send", id: "big", text: "技".repeat(count) })),
);

/** Renames among a few names, so that some rename to the current name and some come back. */
const renameAmongFew: fc.Arbitrary<string> = fc
  .constantFrom(NAME, ` ${NAME} `, "Ada", "ada", "Jose\u0301")
  .map((name) => JSON.stringify({ type: "rename", name }));

/** Frames of every kind a client can send, weighted so that most sequences store something. */
const roomFrame: fc.Arbitrary<WireFrame> = fc
  .oneof(
    { weight: 6, arbitrary: validSendFrame.map(({ wire }) => JSON.stringify(wire)) },
    { weight: 6, arbitrary: validClientFrame.map(({ wire }) => JSON.stringify(wire)) },
    { weight: 2, arbitrary: renameAmongFew },
    { weight: 6, arbitrary: shapedFrameText },
    { weight: 2, arbitrary: notAFrameText },
    { weight: 1, arbitrary: binaryFrame },
    { weight: 1, arbitrary: framesNearLimit(LIMITS.maxFrameBytes) },
    { weight: 1, arbitrary: oversizeFrame },
    { weight: 1, arbitrary: fc.constant("ping") },
  )
  .map((raw) => new WireFrame(raw));

/** Frames the contract always refuses. */
const refusedFrame: fc.Arbitrary<WireFrame> = fc
  .oneof(
    binaryFrame,
    oversizeFrame,
    fc.constantFrom("{", "null", "[]", '{"type":"shout"}', '{"type":"typing","x":1}', '{"type":"history","limit":0}'),
    fc.constant(JSON.stringify({ type: "rename", name: "\u202e" })),
    fc.constant(JSON.stringify({ type: "send", id: "m", text: "   " })),
  )
  .map((raw) => new WireFrame(raw));

const wire = (value: unknown) => new WireFrame(JSON.stringify(value));

/** One sequence that meets every rule at least once, run before the random ones. */
const EVERY_RULE: WireFrame[] = [
  wire({ type: "send", id: "a", text: "  hello\u0000world\n" }),
  wire({ type: "send", id: "a", text: "a resend gets the original ack" }),
  new WireFrame(sendFrameOfBytes(LIMITS.maxFrameBytes, "🎉", "🎉".repeat(4000))),
  new WireFrame(sendFrameOfBytes(LIMITS.maxFrameBytes + 1, "b", "🎉".repeat(4000))),
  wire({ type: "send", id: "c", text: "x".repeat(4001) }),
  new WireFrame('{"type":"send","id":"d","text":"\\ud800"}'),
  new WireFrame(new TextEncoder().encode('{"type":"typing"}').slice().buffer),
  new WireFrame("ping"),
  new WireFrame('{"type":"typing","__proto__":{}}'),
  wire({ type: "typing" }),
  wire({ type: "rename", name: ` ${NAME} ` }),
  wire({ type: "rename", name: "Jose\u0301" }),
  wire({ type: "rename", name: "\u202eevil" }),
  wire({ type: "send", id: "e", text: "after the rename" }),
  wire({ type: "history", before: 3, limit: 1 }),
  wire({ type: "history", after: 0 }),
  wire({ type: "history" }),
  wire({ type: "history", before: 2, after: 1 }),
  wire({ type: "history", limit: 101 }),
  new WireFrame("not json"),
];

/** More sends than the burst, as fast as the socket takes them: the first `burst` are never refused. */
const OVER_THE_BURST: WireFrame[] = Array.from({ length: LIMITS.sendBurst + 5 }, (_, i) =>
  wire({ type: "send", id: `burst-${i}`, text: `message ${i}` }),
);

/** Refused frames up to the abuse limit and one more, then a send the closed connection must not store. */
const OVER_THE_ABUSE_LIMIT: WireFrame[] = [
  ...Array.from({ length: LIMITS.abuseErrorLimit + 1 }, () => new WireFrame(new ArrayBuffer(1))),
  wire({ type: "send", id: "late", text: "sent after the limit" }),
];

/** What the room holds and who the client is, as the contract says they must be. */
class RoomModel {
  readonly userId: string;
  name: string;
  readonly messages: Message[] = [];
  readonly #byClientId = new Map<string, Message>();
  /** Sends that took a token: the first `sendBurst` of a new user always may. */
  tokensTaken = 0;
  errors = 0;
  /** What another user must see of this client, in order, typing aside. */
  readonly broadcasts: ServerFrame[] = [];
  /** Every name the client has had, for the typing frames another user sees. */
  readonly names = new Set<string>();
  sentTyping = false;

  constructor(client: TestClient) {
    this.userId = client.user.id;
    this.name = client.user.name;
    this.names.add(this.name);
  }

  stored(clientId: string): Message | undefined {
    return this.#byClientId.get(clientId);
  }

  store(message: Message): void {
    this.messages.push(message);
    this.#byClientId.set(message.id, message);
    this.broadcasts.push({ type: "message", ...message });
  }

  rename(name: string): void {
    this.broadcasts.push({ type: "rename", user: { id: this.userId, name }, previous: this.name });
    this.name = name;
    this.names.add(name);
  }

  /** Whether the error just counted takes the connection over the abuse limit. */
  countError(): boolean {
    this.errors++;
    return this.errors > LIMITS.abuseErrorLimit;
  }

  /** The answer to a history request; it echoes the request's `ref`. */
  page({
    ref,
    before,
    after,
    around,
    limit = HISTORY_PAGE_DEFAULT,
  }: {
    ref?: string;
    before?: number;
    after?: number;
    around?: number;
    limit?: number;
  }): HistoryPageFrame {
    const echo = ref === undefined ? {} : { ref };
    if (around !== undefined) {
      // Half older, the rest from `around` on, either side filling in for the other near an end.
      const older = this.messages.filter((message) => message.seq < around);
      const newer = this.messages.filter((message) => message.seq >= around);
      const newerTaken = Math.min(newer.length, limit - Math.min(older.length, Math.floor(limit / 2)));
      const olderTaken = Math.min(older.length, limit - newerTaken);
      const messages = [...older.slice(older.length - olderTaken), ...newer.slice(0, newerTaken)];
      return {
        type: "history",
        ...echo,
        messages,
        hasMore: older.length > olderTaken,
        hasNewer: newer.length > newerTaken,
      };
    }
    if (after !== undefined) {
      const newer = this.messages.filter((message) => message.seq > after);
      return { type: "history", ...echo, messages: newer.slice(0, limit), hasMore: newer.length > limit };
    }
    const older = before === undefined ? this.messages : this.messages.filter((message) => message.seq < before);
    const messages = older.slice(Math.max(0, older.length - limit));
    return { type: "history", ...echo, messages, hasMore: older.length > limit };
  }
}

/** Reads server frames in order, setting heartbeat pongs aside: the runtime answers those outside the room's order. */
class FrameReader {
  pongs = 0;
  readonly #client: TestClient;

  constructor(client: TestClient) {
    this.#client = client;
  }

  async next(): Promise<ServerFrame> {
    for (;;) {
      const text = await this.#client.nextText(FRAME_TIMEOUT_MS);
      if (text === "pong") {
        this.pongs++;
        continue;
      }
      const frame = parseServerFrame(text);
      if (frame === null) throw new Error(`frame breaks the contract: ${text.slice(0, 200)}`);
      return frame;
    }
  }
}

/** How the room closed the client's socket; fails the test if it stays open. */
async function closeOf(client: TestClient): Promise<Closed> {
  const stillOpen = new Promise<null>((resolve) => setTimeout(() => resolve(null), FRAME_TIMEOUT_MS));
  const closed = await Promise.race([client.closed, stillOpen]);
  if (closed === null) throw new Error(`the socket is still open after ${FRAME_TIMEOUT_MS} ms`);
  return closed;
}

function ackOf(frame: ServerFrame): StoredAck {
  if (frame.type !== "ack" || !("seq" in frame))
    throw new Error(`expected the ack of a stored message, got ${JSON.stringify(frame)}`);
  return frame;
}

function messageOf(frame: ServerFrame): MessageFrame {
  if (frame.type !== "message") throw new Error(`expected a message, got ${JSON.stringify(frame)}`);
  return frame;
}

function errorFrame(
  code: string,
  id: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: "error", code, message: expect.stringMatching(/\S/), ...(id === undefined ? {} : { id }), ...extra };
}

/** How a run ended: the connection still open, or closed by the room for abuse. */
type Ending = "open" | "closed for abuse";

/**
 * Sends `frames` as fast as the socket takes them, then reads the answers in
 * order and checks each against the model; another user, in the room from
 * the start, must see exactly the broadcasts the model expects.
 */
async function runSequence(
  frames: readonly WireFrame[],
): Promise<{ model: RoomModel; room: string; client: TestClient; observer: TestClient; ending: Ending }> {
  const room = freshRoom();
  const observer = await connect(room, { name: "observer" });
  const client = await connect(room, { name: NAME });
  const model = new RoomModel(client);
  const reader = new FrameReader(client);
  const observed = new FrameReader(observer);
  expect(await observed.next()).toStrictEqual({ type: "join", user: client.user, online: 2 });
  const startedAt = Date.now();
  for (const frame of frames) client.sendRaw(frame.data);

  let pings = 0;
  let ending: Ending = "open";
  for (const { data: raw } of frames) {
    if (raw === "ping") {
      pings++;
      continue;
    }
    const outcome = contractOutcome(raw, LIMITS.maxFrameBytes);
    if (!outcome.ok) {
      const echo = outcome.ref === undefined ? {} : { ref: outcome.ref };
      expect(await reader.next()).toStrictEqual(errorFrame(outcome.code, outcome.id, echo));
      if (model.countError()) {
        ending = "closed for abuse";
        break;
      }
      continue;
    }
    if (await expectEffect(reader, model, outcome.frame)) {
      ending = "closed for abuse";
      break;
    }
  }

  if (ending === "closed for abuse") {
    expect(await closeOf(client)).toMatchObject({ code: 1008 });
  } else {
    // The answer to a last request proves the socket open and that nothing unexpected came before it.
    client.send({ type: "history", after: 0, limit: 100 });
    expect(await reader.next()).toStrictEqual(model.page({ after: 0, limit: 100 }));
    expect(reader.pongs).toBe(pings);
  }
  await expectObserved(observed, observer, model, ending, Date.now() - startedAt);
  return { model, room, client, observer, ending };
}

/**
 * Checks what the other user saw: the client's messages and renames in
 * order, its leave if the room closed it, and its typing relayed at most once
 * per interval (exactly once when the run is shorter than the interval).
 */
async function expectObserved(
  observed: FrameReader,
  observer: TestClient,
  model: RoomModel,
  ending: Ending,
  elapsedMs: number,
): Promise<void> {
  // The answer to the observer's own request comes after every broadcast sent to it before.
  observer.send({ type: "history", limit: 1 });
  const seen: ServerFrame[] = [];
  for (let frame = await observed.next(); frame.type !== "history"; frame = await observed.next()) seen.push(frame);
  const typing = seen.filter((frame) => frame.type === "typing");
  const expected = [...model.broadcasts];
  if (ending === "closed for abuse")
    expected.push({ type: "leave", user: { id: model.userId, name: model.name }, online: 1 });
  expect(seen.filter((frame) => frame.type !== "typing")).toStrictEqual(expected);
  for (const frame of typing) {
    expect(frame.user.id).toBe(model.userId);
    expect(model.names).toContain(frame.user.name);
  }
  const relaysAllowed = model.sentTyping ? 1 + Math.floor(elapsedMs / LIMITS.typingIntervalMs) : 0;
  expect(typing.length).toBeGreaterThanOrEqual(model.sentTyping ? 1 : 0);
  expect(typing.length).toBeLessThanOrEqual(relaysAllowed);
}

/** Checks the room's answer to a frame the contract accepts; true when an error took the connection over the abuse limit. */
async function expectEffect(reader: FrameReader, model: RoomModel, frame: ContractFrame): Promise<boolean> {
  switch (frame.type) {
    case "send":
      return expectSendEffect(reader, model, frame);
    case "typing":
      // Relayed to the other users only: the sender hears nothing back, which the final check confirms.
      model.sentTyping = true;
      return false;
    case "history":
      expect(await reader.next()).toStrictEqual(model.page(frame));
      return false;
    case "rename": {
      if (frame.name === model.name) return false;
      expect(await reader.next()).toStrictEqual({
        type: "rename",
        user: { id: model.userId, name: frame.name },
        previous: model.name,
      });
      model.rename(frame.name);
      return false;
    }
    case "edit":
    case "delete":
    case "react":
    case "search":
    case "read":
      // The random frames of this test are version 1's; the log of events has its own model test (model.test.ts).
      throw new Error(`this test does not generate \`${frame.type}\` frames`);
  }
}

async function expectSendEffect(
  reader: FrameReader,
  model: RoomModel,
  { id, text }: { id: string; text: string },
): Promise<boolean> {
  const first = await reader.next();
  if (first.type === "error") {
    expect(model.tokensTaken, "rate-limited within the burst").toBeGreaterThanOrEqual(LIMITS.sendBurst);
    expect(first).toStrictEqual(errorFrame("rate_limited", id, { retryAfter: expect.any(Number) }));
    expect(first.retryAfter).toBeGreaterThanOrEqual(1);
    expect(first.retryAfter).toBeLessThanOrEqual(Math.ceil(1000 / LIMITS.sendRatePerSecond));
    return model.countError();
  }
  model.tokensTaken++;
  const original = model.stored(id);
  if (original !== undefined) {
    // A resend: the original ack again, nothing stored.
    expect(first).toStrictEqual({ type: "ack", id, seq: original.seq, ts: original.ts });
    return false;
  }
  const second = await reader.next();
  const ack = ackOf(first.type === "ack" ? first : second);
  const broadcast = messageOf(first.type === "ack" ? second : first);
  const seq = model.messages.length + 1;
  const previousTs = model.messages.at(-1)?.ts ?? 0;
  expect(ack).toStrictEqual({ type: "ack", id, seq, ts: expect.any(Number) });
  expect(ack.ts).toBeGreaterThanOrEqual(previousTs);
  const message: Message = { seq, id, user: { id: model.userId, name: model.name }, text, ts: ack.ts };
  expect(broadcast).toStrictEqual({ type: "message", ...message });
  model.store(message);
  return false;
}

/**
 * A newcomer sees exactly the modelled history and who is online (a
 * connection closed for abuse has left), and the room still stores and acks.
 */
async function expectRoomIntact(room: string, model: RoomModel, ending: Ending): Promise<void> {
  // From an address of its own: a client closed for abuse bars new identities from its address for a while.
  const newcomer = await connect(room, { name: "newcomer", address: "198.51.100.1" });
  const reader = new FrameReader(newcomer);
  expect(newcomer.welcome.lastSeq).toBe(model.messages.length);
  // A welcome's history items carry their type; without `since`, each is a message.
  const welcomed = model.messages.slice(-WELCOME_HISTORY).map((message) => ({ type: "message", ...message }));
  expect(newcomer.welcome.history).toStrictEqual(welcomed);
  const you = { id: model.userId, name: model.name };
  // The observer is still there too.
  if (ending === "open") {
    expect(newcomer.welcome.onlineCount).toBe(3);
    expect(newcomer.welcome.online).toContainEqual(you);
  } else {
    expect(newcomer.welcome.onlineCount).toBe(2);
    expect(newcomer.welcome.online.map((user) => user.id)).not.toContain(you.id);
  }
  newcomer.send({ type: "history", after: 0, limit: 100 });
  expect(await reader.next()).toStrictEqual(model.page({ after: 0, limit: 100 }));
  newcomer.send({ type: "send", id: "after-the-run", text: "still here" });
  const frames = [await reader.next(), await reader.next()];
  expect(frames.map((frame) => frame.type).sort()).toStrictEqual(["ack", "message"]);
  expect(frames.find((frame) => frame.type === "ack")).toMatchObject({ seq: model.messages.length + 1 });
  newcomer.close();
}

describe("the room, under random frames", () => {
  it("answers every frame as the contract says, stores only valid sends, and stays open", async () => {
    await fc.assert(
      // One frame less than the burst leaves room for the final history request.
      fc.asyncProperty(
        fc.array(roomFrame, { minLength: 1, maxLength: LIMITS.frameBurst - 1, size: "max" }),
        async (frames) => {
          const { model, room, client, observer, ending } = await runSequence(frames);
          expect(ending).toBe("open");
          await expectRoomIntact(room, model, ending);
          client.close();
          observer.close();
        },
      ),
      { numRuns: 100, examples: [[EVERY_RULE], [OVER_THE_BURST]], ...BOUNDED },
    );
  }, 120_000);

  it("closes a connection with 1008 at the error after the abuse limit, ignores what follows, and the room carries on", async () => {
    const flood = fc
      .tuple(
        fc.array(roomFrame, { maxLength: 30, size: "max" }),
        fc.array(refusedFrame, { minLength: LIMITS.abuseErrorLimit + 1, maxLength: LIMITS.abuseErrorLimit + 10 }),
        fc.array(roomFrame, { maxLength: 10, size: "max" }),
      )
      .chain(([mixed, refused, after]) =>
        fc
          .shuffledSubarray([...mixed, ...refused], { minLength: mixed.length + refused.length })
          .map((shuffled) => [...shuffled, ...after]),
      );
    await fc.assert(
      fc.asyncProperty(flood, async (frames) => {
        const { model, room, observer, ending } = await runSequence(frames);
        expect(ending).toBe("closed for abuse");
        await expectRoomIntact(room, model, ending);
        observer.close();
      }),
      { numRuns: 25, examples: [[OVER_THE_ABUSE_LIMIT]], ...BOUNDED },
    );
  }, 120_000);
});
