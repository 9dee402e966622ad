/**
 * `npm run bench`: starts the app, the reference rooms and the partyserver
 * peer in one workerd and the socket.io peer in a Node process of its own,
 * runs every scenario against them over real sockets, prints a table with
 * the app's ratios to the references and the peers and the targets met or
 * not, and writes the whole run as JSON to bench/results/.
 *
 *   npm run bench                 quick profile (about three minutes)
 *   npm run bench -- --full       every scenario at full size
 *   npm run bench -- --smoke      tiny sizes; fails only if a scenario cannot run or breaks the contract
 *   npm run bench -- --profile    also CPU-profiles the Worker isolate while the app is measured
 *   npm run bench -- --only=fan-out,ingest
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PROJECT_ROOT } from "../support/dev-server.ts";
import { createContext } from "./bench-context.ts";
import { startBenchServer } from "./bench-server.ts";
import type { Figure, ScenarioName } from "./figure.ts";
import { CpuProfiler, type ProfileSummary } from "./profile/cpu-profiler.ts";
import { InspectorSession } from "./profile/inspector-session.ts";
import { benchVars, PROFILES } from "./profiles.ts";
import { formatProfiles, formatTable, formatTargets } from "./report/format-table.ts";
import { describeMachine } from "./report/machine.ts";
import { appRatios } from "./report/ratios.ts";
import { evaluateTargets } from "./report/targets.ts";
import { parseRunOptions } from "./run-options.ts";
import { SCENARIO_RUNNERS } from "./scenarios/scenario-runners.ts";
import { residentMiB, type WorkerdProcesses } from "./server-process.ts";
import { snapshotWorker } from "./snapshot-worker.ts";
import { type SocketIoProcess, startSocketIo } from "./socket-io/socket-io-process.ts";
import { relayedAppTarget, targetsOf } from "./targets.ts";

/** Both processes' memory, or why it cannot be read (a runtime that crashed or restarted). */
function describeMemory(processes: WorkerdProcesses): string {
  try {
    return `runtime ${residentMiB(processes.runtime).toFixed(0)} MiB, proxy ${residentMiB(processes.proxy).toFixed(0)} MiB`;
  } catch (error) {
    return String(error);
  }
}

const RESULTS_DIR = join(PROJECT_ROOT, "bench/results");

const options = parseRunOptions(process.argv.slice(2));
const sizes = PROFILES[options.profile];
const vars = benchVars(sizes);
const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
const log = (line: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`);
const started = performance.now();

log(`profile ${options.profile}; scenarios: ${options.scenarios.join(", ")}`);
log(
  `raising the room's limits for this run: ${Object.entries(vars)
    .map(([k, v]) => `--var ${k}:${v}`)
    .join(" ")}`,
);
await mkdir(RESULTS_DIR, { recursive: true });
const snapshot = await snapshotWorker(PROJECT_ROOT);
// Described when the snapshot is taken: that is the code measured, whatever changes on disk later.
const machine = describeMachine(PROJECT_ROOT);
const { server, workerd, inspectorPort } = await startBenchServer(snapshot.config, vars);
log(
  `wrangler dev on ${server.url} (workerd runtime pid ${workerd.runtime}, proxy pid ${workerd.proxy}, inspector port ${inspectorPort})`,
);

const figures: Figure[] = [];
const failures: { scenario: ScenarioName; error: string }[] = [];
const profiles: ProfileSummary[] = [];
let socketIo: SocketIoProcess | undefined;
let inspector: InspectorSession | undefined;
try {
  socketIo = await startSocketIo();
  log(`socket.io peer on 127.0.0.1:${socketIo.port} (pid ${socketIo.pid})`);
  inspector = await InspectorSession.connect(inspectorPort);
  const profiler = options.cpuProfile
    ? await CpuProfiler.attach(inspector, snapshot.sourceMap, RESULTS_DIR, stamp)
    : null;
  const ctx = createContext({
    targets: targetsOf(server.port, socketIo.port),
    relayed: (shard) => relayedAppTarget(server.port, shard),
    sizes,
    processes: { workerd, socketIo: socketIo.pid },
    inspector,
    profiler,
    profiles,
    log,
  });
  for (const scenario of options.scenarios) {
    const scenarioStart = performance.now();
    log(`${scenario}... (workerd RSS: ${describeMemory(workerd)})`);
    try {
      figures.push(...(await SCENARIO_RUNNERS[scenario](ctx)));
      log(`${scenario} done in ${((performance.now() - scenarioStart) / 1000).toFixed(1)} s`);
    } catch (error) {
      failures.push({ scenario, error: String(error) });
      log(`${scenario} FAILED: ${String(error)}\n--- wrangler's last lines ---\n${server.log().slice(-3000)}`);
    }
  }
} finally {
  inspector?.close();
  await socketIo?.stop();
  await server.stop();
}

const targets = evaluateTargets(figures);
const durationMs = performance.now() - started;
console.log(`\n${formatTable(figures)}\n`);
console.log(
  "G: the generator, not the server, was the bottleneck (its CPU >= 80% or its event-loop delay >= 25% of the p99).",
);
console.log(
  "S: the fan-out fell behind its offered load (deliveries/s < 85% of listeners x rate): latency is queueing.",
);
console.log("!: a breach of the contract (lost, duplicated, reordered, invalid or refused frames).");
console.log(
  "Ratios are edgechat / reference or peer on the headline: p99 for fan-out and connect storm, acknowledged frames/s for ingest, rooms and reactions.",
);
console.log("socket.io's runtime us/op is its Node process; no proxy stands in front of it (proxy -).\n");
console.log(`targets (${options.profile} profile):\n${formatTargets(targets)}\n`);
if (profiles.length > 0) console.log(`CPU profiles of the Worker isolate (self time):\n${formatProfiles(profiles)}\n`);

const breaches = figures.filter((figure) => Object.values(figure.violations).some((count) => count !== 0));
const resultsPath = join(RESULTS_DIR, `${stamp}-${options.profile}.json`);
const command = `npm run bench${options.args.length > 0 ? ` -- ${options.args.join(" ")}` : ""}`;
const report = {
  command,
  profile: options.profile,
  startedAt,
  durationMs,
  machine,
  vars,
  figures,
  ratios: appRatios(figures),
  targets,
  profiles,
  failures,
};
await writeFile(resultsPath, `${JSON.stringify(report, null, 2)}\n`);
log(`wrote ${resultsPath}`);
const code = `${machine.commit}${machine.workerChanged ? " with uncommitted changes in worker/" : ""}`;
log(
  `${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, workerd ${machine.workerd}, code ${code}; took ${(durationMs / 1000).toFixed(0)} s`,
);
for (const failure of failures) console.error(`scenario ${failure.scenario} could not run: ${failure.error}`);
for (const figure of breaches) {
  console.error(
    `${figure.scenario} ${figure.case} ${figure.target} broke the contract: ${JSON.stringify(figure.violations)} ${figure.note ?? ""}`,
  );
}
process.exitCode = failures.length > 0 || breaches.length > 0 ? 1 : 0;
