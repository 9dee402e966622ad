/**
 * Fan-out: one sender at a fixed rate, R listeners in one room, on every
 * target. Every (listener, message) pair is a latency sample; a listener
 * that misses a message, sees one twice, or sees them out of order is a
 * violation (fan-out-measure.ts).
 */

import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, openSockets } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import type { Target } from "../targets.ts";
import { measureFanOut, messagesAt } from "./fan-out-measure.ts";

export async function runFanOut(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const { listeners, ratePerSecond } of ctx.sizes.fanOut.cases) {
    for (const name of TARGET_ORDER) figures.push(await fanOut(ctx, ctx.targets[name], listeners, ratePerSecond));
  }
  return figures;
}

async function fanOut(ctx: BenchContext, target: Target, listenerCount: number, ratePerSecond: number) {
  const room = ctx.freshRoom("fan-out");
  const listeners = await openSockets(target, room, listenerCount);
  const sender = await BenchSocket.open(target, room);
  const figure = await measureFanOut(ctx, {
    scenario: "fan-out",
    case: `R=${listenerCount} at ${ratePerSecond}/s`,
    target,
    listeners,
    sender,
    messages: messagesAt(ratePerSecond, ctx.sizes.fanOut.durationMs),
    ratePerSecond,
    prefix: `${room}-`,
  });
  await closeSockets([...listeners, sender]);
  return figure;
}
