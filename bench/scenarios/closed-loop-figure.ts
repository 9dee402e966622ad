/**
 * The measured closed loop that ingest and rooms share: every socket keeps
 * one message in flight for the scenario's duration, inside a measured
 * window; the result is acknowledged messages per second and ack latency.
 */

import { distribution } from "../../support/percentiles.ts";
import type { BenchContext } from "../bench-context.ts";
import type { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, problemsOf } from "../client/socket-group.ts";
import type { Figure, ScenarioName } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import type { Target } from "../targets.ts";
import { closedLoop } from "./closed-loop.ts";

export interface ClosedLoopCase {
  scenario: ScenarioName;
  /** The case's label, as `S=10` or `K=100`. */
  label: string;
  /** Prefix of the client ids the loop sends, unique to the run. */
  idPrefix: string;
  durationMs: number;
  /** Called once the loop has ended, before its sockets close. */
  ended?: () => Promise<void>;
}

/** Runs the loop over `sockets` (closing them afterwards) and reports it as a figure. */
export async function measureClosedLoop(
  ctx: BenchContext,
  target: Target,
  sockets: readonly BenchSocket[],
  { scenario, label, idPrefix, durationMs, ended }: ClosedLoopCase,
): Promise<Figure> {
  const close = await ctx.measure(`${scenario} ${label}`, target.name);
  const result = await closedLoop(sockets, idPrefix, durationMs);
  const window = await close();
  await ended?.();
  const problems = problemsOf(sockets);
  await closeSockets(sockets);
  const latencies = distribution(result.latencies);
  const figure: Figure = {
    scenario,
    case: label,
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
