/**
 * Relay capacity: the largest relayed room this machine holds. Listeners of
 * one room join across RELAYS of its relays in steps (the sizes' `steps`),
 * each step adding to the listeners of the last; at each step one sender
 * connected to the Room sends M messages at a low rate and every listener
 * must get all of them, once and in order (fan-out-measure.ts). The run
 * stops at the first step that fails: a listener not welcomed in time, a
 * step that takes too long to connect, a message lost (or any other
 * breach), or both workerd processes together above RSS_LIMIT_MIB; a first
 * step that fails other than by a breach means the scenario could not run.
 * Each step reports the time its newcomers took to be all in, the delivery
 * latency, and both processes' memory, in all and per socket; `G` marks a
 * step where this Node process (the generator, which holds every client
 * socket), not the server, was the limit, while connecting or delivering.
 */

import type { BenchContext } from "../bench-context.ts";
import { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import type { Window } from "../measure-window.ts";
import { residentMiB } from "../server-process.ts";
import { measureFanOut } from "./fan-out-measure.ts";
import { openRelayed, RELAYS } from "./relayed-sockets.ts";

/** Both workerd processes' resident memory above which the room is taken to be too large for this machine. */
const RSS_LIMIT_MIB = 8 * 1024;
/** Listeners opened between two checks of the clock and of memory. */
const CHUNK = 250;
/** How long one listener may take to be welcomed. */
const WELCOME_TIMEOUT_MS = 30_000;
/** How long one step may take to connect its newcomers. */
const STEP_CONNECT_LIMIT_MS = 180_000;

interface Memory {
  runtime: number;
  proxy: number;
}

export async function runRelayCapacity(ctx: BenchContext): Promise<Figure[]> {
  const room = ctx.freshRoom("relay-capacity");
  const memory = (): Memory => ({ runtime: residentMiB(ctx.workerd.runtime), proxy: residentMiB(ctx.workerd.proxy) });
  const baseline = memory();
  const sender = await BenchSocket.open(ctx.targets.edgechat, room);
  const listeners: BenchSocket[] = [];
  const figures: Figure[] = [];
  try {
    for (const step of ctx.sizes.relayCapacity.steps) {
      const { figure, stopped } = await grow(ctx, { room, sender, listeners, step, baseline, memory });
      ctx.log(`  relay-capacity ${figure.case}: ${stopped === null ? "held" : figure.note}`);
      if (stopped !== null && figures.length === 0 && breachOf(figure) === null) {
        // A breach is reported as one; a room that held no step at all means the scenario could not run.
        throw new Error(`${figure.case}: ${figure.note}`);
      }
      figures.push(figure);
      if (stopped !== null) break;
    }
  } finally {
    await closeSockets([...listeners, sender]);
  }
  return figures;
}

interface GrowingRoom {
  room: string;
  sender: BenchSocket;
  /** Every listener so far; a step adds to them. */
  listeners: BenchSocket[];
  step: number;
  baseline: Memory;
  memory: () => Memory;
}

/** Grows the room to `step` listeners and checks delivery to all of them; the step's figure, and why it failed or null. */
async function grow(ctx: BenchContext, at: GrowingRoom): Promise<{ figure: Figure; stopped: string | null }> {
  const { room, sender, listeners, step, baseline, memory } = at;
  const app = ctx.targets.edgechat;
  const label = `N=${step} across ${RELAYS} relays`;
  const newcomers = step - listeners.length;
  const close = await ctx.measure(`relay-capacity ${label}: connecting`, app.name);
  const start = performance.now();
  const connectStopped = await connect(ctx, room, listeners, step, memory);
  const allInMs = performance.now() - start;
  const connecting = await close();
  const figure =
    connectStopped === null
      ? await measureFanOut(ctx, {
          scenario: "relay-capacity",
          case: label,
          target: app,
          listeners,
          sender,
          messages: ctx.sizes.relayCapacity.messages,
          ratePerSecond: ctx.sizes.relayCapacity.ratePerSecond,
          prefix: `${room}-${step}-`,
        })
      : unmeasured(label, connecting);
  const after = memory();
  const stopped = connectStopped ?? breachOf(figure) ?? overLimit(after);
  Object.assign(figure.metrics, {
    listeners: listeners.length,
    newcomers,
    allInMs: connectStopped === null ? allInMs : Number.NaN,
    held: stopped === null ? 1 : 0,
    runtimeMiB: after.runtime,
    proxyMiB: after.proxy,
    runtimeKibPerSocket: perSocketKiB(after.runtime, baseline.runtime, listeners.length),
    proxyKibPerSocket: perSocketKiB(after.proxy, baseline.proxy, listeners.length),
    connectGeneratorCpu: connecting.generator.cpu,
    connectServerCpuMs: connecting.serverCpuMs,
  });
  figure.generator.bound ||= isGeneratorBound(connecting.generator);
  if (stopped !== null) {
    const by = figure.generator.bound ? "; the generator was busy, so it may be the limit" : "";
    const seen = figure.note === undefined ? "" : `; last problem: ${figure.note}`;
    figure.note = `stopped: ${stopped}${by}${seen}`;
  }
  return { figure, stopped };
}

/**
 * Opens listeners until `listeners` holds `step`, in chunks, checking the
 * clock and memory between chunks; why it stopped short, or null.
 */
async function connect(
  ctx: BenchContext,
  room: string,
  listeners: BenchSocket[],
  step: number,
  memory: () => Memory,
): Promise<string | null> {
  const deadline = performance.now() + STEP_CONNECT_LIMIT_MS;
  while (listeners.length < step) {
    if (performance.now() > deadline) {
      return `only ${listeners.length} listeners connected within ${STEP_CONNECT_LIMIT_MS / 1000} s`;
    }
    const count = Math.min(CHUNK, step - listeners.length);
    try {
      listeners.push(...(await openRelayed(ctx, room, count, listeners.length, { timeoutMs: WELCOME_TIMEOUT_MS })));
    } catch (error) {
      return `a listener could not connect after ${listeners.length}: ${String(error)}`;
    }
    const over = overLimit(memory());
    if (over !== null) return over;
  }
  return null;
}

/** Why a step that delivered failed: a message lost, duplicated or reordered, or any other breach; or null. */
function breachOf(figure: Figure): string | null {
  const breaches = Object.entries(figure.violations).filter(([, count]) => count !== 0);
  return breaches.length === 0 ? null : breaches.map(([name, count]) => `${name} ${count}`).join(", ");
}

function overLimit(memory: Memory): string | null {
  const total = memory.runtime + memory.proxy;
  return total > RSS_LIMIT_MIB ? `workerd RSS ${total.toFixed(0)} MiB is over ${RSS_LIMIT_MIB} MiB` : null;
}

/** A step that stopped while connecting: no delivery was measured, only the connecting window. */
function unmeasured(label: string, window: Window): Figure {
  return {
    scenario: "relay-capacity",
    case: label,
    target: "edgechat",
    metrics: {},
    violations: {},
    generator: { ...window.generator, bound: false },
    serverCpuMs: window.serverCpuMs,
    proxyCpuMs: window.proxyCpuMs,
    wallMs: window.wallMs,
  };
}

function perSocketKiB(mib: number, baseMib: number, sockets: number): number {
  return sockets === 0 ? Number.NaN : ((mib - baseMib) * 1024) / sockets;
}
