/**
 * One sender's messages to a set of listeners, measured as one figure:
 * every (listener, message) pair is a latency sample; a listener that
 * misses a message, sees one twice, or sees them out of order is a
 * violation. The scenarios that use it open the sockets (in one room, or
 * across its relays) and close them; this sends, reads and counts.
 */

import { distribution } from "../../support/percentiles.ts";
import type { BenchContext } from "../bench-context.ts";
import type { BenchSocket } from "../client/bench-socket.ts";
import { problemsOf } from "../client/socket-group.ts";
import type { Figure, ScenarioName } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import { atRate, within } from "../pace.ts";
import type { Target } from "../targets.ts";
import { messageText } from "./message-text.ts";

/** How long listeners may take to receive the last message after it was sent. */
const DRAIN_MS = 5000;

export interface FanOutLoad {
  scenario: ScenarioName;
  /** The figure's case, e.g. `R=1000 at 30/s`. */
  case: string;
  /** The target the figure is of, whose server's CPU time is measured. */
  target: Target;
  listeners: readonly BenchSocket[];
  /** Its own socket; it is not one of the listeners. */
  sender: BenchSocket;
  messages: number;
  ratePerSecond: number;
  /** Every message's id is `<prefix><index>`; a delivery with any other id is a stranger. */
  prefix: string;
}

/** The messages a sender at `ratePerSecond` sends in `durationMs`, at least one. */
export function messagesAt(ratePerSecond: number, durationMs: number): number {
  return Math.max(1, Math.round((ratePerSecond * durationMs) / 1000));
}

/** Sends `load.messages` at `load.ratePerSecond` and waits a bounded time for every listener to have them all. */
export async function measureFanOut(ctx: BenchContext, load: FanOutLoad): Promise<Figure> {
  const { listeners, sender, messages: total, ratePerSecond, prefix } = load;
  const listenerCount = listeners.length;
  const sentAt = new Float64Array(total).fill(Number.NaN);
  const latency = new Float64Array(listenerCount * total).fill(Number.NaN);
  const expected = listenerCount * total;
  let received = 0;
  let duplicated = 0;
  let reordered = 0;
  let strangers = 0;
  let allReceived = () => {};
  const done = new Promise<void>((resolve) => {
    allReceived = resolve;
  });
  listeners.forEach((socket, listener) => {
    let newest = -1;
    socket.onFrame = (reading, at) => {
      if (reading.kind !== "delivery") return;
      const index = reading.id.startsWith(prefix) ? Number(reading.id.slice(prefix.length)) : Number.NaN;
      if (!(index >= 0 && index < total)) {
        strangers++;
        return;
      }
      const slot = listener * total + index;
      if (!Number.isNaN(latency[slot] ?? Number.NaN)) {
        duplicated++;
        return;
      }
      latency[slot] = at - (sentAt[index] ?? Number.NaN);
      if (index < newest) reordered++;
      else newest = index;
      if (++received === expected) allReceived();
    };
  });

  const close = await ctx.measure(`${load.scenario} ${load.case}`, load.target.name);
  await atRate(total, ratePerSecond, (i) => {
    sentAt[i] = performance.now();
    sender.send({ type: "send", id: `${prefix}${i}`, text: messageText(i) });
  });
  await within(done, DRAIN_MS);
  const window = await close();
  const problems = problemsOf([...listeners, sender]);

  const samples = latency.filter((value) => !Number.isNaN(value));
  const latencies = distribution(samples);
  const figure: Figure = {
    scenario: load.scenario,
    case: load.case,
    target: load.target.name,
    metrics: {
      ...latencies,
      messages: total,
      operations: received,
      offeredPerSecond: listenerCount * ratePerSecond,
      deliveriesPerSecond: (received * 1000) / window.wallMs,
    },
    violations: {
      lost: expected - received,
      duplicated,
      reordered,
      strangers,
      invalidFrames: problems.invalidFrames,
      refused: problems.refusals,
    },
    generator: { ...window.generator, bound: isGeneratorBound(window.generator, latencies.p99) },
    serverCpuMs: window.serverCpuMs,
    proxyCpuMs: window.proxyCpuMs,
    wallMs: window.wallMs,
  };
  if (problems.last !== "") figure.note = problems.last;
  return figure;
}
