/**
 * The project's performance targets, each evaluated on the figures of one
 * run. A target whose figures are missing (a failed scenario) is unknown
 * (null); the measured text names the case, so a figure taken at a smaller
 * size than the target is stated for (the quick and smoke profiles) says so.
 */
import type { Figure, ScenarioName } from "../figure.ts";
import type { TargetName } from "../targets.ts";

export interface TargetResult {
  target: string;
  measured: string;
  met: boolean | null;
}

type Pick = (own: readonly Figure[]) => Figure | undefined;
type Find = (scenario: ScenarioName, target: TargetName, pick?: Pick) => Figure | undefined;

const last: Pick = (own) => own.at(-1);
const first: Pick = (own) => own[0];
const second: Pick = (own) => own[1];
const caseStarting =
  (prefix: string): Pick =>
  (own) =>
    own.find((figure) => figure.case.startsWith(prefix));

export function evaluateTargets(figures: readonly Figure[]): TargetResult[] {
  const find: Find = (scenario, target, pick = last) =>
    pick(figures.filter((f) => f.scenario === scenario && f.target === target));
  return [
    fanOut(find),
    busyFanOut(find),
    quietFanOut(find),
    ingest(find),
    rowsWritten(find),
    connectStorm(find),
    historyPage(find),
    search(find),
    resume(find),
    rooms(find),
    reactions(find),
    relayedFanOut(find),
  ];
}

const NOT_MEASURED = "not measured";

function fmt(value: number | undefined, digits = 1): string {
  return value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);
}

function metric(figure: Figure | undefined, name: string): number {
  return figure?.metrics[name] ?? Number.NaN;
}

function fanOut(find: Find): TargetResult {
  const target = "fan-out R=1000 at 30 msg/s: p99 <= 1.3x bare+sqlite, 0 lost/duplicated/reordered";
  const app = find("fan-out", "edgechat", (own) => own.filter((f) => f.case.endsWith(" at 30/s")).at(-1));
  const floor = find("fan-out", "bare+sqlite", (own) => own.find((f) => f.case === app?.case));
  if (app === undefined || floor === undefined) return { target, measured: NOT_MEASURED, met: null };
  const ratio = metric(app, "p99") / metric(floor, "p99");
  const { lost, duplicated, reordered } = app.violations;
  const measured =
    `${app.case}: p99 ${fmt(metric(app, "p99"))} ms vs ${fmt(metric(floor, "p99"))} ms = ${fmt(ratio, 2)}x; ` +
    `lost ${lost}, duplicated ${duplicated}, reordered ${reordered}`;
  return { target, measured, met: ratio <= 1.3 && lost === 0 && duplicated === 0 && reordered === 0 };
}

/** The p99 a room of 1000 at 30 msg/s may reach, coalesced, with nothing lost within the drain. */
const BUSY_FAN_OUT_P99_MS = 250;

function busyFanOut(find: Find): TargetResult {
  const target = `fan-out R=1000 at 30 msg/s: 0 lost within the drain and p99 <= ${BUSY_FAN_OUT_P99_MS} ms`;
  const app = find("fan-out", "edgechat", (own) => own.find((f) => f.case === "R=1000 at 30/s"));
  if (app === undefined) return { target, measured: NOT_MEASURED, met: null };
  const { lost, duplicated, reordered } = app.violations;
  const measured = `${app.case}: p99 ${fmt(metric(app, "p99"))} ms; lost ${lost}, duplicated ${duplicated}, reordered ${reordered}`;
  const met = metric(app, "p99") <= BUSY_FAN_OUT_P99_MS && lost === 0 && duplicated === 0 && reordered === 0;
  return { target, measured, met };
}

/**
 * R=100 at 30 msg/s before frames were coalesced: p99 1.05x bare+sqlite,
 * in the full run of 310677a (docs/performance.md, Targets).
 */
const QUIET_FAN_OUT_BEFORE = 1.05;

function quietFanOut(find: Find): TargetResult {
  const target = `fan-out R=100 at 30 msg/s: p99 no worse than before coalescing (${QUIET_FAN_OUT_BEFORE}x bare+sqlite)`;
  const app = find("fan-out", "edgechat", (own) => own.find((f) => f.case === "R=100 at 30/s"));
  const floor = find("fan-out", "bare+sqlite", (own) => own.find((f) => f.case === app?.case));
  if (app === undefined || floor === undefined) return { target, measured: NOT_MEASURED, met: null };
  const ratio = metric(app, "p99") / metric(floor, "p99");
  const measured = `${app.case}: p99 ${fmt(metric(app, "p99"))} ms vs ${fmt(metric(floor, "p99"))} ms = ${fmt(ratio, 2)}x`;
  return { target, measured, met: ratio <= QUIET_FAN_OUT_BEFORE && app.violations.lost === 0 };
}

function ingest(find: Find): TargetResult {
  const target = "ingest: acked msg/s >= 0.9x bare+sqlite";
  const app = find("ingest", "edgechat");
  const floor = find("ingest", "bare+sqlite");
  if (app === undefined || floor === undefined) return { target, measured: NOT_MEASURED, met: null };
  const ratio = metric(app, "ackedPerSecond") / metric(floor, "ackedPerSecond");
  const rates = `${fmt(metric(app, "ackedPerSecond"), 0)} vs ${fmt(metric(floor, "ackedPerSecond"), 0)} msg/s`;
  return { target, measured: `${app.case}: ${rates} = ${fmt(ratio, 2)}x`, met: ratio >= 0.9 };
}

function rowsWritten(find: Find): TargetResult {
  const target = "ingest: SQLite rows written per stored message <= 2";
  const rows = metric(find("ingest", "edgechat"), "rowsWrittenPerMessage");
  if (Number.isNaN(rows)) return { target, measured: NOT_MEASURED, met: null };
  return { target, measured: `${fmt(rows, 2)} rows per message`, met: rows <= 2 };
}

function connectStorm(find: Find): TargetResult {
  const target = "connect storm of 1000: p99 <= 1.3x bare";
  const app = find("connect-storm", "edgechat");
  const floor = find("connect-storm", "bare");
  if (app === undefined || floor === undefined) return { target, measured: NOT_MEASURED, met: null };
  const ratio = metric(app, "p99") / metric(floor, "p99");
  const measured = `${app.case}: p99 ${fmt(metric(app, "p99"), 0)} ms vs ${fmt(metric(floor, "p99"), 0)} ms = ${fmt(ratio, 2)}x`;
  return { target, measured, met: ratio <= 1.3 && app.violations.failed === 0 };
}

function historyPage(find: Find): TargetResult {
  const target = "history page of 50 in a 100,000-message room: p99 <= 10 ms";
  const app = find("history", "edgechat", caseStarting("page"));
  if (app === undefined) return { target, measured: NOT_MEASURED, met: null };
  return { target, measured: `${app.case}: p99 ${fmt(metric(app, "p99"), 2)} ms`, met: metric(app, "p99") <= 10 };
}

function search(find: Find): TargetResult {
  const target = "search of a 100,000-message room, a common word and a rare one: p99 <= 20 ms";
  const common = find("history", "edgechat", caseStarting('search "'));
  const rare = find("history", "edgechat", caseStarting("search a rare"));
  if (common === undefined || rare === undefined) return { target, measured: NOT_MEASURED, met: null };
  const measured = `${common.case}: p99 ${fmt(metric(common, "p99"), 2)} ms; ${rare.case}: p99 ${fmt(metric(rare, "p99"), 2)} ms`;
  const wrong = (common.violations.wrongResults ?? 0) + (rare.violations.wrongResults ?? 0);
  return { target, measured, met: metric(common, "p99") <= 20 && metric(rare, "p99") <= 20 && wrong === 0 };
}

function resume(find: Find): TargetResult {
  const target = "welcome with 500 missed messages: p99 <= 50 ms";
  const app = find("history", "edgechat", caseStarting("welcome since"));
  if (app === undefined) return { target, measured: NOT_MEASURED, met: null };
  return { target, measured: `${app.case}: p99 ${fmt(metric(app, "p99"), 2)} ms`, met: metric(app, "p99") <= 50 };
}

function rooms(find: Find): TargetResult {
  const target = "rooms: throughput growth K=1 -> K=10 >= that of bare+sqlite";
  const growth = (name: TargetName) =>
    metric(find("rooms", name, second), "ackedPerSecond") / metric(find("rooms", name, first), "ackedPerSecond");
  const app = growth("edgechat");
  const floor = growth("bare+sqlite");
  if (Number.isNaN(app) || Number.isNaN(floor)) return { target, measured: NOT_MEASURED, met: null };
  const cases = `${find("rooms", "edgechat", first)?.case} -> ${find("rooms", "edgechat", second)?.case}`;
  return { target, measured: `${cases}: ${fmt(app, 2)}x vs ${fmt(floor, 2)}x`, met: app >= floor };
}

function reactions(find: Find): TargetResult {
  const target =
    "reactions: every stored reaction reaches every client once, in seq order, and every view equals the page";
  const app = find("reactions", "edgechat");
  if (app === undefined) return { target, measured: NOT_MEASURED, met: null };
  const floor = find("reactions", "bare+sqlite");
  const ratio = metric(app, "ackedPerSecond") / metric(floor, "ackedPerSecond");
  const { lost = Number.NaN, duplicated, reordered, strays, viewMismatches = Number.NaN } = app.violations;
  const measured =
    `${app.case}: ${fmt(metric(app, "ackedPerSecond"), 0)} reactions stored/s (${fmt(ratio, 2)}x bare+sqlite's echoes), ` +
    `${fmt(metric(app, "deliveriesPerSecond"), 0)} deliveries/s, ack p99 ${fmt(metric(app, "ackP99"))} ms; ` +
    `lost ${lost}, duplicated ${duplicated}, reordered ${reordered}, view mismatches ${viewMismatches}`;
  return {
    target,
    measured,
    met: lost === 0 && duplicated === 0 && reordered === 0 && strays === 0 && viewMismatches === 0,
  };
}

/** The relayed p99 over the direct p99 that the relay tier may cost. */
const RELAYED_P99_LIMIT = 1.2;

function relayedFanOut(find: Find): TargetResult {
  const target =
    `relayed fan-out R=1000 at 5 msg/s: p99 across 4 relays <= ${RELAYED_P99_LIMIT}x direct p99, ` +
    "0 lost/duplicated/reordered (and at 30 msg/s, reported)";
  const at = (ratePerSecond: number, relayed: boolean) =>
    find("relay-fan-out", "edgechat", (own) =>
      own.find((f) => f.metrics.ratePerSecond === ratePerSecond && Boolean(f.metrics.relays) === relayed),
    );
  const describeAt = (ratePerSecond: number) => {
    const direct = at(ratePerSecond, false);
    const relayed = at(ratePerSecond, true);
    if (direct === undefined || relayed === undefined)
      return { text: `at ${ratePerSecond}/s ${NOT_MEASURED}`, met: null };
    const ratio = metric(relayed, "p99") / metric(direct, "p99");
    const { lost, duplicated, reordered } = relayed.violations;
    const text =
      `${relayed.case}: p99 ${fmt(metric(relayed, "p99"))} ms vs ${fmt(metric(direct, "p99"))} ms direct = ${fmt(ratio, 2)}x; ` +
      `lost ${lost}, duplicated ${duplicated}, reordered ${reordered}`;
    return { text, met: ratio <= RELAYED_P99_LIMIT && lost === 0 && duplicated === 0 && reordered === 0 };
  };
  const slow = describeAt(5);
  const busy = describeAt(30);
  if (slow.met === null) return { target, measured: NOT_MEASURED, met: null };
  return { target, measured: `${slow.text}; reported: ${busy.text}`, met: slow.met };
}
