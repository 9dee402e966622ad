/**
 * Reactions: C clients, each its own user, in one room with M messages
 * (posted first); for the scenario's duration each client toggles its own
 * reactions on them, one `react` in flight, and applies every `reaction`
 * broadcast it receives to its own view. At the end every client must have
 * received every stored reaction once, in seq order, and its view must
 * equal the room's page. The references run the same loop with `send`
 * frames echoed to every socket: the floor of a room that fans every frame
 * out to C clients (and, for `bare+sqlite`, stores it first).
 */

import { CLIENT_FRAME, FRAME_LIMITS, type Message, SERVER_FRAME } from "../../protocol/frames.ts";
import { distribution } from "../../support/percentiles.ts";
import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import type { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, openSockets, problemsOf } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import { within } from "../pace.ts";
import { RAISED_RATE_PER_SECOND } from "../profiles.ts";
import type { Target } from "../targets.ts";
import { messageText } from "./message-text.ts";
import { Listener, reactionLoop } from "./reaction-loop.ts";
import { sameReactions } from "./reaction-view.ts";

/** How long setting up (the messages reaching everyone) and reading the page may take. */
const SETUP_TIMEOUT_MS = 10_000;
const PAGE_REF = "reactions-page";

export async function runReactions(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const name of TARGET_ORDER) figures.push(await reactions(ctx, ctx.targets[name]));
  return figures;
}

async function reactions(ctx: BenchContext, target: Target): Promise<Figure> {
  const { clients, messages, durationMs } = ctx.sizes.reactions;
  if (messages > FRAME_LIMITS.historyPageMax)
    throw new Error(`one page holds at most ${FRAME_LIMITS.historyPageMax} messages`);
  const label = `C=${clients}, M=${messages}`;
  const room = ctx.freshRoom("reactions");
  const sockets = await openSockets(target, room, clients);
  const [reader] = sockets;
  if (reader === undefined) throw new Error("the reactions scenario needs at least one client");
  const messageSeqs = target.speaksProtocol ? await postMessages(sockets, messages, `${room}-m`) : [];
  const listeners = sockets.map((socket) => new Listener(socket, messageSeqs));
  // What `retryAfter` says at most: one token's refill at the run's send and frame rates.
  const retryMs = Math.ceil(1000 / RAISED_RATE_PER_SECOND);

  const close = await ctx.measure(`reactions ${label}`, target.name);
  const result = await reactionLoop(listeners, { idPrefix: `${room}-r`, messageSeqs, durationMs, retryMs });
  const window = await close();
  const views = target.speaksProtocol
    ? await compareViews(reader, listeners, messageSeqs)
    : { mismatches: 0, first: "", largestCount: 0 };
  const problems = problemsOf(sockets);
  await closeSockets(sockets);

  const sum = (count: (listener: Listener) => number) => listeners.reduce((total, l) => total + count(l), 0);
  const latencies = distribution(result.latencies);
  const figure: Figure = {
    scenario: "reactions",
    case: label,
    target: target.name,
    metrics: {
      ackedPerSecond: (result.acked * 1000) / result.countedMs,
      deliveriesPerSecond: (result.deliveries * 1000) / result.countedMs,
      ackP50: latencies.p50,
      ackP99: latencies.p99,
      ackMax: latencies.max,
      operations: result.total,
      deliveries: sum((l) => l.heardCount),
      rateLimited: result.rateLimited,
      largestReactionCount: views.largestCount,
    },
    violations: {
      lost: sum((l) => l.missing(result.acknowledged)),
      duplicated: sum((l) => l.duplicated),
      reordered: sum((l) => l.reordered),
      strays: sum((l) => l.strays),
      viewMismatches: views.mismatches,
      unchanged: result.unchanged,
      stalled: result.stalled,
      invalidFrames: problems.invalidFrames,
      // A `rate_limited` refusal is the send rate at work, waited out and sent again.
      refused: problems.refusals - result.rateLimited,
    },
    generator: { ...window.generator, bound: isGeneratorBound(window.generator, latencies.p99) },
    serverCpuMs: window.serverCpuMs,
    proxyCpuMs: window.proxyCpuMs,
    wallMs: window.wallMs,
  };
  const notes = [result.settled ? "" : "not every client heard the last event", views.first, problems.last];
  const note = notes.filter((line) => line !== "").join("; ");
  if (note !== "") figure.note = note;
  return figure;
}

/** Posts `count` messages from the first socket and waits until every socket has them; their seqs, in order. */
async function postMessages(sockets: readonly BenchSocket[], count: number, prefix: string): Promise<number[]> {
  const seqs: number[] = [];
  let delivered = 0;
  let allDelivered = () => {};
  const done = new Promise<void>((resolve) => {
    allDelivered = resolve;
  });
  sockets.forEach((socket, s) => {
    socket.onFrame = (reading) => {
      if (reading.kind !== "delivery" || !reading.id.startsWith(prefix) || reading.seq === null) return;
      if (s === 0) seqs.push(reading.seq);
      if (++delivered === count * sockets.length) allDelivered();
    };
  });
  const [sender] = sockets;
  for (let i = 0; i < count; i++) sender?.send({ type: CLIENT_FRAME.send, id: `${prefix}${i}`, text: messageText(i) });
  if (!(await within(done, SETUP_TIMEOUT_MS))) {
    throw new Error(`${delivered} of ${count * sockets.length} message deliveries within ${SETUP_TIMEOUT_MS} ms`);
  }
  return seqs.sort((a, b) => a - b);
}

/**
 * Reads the room's page of the messages and counts the (client, message)
 * pairs whose view differs from it; the largest count on the page tells
 * whether the check reached past the 50 users a page lists.
 */
async function compareViews(
  reader: BenchSocket,
  listeners: readonly Listener[],
  messageSeqs: readonly number[],
): Promise<{ mismatches: number; first: string; largestCount: number }> {
  const page = new Map((await readPage(reader)).map((message) => [message.seq, message]));
  const counts = [...page.values()].flatMap((message) => (message.reactions ?? []).map((reaction) => reaction.count));
  let mismatches = 0;
  let first = "";
  listeners.forEach((listener, c) => {
    for (const seq of messageSeqs) {
      const mine = listener.view.reactionsOf(seq);
      const room = page.get(seq)?.reactions ?? [];
      if (page.has(seq) && sameReactions(mine, room)) continue;
      mismatches++;
      if (first === "") {
        first = `client ${c}, message ${seq}: view ${JSON.stringify(mine)} vs page ${JSON.stringify(room)}`.slice(
          0,
          600,
        );
      }
    }
  });
  return { mismatches, first, largestCount: Math.max(0, ...counts) };
}

/** The oldest page of the room: every message of the scenario, which posts at most a page of them. */
function readPage(socket: BenchSocket): Promise<Message[]> {
  const page = new Promise<Message[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no history page within ${SETUP_TIMEOUT_MS} ms`)),
      SETUP_TIMEOUT_MS,
    );
    socket.onFrame = (reading) => {
      if (reading.kind === "other" && reading.frame.type === SERVER_FRAME.history && reading.frame.ref === PAGE_REF) {
        clearTimeout(timer);
        resolve(reading.frame.messages);
      }
    };
  });
  socket.send({ type: CLIENT_FRAME.history, ref: PAGE_REF, after: 0, limit: FRAME_LIMITS.historyPageMax });
  return page;
}
