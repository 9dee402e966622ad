/**
 * The load generator's own load while a figure is measured: its CPU (as a
 * fraction of one core) and its event-loop delay. When either is high, the
 * figure says more about this process than about the server, and the report
 * marks it.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

export interface GeneratorLoad {
  /** CPU time of this process over wall time: 1 is one core fully busy. */
  cpu: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
}

/** Above this CPU share a single-threaded generator cannot keep up with its own schedule. */
const BUSY_CPU = 0.8;
/** Event-loop delay above this share of a latency figure means the generator's queueing is part of it. */
const DELAY_SHARE = 0.25;

/** Starts measuring; the returned function stops and reports. */
export function watchGeneratorLoad(): () => GeneratorLoad {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  return () => {
    histogram.disable();
    const cpu = process.cpuUsage(cpuStart);
    const wallUs = (performance.now() - wallStart) * 1000;
    return {
      cpu: wallUs > 0 ? (cpu.user + cpu.system) / wallUs : 0,
      eventLoopDelayP99Ms: histogram.percentile(99) / 1e6,
      eventLoopDelayMaxMs: histogram.max / 1e6,
    };
  };
}

/**
 * Whether the generator, not the server, limited a figure: it was busy most
 * of the time, or (for a latency figure) its own event-loop delay was a
 * large share of the latency it measured.
 */
export function isGeneratorBound(load: GeneratorLoad, latencyP99Ms?: number): boolean {
  if (load.cpu >= BUSY_CPU) return true;
  return latencyP99Ms !== undefined && load.eventLoopDelayP99Ms >= DELAY_SHARE * latencyP99Ms;
}
