/**
 * Waits until the servers have finished the work an earlier run left behind
 * (closing a thousand sockets, draining a backlog of frames) so that it is
 * not charged to the next figure. Quiet means workerd's two processes and
 * the socket.io peer's together used under a tenth of a core over a short
 * interval; the wait is bounded, and its length reported.
 */
import { sleep } from "./pace.ts";
import { cpuTimeMs, type ServerProcesses } from "./server-process.ts";

const PROBE_MS = 250;
const QUIET_SHARE = 0.1;
const MAX_WAIT_MS = 20_000;

/** Resolves with how long it waited; after `MAX_WAIT_MS` it gives up and resolves anyway. */
export async function waitUntilQuiet({ workerd, socketIo }: ServerProcesses): Promise<number> {
  const start = performance.now();
  const busy = () => cpuTimeMs(workerd.runtime) + cpuTimeMs(workerd.proxy) + cpuTimeMs(socketIo);
  while (performance.now() - start < MAX_WAIT_MS) {
    const before = busy();
    await sleep(PROBE_MS);
    if (busy() - before < PROBE_MS * QUIET_SHARE) break;
  }
  return performance.now() - start;
}
