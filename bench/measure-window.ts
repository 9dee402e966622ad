/**
 * Brackets the measured part of a scenario: the generator's load and the
 * CPU time of both workerd processes over exactly that window.
 */
import { type GeneratorLoad, watchGeneratorLoad } from "./generator-load.ts";
import { cpuTimeMs, type WorkerdProcesses } from "./server-process.ts";

export interface Window {
  generator: GeneratorLoad;
  serverCpuMs: number;
  proxyCpuMs: number;
  wallMs: number;
}

/** Starts a window; the returned function closes it. */
export function openWindow(workerd: WorkerdProcesses): () => Window {
  const stopGenerator = watchGeneratorLoad();
  const serverStart = cpuTimeMs(workerd.runtime);
  const proxyStart = cpuTimeMs(workerd.proxy);
  const wallStart = performance.now();
  return () => ({
    generator: stopGenerator(),
    serverCpuMs: cpuTimeMs(workerd.runtime) - serverStart,
    proxyCpuMs: cpuTimeMs(workerd.proxy) - proxyStart,
    wallMs: performance.now() - wallStart,
  });
}
