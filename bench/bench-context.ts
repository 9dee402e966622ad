/**
 * What every scenario is given: the targets, the sizes, and a way to
 * measure a window (the generator's load, workerd's CPU time and, with
 * `--profile`, a CPU profile of the Worker isolate while the app runs).
 */
import { openWindow, type Window } from "./measure-window.ts";
import type { CpuProfiler, ProfileSummary } from "./profile/cpu-profiler.ts";
import type { InspectorSession } from "./profile/inspector-session.ts";
import type { Sizes } from "./profiles.ts";
import { waitUntilQuiet } from "./quiet-server.ts";
import type { WorkerdProcesses } from "./server-process.ts";
import type { Target, TargetName } from "./targets.ts";

export interface BenchContext {
  targets: Record<TargetName, Target>;
  sizes: Sizes;
  workerd: WorkerdProcesses;
  /** The Worker isolate's JavaScript heap in use, in MiB. */
  heapUsedMiB(): Promise<number>;
  /**
   * Waits until workerd is quiet, then opens a measured window for `target`;
   * closing it returns what was measured.
   */
  measure(label: string, target: TargetName): Promise<() => Promise<Window>>;
  /** A room name no earlier run or scenario used. */
  freshRoom(label: string): string;
  log(line: string): void;
}

/** The order targets run in: references around the app, so that drift on a shared machine hits both sides. */
export const TARGET_ORDER: readonly TargetName[] = ["bare", "edgechat", "bare+sqlite"];

export interface ContextOptions {
  targets: Record<TargetName, Target>;
  sizes: Sizes;
  workerd: WorkerdProcesses;
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
    sizes: options.sizes,
    workerd: options.workerd,
    heapUsedMiB: () => options.inspector.heapUsedMiB(),
    log: options.log,
    freshRoom: (label) => `bench-${tag}-${label}-${++rooms}`,
    async measure(label, target) {
      const waitedMs = await waitUntilQuiet(options.workerd);
      if (waitedMs > 2000)
        options.log(`  waited ${(waitedMs / 1000).toFixed(1)} s for workerd to go quiet before ${label}`);
      const profiling = profiler !== null && target === "edgechat" ? profiler.start() : null;
      const close = openWindow(options.workerd);
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
