/**
 * Fan-out: one sender at a fixed rate, R listeners in one room. Every
 * (listener, message) pair is a latency sample; a listener that misses a
 * message, sees one twice, or sees them out of order is a violation.
 */

import { distribution } from "../../support/percentiles.ts";
import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, openSockets, problemsOf } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import { atRate, within } from "../pace.ts";
import type { Target } from "../targets.ts";
import { messageText } from "./message-text.ts";

/** How long listeners may take to receive the last message after it was sent. */
const DRAIN_MS = 5000;

export async function runFanOut(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const { listeners, ratePerSecond } of ctx.sizes.fanOut.cases) {
    for (const name of TARGET_ORDER) figures.push(await fanOut(ctx, ctx.targets[name], listeners, ratePerSecond));
  }
  return figures;
}

async function fanOut(ctx: BenchContext, target: Target, listenerCount: number, ratePerSecond: number) {
  const { durationMs } = ctx.sizes.fanOut;
  const label = `R=${listenerCount} at ${ratePerSecond}/s`;
  const room = ctx.freshRoom("fan-out");
  const listeners = await openSockets(target, room, listenerCount);
  const sender = await BenchSocket.open(target, room);
  const total = Math.max(1, Math.round((ratePerSecond * durationMs) / 1000));
  const prefix = `${room}-`;
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

  const close = await ctx.measure(`fan-out ${label}`, target.name);
  await atRate(total, ratePerSecond, (i) => {
    sentAt[i] = performance.now();
    sender.send({ type: "send", id: `${prefix}${i}`, text: messageText(i) });
  });
  await within(done, DRAIN_MS);
  const window = await close();
  const problems = problemsOf([...listeners, sender]);
  await closeSockets([...listeners, sender]);

  const samples = latency.filter((value) => !Number.isNaN(value));
  const latencies = distribution(samples);
  const figure: Figure = {
    scenario: "fan-out",
    case: label,
    target: target.name,
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
