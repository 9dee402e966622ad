/**
 * Starts the benchmark's deployment (the app plus the reference rooms, as
 * snapshotted by snapshot-worker.ts) with `wrangler dev` on 127.0.0.1, through the same
 * harness the end-to-end tests use, and finds what the benchmark reads
 * besides its sockets: workerd's pid and the inspector's port.
 */
import { readFileSync } from "node:fs";
import { type DevServer, startDevServer } from "../support/dev-server.ts";
import { sleep } from "./pace.ts";
import { findWorkerd, type WorkerdProcesses } from "./server-process.ts";

export interface BenchServer {
  server: DevServer;
  workerd: WorkerdProcesses;
  inspectorPort: number;
}

const STABLE_FOR_MS = 3000;
const STABLE_PROBE_MS = 250;
const SETTLE_TIMEOUT_MS = 30_000;

/** Starts wrangler dev with `config` (relative to the project root) and the vars of the run. */
export async function startBenchServer(config: string, vars: Record<string, number>): Promise<BenchServer> {
  const server = await startDevServer({ config, vars });
  try {
    return { server, workerd: await settledWorkerd(server.pid), inspectorPort: inspectorPortOf(server.pid) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * wrangler replaces the runtime process once more shortly after it first
 * answers, so the processes are taken only once the same pair has been seen
 * for a while.
 */
async function settledWorkerd(groupId: number): Promise<WorkerdProcesses> {
  let last = findWorkerd(groupId);
  let sameSince = performance.now();
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  while (performance.now() - sameSince < STABLE_FOR_MS) {
    if (performance.now() > deadline) throw new Error("wrangler kept restarting workerd");
    await sleep(STABLE_PROBE_MS);
    const now = findWorkerd(groupId);
    if (now.runtime !== last.runtime || now.proxy !== last.proxy) {
      last = now;
      sameSince = performance.now();
    }
  }
  return last;
}

/** The harness picks the inspector port itself; it is on wrangler's command line. */
function inspectorPortOf(pid: number): number {
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const port = Number(args[args.indexOf("--inspector-port") + 1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error("wrangler was started without --inspector-port");
  return port;
}
