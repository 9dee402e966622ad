/**
 * Many sockets opened and closed together. Opening is paced (a bounded number
 * in flight) wherever a scenario only needs the sockets, so that setting up a
 * room of listeners is not itself a connection storm.
 */
import type { Target } from "../targets.ts";
import { BenchSocket, type OpenOptions } from "./bench-socket.ts";

/** Sockets opened at once while setting a scenario up. */
const SETUP_CONCURRENCY = 50;

/** Opens `count` sockets to `room`, at most `SETUP_CONCURRENCY` at a time. */
export async function openSockets(
  target: Target,
  room: string,
  count: number,
  options: OpenOptions = {},
): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = [];
  for (let start = 0; start < count; start += SETUP_CONCURRENCY) {
    const wave = Math.min(SETUP_CONCURRENCY, count - start);
    const opened = await Promise.allSettled(
      Array.from({ length: wave }, () => BenchSocket.open(target, room, options)),
    );
    for (const result of opened) if (result.status === "fulfilled") sockets.push(result.value);
    const failed = opened.find((result) => result.status === "rejected");
    if (failed !== undefined) {
      await closeSockets(sockets);
      throw failed.reason;
    }
  }
  return sockets;
}

export async function closeSockets(sockets: readonly BenchSocket[]): Promise<void> {
  await Promise.all(sockets.map((socket) => socket.close()));
}

/** Frames that broke the contract or were refused, over a set of sockets, with the last problem seen. */
export function problemsOf(sockets: readonly BenchSocket[]): { invalidFrames: number; refusals: number; last: string } {
  let invalidFrames = 0;
  let refusals = 0;
  let last = "";
  for (const socket of sockets) {
    invalidFrames += socket.invalidFrames;
    refusals += socket.refusals;
    if (socket.lastProblem !== "") last = socket.lastProblem;
  }
  return { invalidFrames, refusals, last };
}
