/**
 * The run as a plain-text table: one row per figure, the app's ratios to
 * both references and both peers beside it, and the conditions it was
 * measured in (for socket.io, "runtime" is its Node process and it has no
 * proxy); a relayed fan-out carries its p99 as a ratio to the direct one's,
 * and each step of the relay capacity its size, memory and whether it held.
 * `G` marks a figure the generator, not the server, limited; `S` a fan-out
 * that could not keep up with its offered load; `!` one with a breach of
 * the contract.
 */

/** Deliveries below this share of the offered rate mean the system fell behind. */
const SATURATED_SHARE = 0.85;

import type { Figure } from "../figure.ts";
import type { ProfileSummary } from "../profile/cpu-profiler.ts";
import { OTHER_TARGETS } from "../targets.ts";
import { ratioTo, serverMicrosPerOperation } from "./ratios.ts";
import type { TargetResult } from "./targets.ts";

const COLUMNS = [
  "scenario",
  "case",
  "target",
  "result",
  ...OTHER_TARGETS.map((other) => `vs ${other}`),
  "gen cpu",
  "gen eld p99",
  "runtime us/op",
  "proxy us/op",
  "flags",
];

export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => [
    figure.scenario,
    figure.case,
    figure.target,
    describe(figure),
    ...OTHER_TARGETS.map((other) => (figure.target === "edgechat" ? ratio(ratioTo(figures, figure, other)) : "")),
    `${Math.round(figure.generator.cpu * 100)}%`,
    `${num(figure.generator.eventLoopDelayP99Ms)} ms`,
    num(serverMicrosPerOperation(figure, figure.serverCpuMs), 0),
    figure.proxyCpuMs === null ? "-" : num(serverMicrosPerOperation(figure, figure.proxyCpuMs), 0),
    flags(figure),
  ]);
  return align([COLUMNS, ...rows]);
}

export function formatTargets(results: readonly TargetResult[]): string {
  const verdict = (met: boolean | null) => (met === null ? "UNKNOWN" : met ? "MET" : "NOT MET");
  return results.map((r) => `${verdict(r.met).padEnd(8)} ${r.target}\n         ${r.measured}`).join("\n");
}

export function formatProfiles(profiles: readonly ProfileSummary[]): string {
  return profiles
    .map((p) => {
      const lines = p.functions
        .slice(0, 10)
        .map((f) => `    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.name}`);
      const files = p.files
        .slice(0, 6)
        .map((f) => `${f.name} ${(f.share * 100).toFixed(0)}%`)
        .join(", ");
      return [
        `  ${p.label}: isolate busy ${p.busyMs.toFixed(0)} of ${p.wallMs.toFixed(0)} ms`,
        `    by file: ${files}`,
        ...lines,
      ].join("\n");
    })
    .join("\n");
}

function describe(figure: Figure): string {
  const m = figure.metrics;
  switch (figure.scenario) {
    case "fan-out":
      return describeFanOut(figure);
    case "relay-fan-out":
      return m.p99OverDirect === undefined
        ? describeFanOut(figure)
        : `${describeFanOut(figure)}; p99 ${ratio(m.p99OverDirect)} direct`;
    case "relay-capacity": {
      const held = m.held === 1 ? "held" : `NOT held (${figure.note ?? ""})`;
      return (
        `${num(m.listeners, 0)} listeners ${held}; all in ${num(m.allInMs, 0)} ms; ` +
        `delivery p99 ${num(m.p99)} ms, lost ${figure.violations.lost ?? "-"}; ` +
        `runtime ${num(m.runtimeMiB, 0)} MiB, proxy ${num(m.proxyMiB, 0)} MiB ` +
        `(${num(m.runtimeKibPerSocket, 0)} / ${num(m.proxyKibPerSocket, 0)} KiB per socket)`
      );
    }
    case "ingest":
    case "rooms": {
      const rows = m.rowsWrittenPerMessage === undefined ? "" : `; ${num(m.rowsWrittenPerMessage, 2)} rows/msg`;
      return `${num(m.ackedPerSecond, 0)} msg/s; ack p50 ${num(m.ackP50)} p99 ${num(m.ackP99)} ms${rows}`;
    }
    case "reactions": {
      const v = figure.violations;
      const what = figure.target === "edgechat" ? "reactions stored" : "frames echoed";
      return (
        `${num(m.ackedPerSecond, 0)} ${what}/s, ${num(m.deliveriesPerSecond, 0)} deliveries/s; ack p50 ${num(m.ackP50)} p99 ${num(m.ackP99)} ms; ` +
        `lost ${v.lost} dup ${v.duplicated} reord ${v.reordered}${figure.target === "edgechat" ? `; view mismatches ${v.viewMismatches}` : ""}`
      );
    }
    case "connect-storm":
      return `all in ${num(m.allReadyMs, 0)} ms; p50 ${num(m.p50, 0)} p99 ${num(m.p99, 0)} ms`;
    case "history":
      return m.ackedPerSecond !== undefined
        ? `${num(m.ackedPerSecond, 0)} msg/s pipelined` +
            (m.indexBytes === undefined
              ? ""
              : `; text ${num((m.textBytes ?? 0) / 1024, 0)} KiB, search index ${num(m.indexBytes / 1024, 0)} KiB, database ${num((m.databaseBytes ?? 0) / 1024, 0)} KiB`)
        : `p50 ${num(m.p50, 2)} p99 ${num(m.p99, 2)} max ${num(m.max, 2)} ms`;
    case "idle-cost":
      return (
        `runtime RSS ${num(m.runtimeBaselineMiB, 0)} -> awake ${num(m.runtimeAwakeMiB, 0)} -> idle ${num(m.runtimeIdleMiB, 0)} MiB ` +
        `(${num(m.runtimeKibPerSocketAwake, 0)} / ${num(m.runtimeKibPerSocketIdle, 0)} KiB per socket); ` +
        `proxy ${num(m.proxyKibPerSocket, 0)} KiB per socket; heap ${num(m.heapAwakeMiB)} -> ${num(m.heapIdleMiB)} MiB; ` +
        `round trip warm ${num(m.warmRoundTripMs)} wake ${num(m.wakeRoundTripMs)} ms`
      );
    default:
      return JSON.stringify(m);
  }
}

/** Latency percentiles and the breaches of order, of a figure measured as a fan-out. */
function describeFanOut(figure: Figure): string {
  const m = figure.metrics;
  const v = figure.violations;
  return `p50 ${num(m.p50)} p95 ${num(m.p95)} p99 ${num(m.p99)} max ${num(m.max)} ms; lost ${v.lost} dup ${v.duplicated} reord ${v.reordered}`;
}

function flags(figure: Figure): string {
  const breached = Object.values(figure.violations).some((count) => count !== 0);
  return `${figure.generator.bound ? "G" : ""}${isSaturated(figure) ? "S" : ""}${breached ? "!" : ""}`;
}

/** A fan-out whose deliveries fell behind the offered load: the figure measures a growing queue, not a latency. */
export function isSaturated(figure: Figure): boolean {
  const { deliveriesPerSecond, offeredPerSecond } = figure.metrics;
  if (deliveriesPerSecond === undefined || offeredPerSecond === undefined) return false;
  return deliveriesPerSecond < SATURATED_SHARE * offeredPerSecond;
}

function num(value: number | undefined, digits = 1): string {
  return value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);
}

function ratio(value: number): string {
  return Number.isNaN(value) ? "-" : `${value.toFixed(2)}x`;
}

function align(rows: readonly (readonly string[])[]): string {
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
