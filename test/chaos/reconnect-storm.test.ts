/**
 * A reconnect storm. 200 SDK clients listen in one room while a writer posts
 * 5,000 messages; each listener's link is severed 1 to 3 times at random
 * moments, and it stays offline 0 to 5 s before it may resume. A resume that
 * misses more than RESUME_LIMIT messages pages in the rest. Afterwards every
 * client's recorded log must equal the room's history.
 *
 * The writer keeps a schedule of 100 messages a second without waiting for
 * each ack (paced-writer.ts), since one SDK user sends at most one message
 * per round trip, with at most 10 unacknowledged. 100 a second to 200
 * listeners is 20,000 deliveries a second, more than the local runtime
 * delivers on a 2-core machine, so the window lets the room set the pace
 * (about 70 a second here). A deeper window queues frames faster than the
 * runtime sends them, and the local runtime slows down more and more under
 * such a queue (docs/reliability.md, "A room of 200 under more than it can
 * deliver"). `CHAOS_STORM_RATE` runs it at another rate.
 */
import { describe, expect, it } from "vitest";
import { distribution } from "../../support/percentiles.ts";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { checkRun, countViolations, firstViolations, noViolations } from "../support/chaos/invariants.ts";
import { PacedWriter } from "../support/chaos/paced-writer.ts";
import { RawClient } from "../support/chaos/raw-client.ts";
import { type ClientLog, now, RecordedClient } from "../support/chaos/recorded-client.ts";
import { resumeTimes } from "../support/chaos/resume-times.ts";
import { readHistory } from "../support/chaos/room-http.ts";
import { loadRun, saveRun } from "../support/chaos/run-record.ts";
import { between, chaosSeed, seededRandom } from "../support/chaos/seeded-random.ts";
import { appOutput } from "../support/chaos/server-log.ts";
import { settle } from "../support/chaos/settle.ts";
import { sleep, until } from "../support/chaos/wait.ts";

const LISTENERS = 200;
const MESSAGES = 5000;
const RATE_PER_SECOND = Number(process.env.CHAOS_STORM_RATE ?? 100);
const WINDOW = 10;
const WRITING_MS = (MESSAGES / RATE_PER_SECOND) * 1000;
const DROPS = { min: 1, max: 3 };
const OFFLINE_MS = { min: 0, max: 5000 };
/**
 * Send limits out of the way of the writer; RESUME_LIMIT at 100, so that a
 * client away for more than about 1.5 s at the room's pace resumes with
 * `more` and pages in the rest.
 */
const VARS = {
  SEND_RATE_PER_SECOND: 1000,
  SEND_BURST: 1000,
  FRAME_RATE_PER_SECOND: 1000,
  FRAME_BURST: 1000,
  RESUME_LIMIT: 100,
};
/** A welcome for 200 clients at once can take seconds on a shared machine; the heartbeat must not mistake that for death. */
const HEARTBEAT = { intervalMs: 5000, timeoutMs: 10_000 };
/** The command that reproduces a run, given the environment it ran with. */
const command = (env: string) =>
  `npm run build && ${env} npx vitest run --project chaos test/chaos/reconnect-storm.test.ts`;

interface Drop {
  client: RecordedClient;
  at: number;
  offlineMs: number;
}

/** Severs each planned link at its moment, or as soon after as its client is linked again. */
async function dropAll(drops: readonly Drop[], startedAt: number): Promise<void> {
  await Promise.all(
    drops.map(async (drop) => {
      await sleep(startedAt + drop.at - performance.now());
      const deadline = performance.now() + 30_000;
      while (!drop.client.network.sever(drop.offlineMs) && performance.now() < deadline) await sleep(50);
    }),
  );
}

/** How fast acks came at the start and at the end: a room that falls behind shows it here. */
function ackRates(log: ClientLog | undefined): string {
  const times = (log?.acks ?? []).map((ack) => ack.at);
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  const early = times.filter((at) => at < first + 10_000).length / 10;
  const late = times.filter((at) => at > last - 10_000).length / 10;
  return `${early.toFixed(0)} / ${late.toFixed(0)}`;
}

describe("a reconnect storm", () => {
  it("leaves every client with exactly the room's history", async () => {
    const seed = chaosSeed();
    const random = seededRandom(seed);
    const runtime = await ChaosRuntime.start({ vars: VARS });
    const room = `storm-${seed}`;
    const listeners = Array.from(
      { length: LISTENERS },
      (_, index) => new RecordedClient(runtime.url, { room, name: `l${index}`, heartbeat: HEARTBEAT }),
    );
    const drops: Drop[] = listeners.flatMap((client) =>
      Array.from({ length: between(random, DROPS.min, DROPS.max) }, () => ({
        client,
        at: between(random, 0, WRITING_MS),
        offlineMs: between(random, OFFLINE_MS.min, OFFLINE_MS.max),
      })),
    );
    const started = now();
    let folder: string;
    let writingMs = 0;
    let raw: RawClient | undefined;
    try {
      await until("every listener is online", () => listeners.every((client) => client.online), 60_000);
      raw = await RawClient.open(runtime.url, room, { name: "writer" });
      const writer = new PacedWriter(raw, room, "writer");
      const dropping = dropAll(drops, performance.now());
      // The room may deliver slower than the writer offers; the wait lasts as long as acks keep coming.
      writingMs = await writer.write(MESSAGES, RATE_PER_SECOND, 60_000, WINDOW);
      await dropping;
      await settle(runtime.url, listeners, 180_000);
      const histories = { [room]: await readHistory(runtime.url, room) };
      const logs = [writer.snapshot(), ...listeners.map((client) => client.snapshot())];
      folder = await saveRun("reconnect-storm", { logs, histories });
    } catch (error) {
      const writerState =
        raw === undefined ? "never opened" : JSON.stringify({ open: raw.isOpen, closed: raw.closedWith });
      const online = listeners.filter((client) => client.online).length;
      const output = appOutput(runtime.log()).slice(-30).join("\n");
      throw new Error(`${String(error)}\nwriter: ${writerState}; listeners online: ${online}\n${output}`);
    } finally {
      raw?.close();
      for (const client of listeners) client.close();
      await runtime.stop();
    }
    const runMs = now() - started;

    const run = await loadRun(folder);
    const history = run.histories[room] ?? [];
    const violations = checkRun(run);
    const listenerLogs = run.logs.filter((log) => log.name !== "writer");
    const severed = listenerLogs.reduce((sum, log) => sum + log.links.filter((link) => link.severed).length, 0);
    const resumes = distribution(listenerLogs.flatMap((log) => resumeTimes(log.links)));
    const welcomes = listenerLogs.flatMap((log) => log.links.flatMap((link) => (link.welcome ? [link.welcome] : [])));
    const delivered = listenerLogs.reduce((sum, log) => sum + log.delivered.length, 0);
    const counts = countViolations(violations);
    await reportFigures("reconnect-storm", {
      title: `Reconnect storm: ${LISTENERS} listeners, ${MESSAGES} messages at ${RATE_PER_SECOND}/s (seed ${seed})`,
      command: command(`CHAOS_SEED=${seed} CHAOS_STORM_RATE=${RATE_PER_SECOND}`),
      rows: {
        "messages stored": history.length,
        "writer's rate offered (msg/s)": RATE_PER_SECOND,
        "writer's window (most unacknowledged)": WINDOW,
        "room's rate achieved, first send to last ack (msg/s)": (MESSAGES * 1000) / writingMs,
        "acks per second in the first / last 10 s": ackRates(run.logs.find((log) => log.name === "writer")),
        "writer's messages acked": run.logs.find((log) => log.name === "writer")?.acks.length ?? 0,
        "links severed": severed,
        "listeners with 1 / 2 / 3 drops": [1, 2, 3]
          .map((n) => listenerLogs.filter((log) => log.links.filter((link) => link.severed).length === n).length)
          .join(" / "),
        "resumes whose welcome said more (paged in)": welcomes.filter((welcome) => welcome.more).length,
        "messages delivered to listeners": delivered,
        "client views differing from the history": counts.view,
        "acked and lost": counts.lost,
        "stored twice": counts.duplicated,
        "seq gaps or disorder": counts.gap,
        "connections out of order": counts["link-order"],
        truncations: counts.truncated,
        "away per drop, p50 / p99 / max (ms, offline time included)": `${resumes.p50.toFixed(0)} / ${resumes.p99.toFixed(0)} / ${resumes.max.toFixed(0)}`,
        "run (s)": runMs / 1000,
      },
    });
    expect(history).toHaveLength(MESSAGES);
    expect(severed).toBe(drops.length);
    expect(delivered).toBe(LISTENERS * MESSAGES);
    expect(firstViolations(violations)).toEqual(noViolations());
  });
});
