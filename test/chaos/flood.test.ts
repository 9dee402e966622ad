/**
 * Floods. One raw client sends 2,000 frames a second beside 50 SDK clients
 * chatting at one message a second each, with the contract's default limits.
 * The flooder must be refused and then closed with 1008, and again each time
 * it comes straight back; the others must lose nothing. Their p99 delivery
 * latency against the same run without the flooder, measured side by side
 * on one server, is a performance target (<= 2x), reported with the run's
 * figures rather than asserted: on a shared 2-core machine it ranges from
 * 0.9x to 2.1x between runs of one build. Floods of frames that are never
 * stored (`typing`, `history`) must be closed too, and so must a guest
 * flooding a members-only room, where every send is refused. The flooder
 * runs in a process of its own, as it would on an attacker's machine, so
 * that its work does not count as the room's. The runtime's output is
 * checked for leaks afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../protocol/frames.ts";
import { distribution } from "../../support/percentiles.ts";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { deliveryLatencies } from "../support/chaos/delivery-latency.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { type FloodedFrame, floodFromAnotherProcess } from "../support/chaos/flood-process.ts";
import type { FloodReport } from "../support/chaos/flooder.ts";
import {
  checkClient,
  checkHistory,
  checkRun,
  countViolations,
  firstViolations,
  noViolations,
  type Violations,
} from "../support/chaos/invariants.ts";
import { groupCpuMs } from "../support/chaos/process-cpu.ts";
import { RecordedClient } from "../support/chaos/recorded-client.ts";
import { readHistory, roomInfo } from "../support/chaos/room-http.ts";
import { loadRun, type RunRecord, saveRun } from "../support/chaos/run-record.ts";
import { appOutput, findLeaks } from "../support/chaos/server-log.ts";
import { settle } from "../support/chaos/settle.ts";
import { sendSteadily } from "../support/chaos/steady-senders.ts";
import { sleep, until } from "../support/chaos/wait.ts";

const CLIENTS = 50;
const PHASE_MS = 20_000;
const FLOOD_RATE = 2000;
/** A new user may send this many messages at once before the rate applies. */
const SEND_BURST = DEFAULT_LIMITS.sendBurst;
const COMMAND = "npm run build && npx vitest run --project chaos test/chaos/flood.test.ts";

const marker = `flood-${crypto.randomUUID()}`;
let runtime: ChaosRuntime;
/**
 * The room of the first test's quiet phase: its history gives the history
 * flood pages to carry, and no flooder was ever closed there, so no cool-down
 * bars a new flooder from it.
 */
let chattedRoom: string | undefined;
/** The first test's delivery latency without a flood, for the later tests. */
let baseline: ReturnType<typeof distribution> | undefined;
/** Secrets the runtime was handed during the run: no log line may repeat them. */
const secrets: string[] = [marker];

beforeAll(async () => {
  runtime = await ChaosRuntime.start();
});

afterAll(async () => {
  await runtime.stop();
});

interface Phase {
  latencies: number[];
  violations: ReturnType<typeof noViolations>;
  flood: FloodReport | null;
  messages: number;
  /** CPU the runtime (wrangler dev and its workerd processes) spent during the phase, per second. */
  runtimeCpuMsPerSecond: number;
}

interface Flooding {
  frame: FloodedFrame;
  reconnect: boolean;
  keepToken: boolean;
  durationMs: number;
}

/** Floods `room` from another process. */
function floodRoom(room: string, flooding: Flooding): Promise<FloodReport> {
  return floodFromAnotherProcess({ baseUrl: runtime.url, room, marker, framesPerSecond: FLOOD_RATE, ...flooding });
}

/** How the chatting clients join a room that was set up before they came. */
interface Joining {
  /** A key each client presents. */
  key: string;
  /** The seq of the room's first message: the setup's settings events come before it. */
  firstSeq: number;
}

/**
 * 50 clients chat for PHASE_MS in a fresh room, beside a flood if one is
 * given; their logs are checked offline.
 */
async function chat(runName: string, room: string, flooding: Flooding | null, joining?: Joining): Promise<Phase> {
  const key = joining?.key;
  const clients = Array.from(
    { length: CLIENTS },
    (_, index) => new RecordedClient(runtime.url, { room, name: `u${index}`, ...(key === undefined ? {} : { key }) }),
  );
  let folder: string;
  let report: FloodReport | null = null;
  let runtimeCpuMsPerSecond = Number.NaN;
  try {
    await until("every client is online", () => clients.every((client) => client.online), 60_000);
    const cpuBefore = groupCpuMs(runtime.processGroup);
    const senders = sendSteadily(clients, 1000, 5);
    const flooder = flooding === null ? null : floodRoom(room, flooding);
    await sleep(PHASE_MS);
    senders.stop();
    report = await flooder;
    runtimeCpuMsPerSecond = ((groupCpuMs(runtime.processGroup) - cpuBefore) * 1000) / PHASE_MS;
    await settle(runtime.url, clients, 60_000);
    const histories = { [room]: await readHistory(runtime.url, room) };
    folder = await saveRun(runName, { logs: clients.map((client) => client.snapshot()), histories });
  } finally {
    for (const client of clients) client.close();
  }
  const run = await loadRun(folder);
  const history = run.histories[room] ?? [];
  const violations = joining === undefined ? checkRun(run) : checkRunFrom(run, room, joining.firstSeq);
  const latencies = deliveryLatencies(run.logs, run.histories);
  return { latencies, violations, flood: report, messages: history.length, runtimeCpuMsPerSecond };
}

/** As checkRun, for one room whose history starts at `firstSeq`; every client still sees all of its messages. */
function checkRunFrom(run: RunRecord, room: string, firstSeq: number): Violations {
  const violations = noViolations();
  const history = run.histories[room] ?? [];
  checkHistory(room, history, firstSeq, violations);
  for (const log of run.logs) checkClient(log, history, { fromSeq: firstSeq, truncationsAllowed: false }, violations);
  return violations;
}

/** A JSON request to a room of the running app, as a bot makes it; fails unless it answers `status`. */
async function roomRequest<T>(
  room: string,
  path: string,
  status: number,
  init: { method: string; headers?: Record<string, string>; body?: unknown },
): Promise<T> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${runtime.url}/api/rooms/${encodeURIComponent(room)}${path}`, {
    method: init.method,
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== status) throw new Error(`${init.method} ${path}: ${response.status} ${text}`);
  const body: T = JSON.parse(text);
  return body;
}

/** Claims `room`, makes it members-only and gives a member key for CLIENTS people; every credential is a secret. */
async function membersOnlyRoom(room: string): Promise<Joining> {
  const { key: ownerKey } = await roomRequest<{ key: string }>(room, "/claim", 201, { method: "POST" });
  const { token } = await roomRequest<{ token: string }>(room, "/redeem", 200, {
    method: "POST",
    headers: { "Edgechat-Key": ownerKey },
  });
  const owner = { Authorization: `Bearer ${token}` };
  await roomRequest(room, "/settings", 200, { method: "PATCH", headers: owner, body: { write: "members" } });
  const { secret } = await roomRequest<{ secret: string }>(room, "/keys", 201, {
    method: "POST",
    headers: owner,
    body: { role: "member", uses: CLIENTS, label: "chatters" },
  });
  secrets.push(ownerKey, token, secret);
  return { key: secret, firstSeq: (await roomInfo(runtime.url, room)).lastSeq + 1 };
}

describe("a flood beside normal clients", () => {
  it("is refused, then closed with 1008 each time it comes back, and the others lose nothing", async () => {
    const sendFlood: Flooding = { frame: "send", reconnect: true, keepToken: true, durationMs: PHASE_MS };
    chattedRoom = `flood-baseline-${Date.now()}`;
    const quiet = await chat("flood-baseline", chattedRoom, null);
    const loud = await chat("flood", `flood-${Date.now()}`, sendFlood);
    const report = loud.flood;
    if (report === null) throw new Error("the flood did not run");
    secrets.push(...report.tokens);
    const before = distribution(quiet.latencies);
    const during = distribution(loud.latencies);
    baseline = before;
    const closedBy1008 = report.closes["1008"] ?? 0;
    const lifetimes = distribution(report.lifetimesMs);
    await reportFigures("flood", {
      title: `Flood: 1 raw client at ${FLOOD_RATE} frames/s, back at once as the same user after each close, beside ${CLIENTS} SDK clients at 1 msg/s each`,
      command: COMMAND,
      rows: {
        "flood frames sent": report.framesSent,
        "flood rate achieved (frames/s, handshakes included)": (report.framesSent * 1000) / PHASE_MS,
        "flooder connections (one user)": report.connections,
        "reconnects refused during the cool-down after abuse": report.refusedReconnects,
        "closed with 1008": closedBy1008,
        "closes by code": JSON.stringify(report.closes),
        "refusals received, by code": JSON.stringify(report.errors),
        "connection lifetime before 1008, p50 / max (ms)": `${lifetimes.p50.toFixed(0)} / ${lifetimes.max.toFixed(0)}`,
        "flood messages stored": report.acked,
        "flood messages stored per second": (report.acked * 1000) / PHASE_MS,
        "normal messages delivered, without / with flood": `${quiet.latencies.length} / ${loud.latencies.length}`,
        "normal clients' losses and view errors (with flood)": JSON.stringify(countViolations(loud.violations)),
        "delivery p50 without / with flood (ms)": `${before.p50.toFixed(1)} / ${during.p50.toFixed(1)}`,
        "delivery p99 without / with flood (ms)": `${before.p99.toFixed(1)} / ${during.p99.toFixed(1)}`,
        "p99 ratio, with / without": during.p99 / before.p99,
        "p99 ratio target (<= 2x)": during.p99 / before.p99 <= 2 ? "MET" : "NOT MET",
        "runtime CPU without / with flood (ms per s)": `${quiet.runtimeCpuMsPerSecond.toFixed(0)} / ${loud.runtimeCpuMsPerSecond.toFixed(0)}`,
        "flooder's own CPU (ms per s)": (report.cpuMs * 1000) / PHASE_MS,
      },
    });
    expect(firstViolations(quiet.violations)).toEqual(noViolations());
    expect(firstViolations(loud.violations)).toEqual(noViolations());
    expect(closedBy1008).toBeGreaterThan(0);
    expect(Object.keys(report.closes).filter((code) => code !== "1008" && code !== "open")).toEqual([]);
    expect(new Set(report.userIds).size).toBe(1);
    expect(report.acked).toBeLessThanOrEqual(SEND_BURST + (DEFAULT_LIMITS.sendRatePerSecond * PHASE_MS) / 1000);
  });

  it.each(["typing", "history"] as const)("closes a connection that floods %s frames with 1008", async (kind) => {
    // The first test's quiet room has a past, so each history page carries 100 messages. A typing
    // flood gets a room of its own: its 1008 close bars new identities from this (shared, local) address.
    if (chattedRoom === undefined) throw new Error("the first test did not run");
    const room = kind === "history" ? chattedRoom : `flood-typing-${Date.now()}`;
    const report = await floodRoom(room, {
      frame: kind,
      reconnect: false,
      keepToken: false,
      durationMs: 10_000,
    });
    secrets.push(...report.tokens);
    await reportFigures(`flood-${kind}`, {
      title: `Flood of ${kind} frames: 1 raw client at ${FLOOD_RATE} frames/s for up to 10 s`,
      command: COMMAND,
      rows: {
        "frames sent": report.framesSent,
        "closes by code": JSON.stringify(report.closes),
        "time to close (ms)": report.lifetimesMs[0] ?? Number.NaN,
        "refusals received, by code": JSON.stringify(report.errors),
        "characters the room sent back": report.charactersReceived,
      },
    });
    expect(report.closes).toEqual({ 1008: 1 });
  });

  // A socket opened without a token is a new user with a full send burst; once the
  // flooder is closed for abuse, the cool-down bars new identities from its address.
  it("holds a flooder that drops its token on every reconnect to the send rate", async () => {
    const room = `flood-tokenless-${Date.now()}`;
    const phase = await chat("flood-tokenless", room, {
      frame: "send",
      reconnect: true,
      keepToken: false,
      durationMs: PHASE_MS,
    });
    const report = phase.flood;
    if (report === null) throw new Error("the flood did not run");
    secrets.push(...report.tokens);
    const during = distribution(phase.latencies);
    const before = baseline?.p99 ?? Number.NaN;
    await reportFigures("flood-tokenless", {
      title: `Flood: the same flooder, back as a new user (no token) after each close, beside ${CLIENTS} SDK clients`,
      command: COMMAND,
      rows: {
        "flooder connections (each a new user)": report.connections,
        "reconnects refused during the cool-down after abuse": report.refusedReconnects,
        "closes by code": JSON.stringify(report.closes),
        "flood messages stored": report.acked,
        "flood messages stored per second": (report.acked * 1000) / PHASE_MS,
        "send limit per user (per second, burst)": `${DEFAULT_LIMITS.sendRatePerSecond}, ${SEND_BURST}`,
        "normal clients' losses and view errors": JSON.stringify(countViolations(phase.violations)),
        "delivery p99 without flood (first test) / with this flood (ms)": `${before.toFixed(1)} / ${during.p99.toFixed(1)}`,
        "p99 ratio, with / without": during.p99 / before,
      },
    });
    expect(firstViolations(phase.violations)).toEqual(noViolations());
    expect(report.acked).toBeLessThanOrEqual(SEND_BURST + (DEFAULT_LIMITS.sendRatePerSecond * PHASE_MS) / 1000);
  });

  // The flooder is a guest in a room where only members write: every send is refused, and the
  // refusals count towards the abuse rule like any other, so it is closed as in an open room.
  it("from a guest in a members-only room is refused and closed with 1008, and the members lose nothing", async () => {
    const room = `flood-members-${Date.now()}`;
    const joining = await membersOnlyRoom(room);
    const phase = await chat(
      "flood-members-only",
      room,
      { frame: "send", reconnect: true, keepToken: true, durationMs: PHASE_MS },
      joining,
    );
    const report = phase.flood;
    if (report === null) throw new Error("the flood did not run");
    secrets.push(...report.tokens);
    const during = distribution(phase.latencies);
    const before = baseline?.p99 ?? Number.NaN;
    await reportFigures("flood-members-only", {
      title: `Flood: a guest at ${FLOOD_RATE} frames/s in a members-only room (write: members), back as the same user after each close, beside ${CLIENTS} members`,
      command: COMMAND,
      rows: {
        "flood frames sent": report.framesSent,
        "flooder connections (one user)": report.connections,
        "reconnects refused during the cool-down after abuse": report.refusedReconnects,
        "closes by code": JSON.stringify(report.closes),
        "refusals received, by code": JSON.stringify(report.errors),
        "flood messages stored": report.acked,
        "members' messages stored": phase.messages,
        "members' losses and view errors": JSON.stringify(countViolations(phase.violations)),
        "delivery p99 without flood (first test) / with this flood (ms)": `${before.toFixed(1)} / ${during.p99.toFixed(1)}`,
        "p99 ratio, with / without": during.p99 / before,
      },
    });
    expect(firstViolations(phase.violations)).toEqual(noViolations());
    expect(phase.messages).toBeGreaterThan(0);
    expect(report.acked).toBe(0);
    expect(report.errors.forbidden ?? 0).toBeGreaterThan(0);
    expect(report.closes["1008"] ?? 0).toBeGreaterThan(0);
    expect(Object.keys(report.closes).filter((code) => code !== "1008" && code !== "open")).toEqual([]);
    expect(new Set(report.userIds).size).toBe(1);
  });

  it("leaves no stack trace, token or message text in the runtime's output", () => {
    const leaks = findLeaks(appOutput(runtime.log()), secrets);
    expect(leaks).toEqual({ stackTraceLines: [], secrets: [] });
  });
});
