/** Ingest: S senders in one room, each keeping one message in flight; acknowledged messages per second. */
import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import { closeSockets, openSockets, problemsOf } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import { distribution } from "../percentiles.ts";
import type { Target } from "../targets.ts";
import { closedLoop } from "./closed-loop.ts";

export async function runIngest(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const name of TARGET_ORDER) figures.push(await ingest(ctx, ctx.targets[name]));
  return figures;
}

async function ingest(ctx: BenchContext, target: Target): Promise<Figure> {
  const { senders, durationMs } = ctx.sizes.ingest;
  const room = ctx.freshRoom("ingest");
  const sockets = await openSockets(target, room, senders);
  const close = await ctx.measure(`ingest S=${senders}`, target.name);
  const result = await closedLoop(sockets, `${room}-`, durationMs);
  const window = await close();
  const problems = problemsOf(sockets);
  await closeSockets(sockets);
  const latencies = distribution(result.latencies);
  const figure: Figure = {
    scenario: "ingest",
    case: `S=${senders}`,
    target: target.name,
    metrics: {
      ackedPerSecond: (result.acked * 1000) / result.countedMs,
      operations: result.total,
      ackP50: latencies.p50,
      ackP99: latencies.p99,
      ackMax: latencies.max,
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
