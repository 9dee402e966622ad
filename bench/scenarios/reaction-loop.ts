/**
 * The measured loop of the reactions scenario: every client keeps one frame
 * in flight for the scenario's duration and hears everyone's. Against the
 * app the frame is a `react` that toggles one of the client's own reactions,
 * answered by its `ack`, and every client applies each `reaction` broadcast
 * to its own view; against a reference it is a `send`, answered by its own
 * echo, and every echo is a delivery to every client. Rates and latency are
 * counted after a warm-up, over a fixed window, as in the closed loop of
 * ingest; after the last answer the loop waits for every client to hear the
 * last acknowledged event.
 */
import { CLIENT_FRAME, type ClientFrame, ERROR_CODE, SERVER_FRAME } from "../../protocol/frames.ts";
import type { BenchSocket } from "../client/bench-socket.ts";
import type { FrameReading } from "../client/read-frame.ts";
import { waitFor, within } from "../pace.ts";
import { messageText } from "./message-text.ts";
import { ReactionView } from "./reaction-view.ts";

/** The emoji the clients toggle. */
export const REACTION_EMOJI = ["👍", "🎉", "❤️"] as const;
/**
 * The share of reacts that toggle the first emoji on the first message, so
 * that its count passes the 50 users a page lists: the views are then
 * checked where the room stops listing users, and where a removal lets an
 * unlisted user into the list.
 */
const HOT_SHARE = 0.5;
/** How long the last answers, then the last broadcasts, may take once the loop has stopped sending. */
const DRAIN_MS = 5000;

/** What one client heard: each event (the app's, by seq) or echo (a reference's, by id) once, in order, and its view. */
export class Listener {
  readonly socket: BenchSocket;
  readonly view: ReactionView;
  readonly #heard = new Set<number | string>();
  /** The newest seq heard (the app's); events must come in seq order. */
  newest = 0;
  duplicated = 0;
  reordered = 0;
  /** Broadcasts the view could not apply: about a message it does not hold, or changing nothing. */
  strays = 0;

  constructor(socket: BenchSocket, messageSeqs: readonly number[]) {
    this.socket = socket;
    this.view = new ReactionView(messageSeqs);
  }

  get heardCount(): number {
    return this.#heard.size;
  }

  /** Records one event or echo; false when it was heard before. */
  hear(key: number | string): boolean {
    if (this.#heard.has(key)) {
      this.duplicated++;
      return false;
    }
    this.#heard.add(key);
    if (typeof key === "number") {
      if (key < this.newest) this.reordered++;
      else this.newest = key;
    }
    return true;
  }

  /** Of `keys`, how many this client never heard. */
  missing(keys: readonly (number | string)[]): number {
    return keys.reduce((sum: number, key) => sum + (this.#heard.has(key) ? 0 : 1), 0);
  }
}

export interface ReactionLoopResult {
  /** Frames stored (the app) or echoed (a reference) and acknowledged inside the counted window. */
  acked: number;
  /** Deliveries to all clients inside the counted window. */
  deliveries: number;
  /** Round trips (send to acknowledgement) of the frames sent inside the counted window, in ms. */
  latencies: number[];
  countedMs: number;
  /** Every acknowledgement of a stored (or echoed) frame, warm-up included. */
  total: number;
  /** What each acknowledgement named: a seq the app stored, or the id a reference echoed. */
  acknowledged: (number | string)[];
  /** Clients whose last frame was never answered. */
  stalled: number;
  /** `rate_limited` refusals, each followed by the same frame again once the send rate allows it. */
  rateLimited: number;
  /** `react` frames answered `unchanged`: the room disagreed with what this user's own acks said they had. */
  unchanged: number;
  /** Whether every client heard the last acknowledged event within the drain. */
  settled: boolean;
}

export interface ReactionLoopCase {
  /** Prefix of the client ids the loop sends, unique to the run. */
  idPrefix: string;
  /** The seqs of the messages to react to (none for a reference). */
  messageSeqs: readonly number[];
  durationMs: number;
  /** How long a client waits after `rate_limited` before it sends the frame again. */
  retryMs: number;
}

export async function reactionLoop(
  listeners: readonly Listener[],
  { idPrefix, messageSeqs, durationMs, retryMs }: ReactionLoopCase,
): Promise<ReactionLoopResult> {
  const start = performance.now();
  const countFrom = start + Math.min(1000, durationMs * 0.2);
  const end = start + durationMs;
  const result: ReactionLoopResult = {
    acked: 0,
    deliveries: 0,
    latencies: [],
    countedMs: end - countFrom,
    total: 0,
    acknowledged: [],
    stalled: 0,
    rateLimited: 0,
    unchanged: 0,
    settled: false,
  };
  let running = listeners.length;
  let allStopped = () => {};
  const stopped = new Promise<void>((resolve) => {
    allStopped = resolve;
  });
  const delivered = (at: number) => {
    if (at >= countFrom && at <= end) result.deliveries++;
  };

  listeners.forEach((listener, c) => {
    const { socket } = listener;
    const speaksProtocol = socket.target.speaksProtocol;
    /** This user's own reactions, as its stored acks say: `${target} ${emoji}`. */
    const mine = new Set<string>();
    let sent = 0;
    let pending: ClientFrame | null = null;
    let sentAt = 0;
    const sendNext = () => {
      const id = `${idPrefix}${c}-${sent++}`;
      pending = speaksProtocol
        ? toggle(id, messageSeqs, mine)
        : { type: CLIENT_FRAME.send, id, text: messageText(sent) };
      sentAt = performance.now();
      socket.send(pending);
    };
    const answered = (at: number, key: number | string | null) => {
      if (key !== null) {
        result.total++;
        result.acknowledged.push(key);
        if (at >= countFrom && at <= end) result.acked++;
      }
      if (sentAt >= countFrom && at <= end) result.latencies.push(at - sentAt);
      if (at < end) {
        sendNext();
      } else {
        pending = null;
        if (--running === 0) allStopped();
      }
    };
    const onEcho = (reading: FrameReading, at: number) => {
      if (reading.kind !== "delivery" || !reading.id.startsWith(idPrefix) || !listener.hear(reading.id)) return;
      delivered(at);
      if (pending?.type === CLIENT_FRAME.send && reading.id === pending.id) answered(at, reading.id);
    };
    const onAppFrame = (reading: FrameReading, at: number) => {
      const frame = pending;
      if (reading.kind === "other" && reading.frame.type === SERVER_FRAME.reaction) {
        if (!listener.hear(reading.frame.seq)) return;
        delivered(at);
        if (!listener.view.apply(reading.frame)) listener.strays++;
      } else if (frame?.type !== CLIENT_FRAME.react) {
        return;
      } else if (reading.kind === "ack" && reading.id === frame.id) {
        toggleMine(mine, frame.target, frame.emoji);
        answered(at, reading.seq);
      } else if (reading.kind === "other" && reading.frame.type === SERVER_FRAME.ack && reading.frame.id === frame.id) {
        // A stored ack is read as "ack"; this is the `unchanged` one, which stored nothing.
        result.unchanged++;
        answered(at, null);
      } else if (reading.kind === "error" && reading.code === ERROR_CODE.rateLimited) {
        // One frame is in flight, so the refusal is its: the same id again is safe (a refused frame stored nothing).
        result.rateLimited++;
        setTimeout(() => socket.send(frame), retryMs);
      } else if (reading.kind === "error") {
        // Any other refusal is counted by the socket and breaks the run; the loop goes on without it.
        answered(at, null);
      }
    };
    socket.onFrame = speaksProtocol ? onAppFrame : onEcho;
    sendNext();
  });

  await within(stopped, durationMs + DRAIN_MS);
  result.stalled = running;
  const lastSeq = result.acknowledged.reduce(
    (max: number, key) => (typeof key === "number" && key > max ? key : max),
    0,
  );
  const caughtUp = (listener: Listener) =>
    listener.socket.target.speaksProtocol ? listener.newest >= lastSeq : listener.heardCount >= result.total;
  result.settled = await waitFor(() => listeners.every(caughtUp), DRAIN_MS);
  return result;
}

/** A `react` that toggles one of this user's reactions; half of them the hot one (first emoji, first message). */
function toggle(id: string, messageSeqs: readonly number[], mine: ReadonlySet<string>): ClientFrame {
  const hot = Math.random() < HOT_SHARE;
  const target = itemAt(messageSeqs, hot ? 0 : randomIndex(messageSeqs.length));
  const emoji = itemAt(REACTION_EMOJI, hot ? 0 : randomIndex(REACTION_EMOJI.length));
  return { type: CLIENT_FRAME.react, id, target, emoji, on: !mine.has(`${target} ${emoji}`) };
}

function toggleMine(mine: Set<string>, target: number, emoji: string): void {
  const key = `${target} ${emoji}`;
  if (!mine.delete(key)) mine.add(key);
}

function randomIndex(length: number): number {
  return Math.floor(Math.random() * length);
}

function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index} of ${items.length} to react with`);
  return item;
}
