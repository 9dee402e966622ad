/**
 * Rooms: K rooms with a few clients each, every client keeping one message
 * in flight; the total acknowledged messages per second across all rooms.
 * Rooms are separate objects, so throughput should grow with K until the
 * runtime, not one room, is the limit.
 */
import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import type { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, openSockets, problemsOf } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import { distribution } from "../percentiles.ts";
import type { Target } from "../targets.ts";
import { closedLoop } from "./closed-loop.ts";

export async function runRooms(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const rooms of ctx.sizes.rooms.rooms) {
    for (const name of TARGET_ORDER) figures.push(await manyRooms(ctx, ctx.targets[name], rooms));
  }
  return figures;
}

async function manyRooms(ctx: BenchContext, target: Target, roomCount: number): Promise<Figure> {
  const { clientsPerRoom, durationMs } = ctx.sizes.rooms;
  const sockets: BenchSocket[] = [];
  const prefix = ctx.freshRoom("rooms");
  try {
    for (let r = 0; r < roomCount; r++) sockets.push(...(await openSockets(target, `${prefix}-${r}`, clientsPerRoom)));
  } catch (error) {
    await closeSockets(sockets);
    throw error;
  }
  const close = await ctx.measure(`rooms K=${roomCount}`, target.name);
  const result = await closedLoop(sockets, `${prefix}-`, durationMs);
  const window = await close();
  const problems = problemsOf(sockets);
  await closeSockets(sockets);
  const latencies = distribution(result.latencies);
  const figure: Figure = {
    scenario: "rooms",
    case: `K=${roomCount}`,
    target: target.name,
    metrics: {
      ackedPerSecond: (result.acked * 1000) / result.countedMs,
      operations: result.total,
      ackP50: latencies.p50,
      ackP99: latencies.p99,
    },
    violations: { stalled: result.stalled, invalidFrames: problems.invalidFrames, refused: problems.refusals },
    generator: { ...window.generator, bound: isGeneratorBound(window.generator) },
    serverCpuMs: window.serverCpuMs,
    proxyCpuMs: window.proxyCpuMs,
    wallMs: window.wallMs,
  };
  if (problems.last !== "") figure.note = problems.last;
  return figure;
}
