/**
 * Connect storm: C clients open sockets to one fresh room at the same
 * moment. Each client's time runs from the storm's start to its welcome
 * (for a reference or partyserver, to its open socket; for socket.io, to
 * its namespace's connect); the last one is the time until all are in.
 */

import { distribution } from "../../support/percentiles.ts";
import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, problemsOf } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import type { Window } from "../measure-window.ts";
import type { Target } from "../targets.ts";

const STORM_TIMEOUT_MS = 60_000;

export async function runConnectStorm(ctx: BenchContext): Promise<Figure[]> {
  const { clients, repeats } = ctx.sizes.connectStorm;
  const runs = new Map<Target, Storm[]>();
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const name of TARGET_ORDER) {
      const target = ctx.targets[name];
      runs.set(target, [...(runs.get(target) ?? []), await storm(ctx, target, clients)]);
    }
  }
  return [...runs].map(([target, storms]) => summarise(target, clients, storms));
}

interface Storm {
  readyMs: number[];
  failed: number;
  invalidFrames: number;
  refused: number;
  note: string;
  window: Window;
}

async function storm(ctx: BenchContext, target: Target, clients: number): Promise<Storm> {
  const room = ctx.freshRoom("storm");
  const close = await ctx.measure(`connect storm C=${clients}`, target.name);
  const start = performance.now();
  const opened = await Promise.allSettled(
    Array.from({ length: clients }, () => BenchSocket.open(target, room, { timeoutMs: STORM_TIMEOUT_MS })),
  );
  const window = await close();
  const sockets = opened.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = opened.find((result) => result.status === "rejected");
  const problems = problemsOf(sockets);
  await closeSockets(sockets);
  return {
    readyMs: sockets.map((socket) => socket.readyAt - start),
    failed: clients - sockets.length,
    invalidFrames: problems.invalidFrames,
    refused: problems.refusals,
    note: failure === undefined ? problems.last : String(failure.reason),
    window,
  };
}

/** Pools every client of every repeat into one distribution; load figures are the worst repeat's. */
function summarise(target: Target, clients: number, storms: Storm[]): Figure {
  const ready = distribution(storms.flatMap((run) => run.readyMs));
  const worst = storms.reduce((a, b) => (b.window.generator.cpu > a.window.generator.cpu ? b : a));
  const sum = (pick: (run: Storm) => number) => storms.reduce((total, run) => total + pick(run), 0);
  const figure: Figure = {
    scenario: "connect-storm",
    case: `C=${clients}`,
    target: target.name,
    metrics: {
      allReadyMs: Math.max(...storms.map((run) => Math.max(...run.readyMs))),
      p50: ready.p50,
      p99: ready.p99,
      repeats: storms.length,
      operations: clients,
    },
    violations: {
      failed: sum((run) => run.failed),
      invalidFrames: sum((run) => run.invalidFrames),
      refused: sum((run) => run.refused),
    },
    generator: { ...worst.window.generator, bound: isGeneratorBound(worst.window.generator, ready.p99) },
    serverCpuMs: sum((run) => run.window.serverCpuMs) / storms.length,
    proxyCpuMs: storms.every((run) => run.window.proxyCpuMs !== null)
      ? sum((run) => run.window.proxyCpuMs ?? 0) / storms.length
      : null,
    wallMs: sum((run) => run.window.wallMs) / storms.length,
  };
  const note = storms.map((run) => run.note).find((text) => text !== "");
  if (note !== undefined) figure.note = note;
  return figure;
}
