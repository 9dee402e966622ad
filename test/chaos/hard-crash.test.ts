/**
 * Hard crashes. 20 SDK clients in 5 rooms send steadily while the runtime's
 * whole process group is killed with SIGKILL 10 times, at random moments, and
 * started again on the same persisted state. Clients reconnect and resume on
 * their own. Afterwards every client's recorded log is checked offline
 * against its room's history read over HTTP: no acked message lost, none
 * duplicated, one contiguous order per room, and every client's view equal to
 * that history (so no gap after any resume).
 */
import { describe, expect, it } from "vitest";
import { distribution } from "../../support/percentiles.ts";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { checkRun, countViolations, firstViolations, noViolations } from "../support/chaos/invariants.ts";
import { now, RecordedClient } from "../support/chaos/recorded-client.ts";
import { resumeTimes, timesUntilAllBack } from "../support/chaos/resume-times.ts";
import { readHistory } from "../support/chaos/room-http.ts";
import { loadRun, saveRun } from "../support/chaos/run-record.ts";
import { between, chaosSeed, seededRandom } from "../support/chaos/seeded-random.ts";
import { settle } from "../support/chaos/settle.ts";
import { sendSteadily } from "../support/chaos/steady-senders.ts";
import { sleep, until } from "../support/chaos/wait.ts";

const ROOMS = 5;
const CLIENTS_PER_ROOM = 4;
const CRASHES = 10;
const TARGET_ACKED = 30_000;
/** Rates far above any the run reaches, so that crashes, not rate limits, are what the run tests. */
const VARS = {
  SEND_RATE_PER_SECOND: 10_000,
  SEND_BURST: 10_000,
  FRAME_RATE_PER_SECOND: 10_000,
  FRAME_BURST: 10_000,
  HISTORY_LIMIT: 1_000_000,
};
/** Each client offers 25 messages a second, with at most 10 waiting for their ack. */
const SEND_EVERY_MS = 40;
const MAX_PENDING = 10;
/** How long the runtime stays up between a restart and the next crash. */
const UPTIME_MS = { min: 500, max: 8000 };
const SENDING_LIMIT_MS = 8 * 60_000;
const SETTLE_MS = 90_000;
/** The command that reproduces a run, given the environment it ran with. */
const command = (env: string) => `npm run build && ${env} npx vitest run --project chaos test/chaos/hard-crash.test.ts`;

describe("hard crashes of the runtime", () => {
  it("lose no acked message, duplicate none, and keep one order per room", async () => {
    const seed = chaosSeed();
    const random = seededRandom(seed);
    const runtime = await ChaosRuntime.start({ vars: VARS });
    const rooms = Array.from({ length: ROOMS }, (_, index) => `crash-${seed}-${index}`);
    const clients = rooms.flatMap((room, r) =>
      Array.from(
        { length: CLIENTS_PER_ROOM },
        (_, c) => new RecordedClient(runtime.url, { room, name: `c${r * CLIENTS_PER_ROOM + c}` }),
      ),
    );
    const crashedAt: number[] = [];
    const downMs: number[] = [];
    const started = now();
    let folder: string;
    try {
      await until("every client is online", () => clients.every((client) => client.online), 30_000);
      const senders = sendSteadily(clients, SEND_EVERY_MS, MAX_PENDING);
      for (let crash = 0; crash < CRASHES; crash++) {
        await sleep(between(random, UPTIME_MS.min, UPTIME_MS.max));
        crashedAt.push(now());
        await runtime.crash();
        await runtime.restart();
        downMs.push(now() - (crashedAt.at(-1) ?? 0));
      }
      const acked = () => clients.reduce((sum, client) => sum + client.ackedCount, 0);
      await until(`${TARGET_ACKED} messages are acked`, () => acked() >= TARGET_ACKED, SENDING_LIMIT_MS, 250);
      senders.stop();
      await settle(runtime.url, clients, SETTLE_MS);
      const histories: Record<string, Awaited<ReturnType<typeof readHistory>>> = {};
      for (const room of rooms) histories[room] = await readHistory(runtime.url, room);
      folder = await saveRun("hard-crash", { logs: clients.map((client) => client.snapshot()), histories });
    } finally {
      for (const client of clients) client.close();
      await runtime.stop();
    }
    const runMs = now() - started;

    const run = await loadRun(folder);
    const violations = checkRun(run);
    const ackedIds = run.logs.reduce((sum, log) => sum + new Set(log.acks.map((ack) => ack.id)).size, 0);
    const repeatedAcks = run.logs.reduce((sum, log) => sum + log.acks.length, 0) - ackedIds;
    const stored = Object.values(run.histories).reduce((sum, history) => sum + history.length, 0);
    const resumes = distribution(run.logs.flatMap((log) => resumeTimes(log.links)));
    const allBack = distribution(
      timesUntilAllBack(
        crashedAt,
        run.logs.map((log) => log.links),
      ),
    );
    const down = distribution(downMs);
    const counts = countViolations(violations);
    await reportFigures("hard-crash", {
      title: `Hard crash: ${clients.length} clients in ${ROOMS} rooms, ${CRASHES} SIGKILLs (seed ${seed})`,
      command: command(`CHAOS_SEED=${seed}`),
      rows: {
        "crashes (SIGKILL of the process group)": crashedAt.length,
        "messages acked": ackedIds,
        "messages stored": stored,
        "acks repeated for a resend (deduplicated)": repeatedAcks,
        "acked and lost": counts.lost,
        "stored twice": counts.duplicated,
        "sent and never stored": counts.unstored,
        "seq gaps or disorder in a room": counts.gap,
        "client views differing from the history": counts.view,
        "connections out of order": counts["link-order"],
        truncations: counts.truncated,
        "runtime down per crash, p50 / max (ms)": `${down.p50.toFixed(0)} / ${down.max.toFixed(0)}`,
        "client away per drop, p50 / p99 / max (ms)": `${resumes.p50.toFixed(0)} / ${resumes.p99.toFixed(0)} / ${resumes.max.toFixed(0)}`,
        "crash to every client back, p50 / max (ms)": `${allBack.p50.toFixed(0)} / ${allBack.max.toFixed(0)}`,
        reconnections: resumes.count,
        "run (s)": runMs / 1000,
      },
    });
    expect(crashedAt).toHaveLength(CRASHES);
    expect(ackedIds).toBeGreaterThanOrEqual(TARGET_ACKED);
    expect(firstViolations(violations)).toEqual(noViolations());
  });
});
