/**
 * One measured figure: a scenario, its size, a target, what was measured,
 * and the conditions it was measured in (the generator's load and the
 * server's CPU time), so that a reader can tell a server limit from a
 * generator limit.
 */
import type { GeneratorLoad } from "./generator-load.ts";
import type { TargetName } from "./targets.ts";

export const SCENARIOS = [
  "idle-cost",
  "fan-out",
  "relay-fan-out",
  "ingest",
  "connect-storm",
  "history",
  "rooms",
  "reactions",
  // Last: the largest room this machine holds leaves the runtime at its largest memory.
  "relay-capacity",
] as const;

export type ScenarioName = (typeof SCENARIOS)[number];

export interface Figure {
  scenario: ScenarioName;
  /** The size measured, e.g. `R=1000`. */
  case: string;
  target: TargetName;
  /** Named values; latencies in milliseconds, rates per second, memory in MiB. */
  metrics: Record<string, number>;
  /** Breaches of the contract seen while measuring (lost, duplicated, reordered, invalid, refused): all must be 0. */
  violations: Record<string, number>;
  generator: GeneratorLoad & { bound: boolean };
  /**
   * CPU time the target's server used while the figure was measured, in
   * milliseconds: the workerd runtime (Worker and rooms), or for socket.io
   * its Node process.
   */
  serverCpuMs: number;
  /** CPU time of wrangler's proxy workerd, which forwards every frame, in milliseconds; null for socket.io, which has none. */
  proxyCpuMs: number | null;
  wallMs: number;
  /** The last problem seen, to explain a violation. */
  note?: string;
}
