/**
 * Brackets the measured part of a scenario: the generator's load and the
 * CPU time of the target's server processes over exactly that window (for
 * a target in workerd, its runtime and wrangler's proxy; for socket.io, its
 * Node process, which no proxy stands in front of).
 */
import { type GeneratorLoad, watchGeneratorLoad } from "./generator-load.ts";
import { cpuTimeMs, type ServerProcesses } from "./server-process.ts";
import type { Target } from "./targets.ts";

export interface Window {
  generator: GeneratorLoad;
  serverCpuMs: number;
  /** Null for a target that no proxy forwards to. */
  proxyCpuMs: number | null;
  wallMs: number;
}

/** Starts a window; the returned function closes it. */
export function openWindow(processes: ServerProcesses, runsIn: Target["runsIn"]): () => Window {
  const server = runsIn === "workerd" ? processes.workerd.runtime : processes.socketIo;
  const proxy = runsIn === "workerd" ? processes.workerd.proxy : null;
  const stopGenerator = watchGeneratorLoad();
  const serverStart = cpuTimeMs(server);
  const proxyStart = proxy === null ? 0 : cpuTimeMs(proxy);
  const wallStart = performance.now();
  return () => ({
    generator: stopGenerator(),
    serverCpuMs: cpuTimeMs(server) - serverStart,
    proxyCpuMs: proxy === null ? null : cpuTimeMs(proxy) - proxyStart,
    wallMs: performance.now() - wallStart,
  });
}
