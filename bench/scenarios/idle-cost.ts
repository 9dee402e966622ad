/**
 * Idle cost: the resident memory of both workerd processes (the runtime
 * that holds the room, and wrangler's proxy that holds the client side of
 * every socket) with N open sockets in one room,
 * while the room is awake and again after it has been left idle long enough
 * to hibernate. The round trip of the first message after the wait, against
 * one while awake, shows whether the room really was evicted (a woken room
 * runs its constructor and rebuilds presence from N socket attachments).
 */
import type { BenchContext } from "../bench-context.ts";
import type { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, openSockets, problemsOf } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import { sleep, within } from "../pace.ts";
import { residentMiB } from "../server-process.ts";

/** Lets the messages of the last round trip reach every socket before memory is read. */
const SETTLE_MS = 1000;
const ROUND_TRIP_TIMEOUT_MS = 30_000;

export async function runIdleCost(ctx: BenchContext): Promise<Figure[]> {
  const { sockets: count, hibernateWaitMs } = ctx.sizes.idleCost;
  const target = ctx.targets.edgechat;
  const room = ctx.freshRoom("idle");
  const memory = async () => ({
    runtime: residentMiB(ctx.workerd.runtime),
    proxy: residentMiB(ctx.workerd.proxy),
    heap: await ctx.heapUsedMiB(),
  });
  const baseline = await memory();
  const sockets = await openSockets(target, room, count);
  const [sender] = sockets;
  if (sender === undefined) throw new Error("idle cost needs at least one socket");
  const close = await ctx.measure(`idle cost N=${count}`, target.name);
  await roundTrip(sender, `${room}-warm-up`);
  const warmMs = await roundTrip(sender, `${room}-warm`);
  await sleep(SETTLE_MS);
  const awake = await memory();
  await sleep(hibernateWaitMs);
  const idle = await memory();
  const wakeMs = await roundTrip(sender, `${room}-wake`);
  const window = await close();
  const problems = problemsOf(sockets);
  await closeSockets(sockets);
  const perSocketKiB = (mib: number, base: number) => ((mib - base) * 1024) / count;
  const figure: Figure = {
    scenario: "idle-cost",
    case: `N=${count}, idle ${hibernateWaitMs / 1000} s`,
    target: target.name,
    metrics: {
      runtimeBaselineMiB: baseline.runtime,
      runtimeAwakeMiB: awake.runtime,
      runtimeIdleMiB: idle.runtime,
      runtimeKibPerSocketAwake: perSocketKiB(awake.runtime, baseline.runtime),
      runtimeKibPerSocketIdle: perSocketKiB(idle.runtime, baseline.runtime),
      proxyBaselineMiB: baseline.proxy,
      proxyAwakeMiB: awake.proxy,
      proxyKibPerSocket: perSocketKiB(awake.proxy, baseline.proxy),
      heapBaselineMiB: baseline.heap,
      heapAwakeMiB: awake.heap,
      heapIdleMiB: idle.heap,
      warmRoundTripMs: warmMs,
      wakeRoundTripMs: wakeMs,
    },
    violations: { invalidFrames: problems.invalidFrames, refused: problems.refusals },
    generator: { ...window.generator, bound: isGeneratorBound(window.generator) },
    serverCpuMs: window.serverCpuMs,
    proxyCpuMs: window.proxyCpuMs,
    wallMs: window.wallMs,
  };
  if (problems.last !== "") figure.note = problems.last;
  return [figure];
}

/** Sends one message and waits for its ack; the time between, in ms. */
async function roundTrip(sender: BenchSocket, id: string): Promise<number> {
  const acked = new Promise<void>((resolve) => {
    sender.onFrame = (reading) => {
      if (reading.kind === "ack" && reading.id === id) resolve();
    };
  });
  const start = performance.now();
  sender.send({ type: "send", id, text: "is anyone there?" });
  if (!(await within(acked, ROUND_TRIP_TIMEOUT_MS))) throw new Error(`no ack for ${id}`);
  return performance.now() - start;
}
