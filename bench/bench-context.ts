/**
 * What every scenario is given: the targets, the sizes, and a way to
 * measure a window (the generator's load, the target's server CPU time and,
 * with `--profile`, a CPU profile of the Worker isolate while the app runs).
 */
import { openWindow, type Window } from "./measure-window.ts";
import type { CpuProfiler, ProfileSummary } from "./profile/cpu-profiler.ts";
import type { InspectorSession } from "./profile/inspector-session.ts";
import type { Sizes } from "./profiles.ts";
import { waitUntilQuiet } from "./quiet-server.ts";
import type { ServerProcesses, WorkerdProcesses } from "./server-process.ts";
import type { Target, TargetName } from "./targets.ts";

export interface BenchContext {
  targets: Record<TargetName, Target>;
  /** The app with its sockets opened on relay `shard` of their room, whatever the room's size. */
  relayed(shard: number): Target;
  sizes: Sizes;
  workerd: WorkerdProcesses;
  /** The Worker isolate's JavaScript heap in use, in MiB. */
  heapUsedMiB(): Promise<number>;
  /**
   * Waits until the servers are quiet, then opens a measured window for `target`;
   * closing it returns what was measured.
   */
  measure(label: string, target: TargetName): Promise<() => Promise<Window>>;
  /** A room name no earlier run or scenario used. */
  freshRoom(label: string): string;
  log(line: string): void;
}

/**
 * The order targets run in: references around the app, so that drift on a
 * shared machine hits both sides, and the peers around those three.
 */
export const TARGET_ORDER: readonly TargetName[] = ["partyserver", "bare", "edgechat", "bare+sqlite", "socket.io"];

export interface ContextOptions {
  targets: Record<TargetName, Target>;
  relayed(shard: number): Target;
  sizes: Sizes;
  processes: ServerProcesses;
  inspector: InspectorSession;
  /** Profiles every window of the app when given; summaries are collected in `profiles`. */
  profiler: CpuProfiler | null;
  profiles: ProfileSummary[];
  log(line: string): void;
}

export function createContext(options: ContextOptions): BenchContext {
  const tag = Date.now().toString(36);
  let rooms = 0;
  const { profiler, profiles } = options;
  return {
    targets: options.targets,
    relayed: options.relayed,
    sizes: options.sizes,
    workerd: options.processes.workerd,
    heapUsedMiB: () => options.inspector.heapUsedMiB(),
    log: options.log,
    freshRoom: (label) => `bench-${tag}-${label}-${++rooms}`,
    async measure(label, target) {
      const waitedMs = await waitUntilQuiet(options.processes);
      if (waitedMs > 2000)
        options.log(`  waited ${(waitedMs / 1000).toFixed(1)} s for the servers to go quiet before ${label}`);
      const profiling = profiler !== null && target === "edgechat" ? profiler.start() : null;
      const close = openWindow(options.processes, options.targets[target].runsIn);
      return async () => {
        const window = close();
        if (profiling !== null && profiler !== null) {
          await profiling;
          profiles.push(await profiler.stop(label));
        }
        return window;
      };
    },
  };
}
