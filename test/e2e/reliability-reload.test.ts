/**
 * A reload of the runtime, standing in for a deploy: the runtime is stopped
 * gracefully (SIGTERM to its process group) while SDK clients chat, and
 * started again on the same state. The run measures what the sockets see
 * (close codes, whether the close was clean, how long after the stop) and
 * how long clients take to resume, and checks offline that nothing was lost
 * or duplicated.
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
import { settle } from "../support/chaos/settle.ts";
import { sendSteadily } from "../support/chaos/steady-senders.ts";
import { sleep, until } from "../support/chaos/wait.ts";

const RELOADS = 3;
const CLIENTS = 8;
const VARS = { SEND_RATE_PER_SECOND: 100, SEND_BURST: 100 };
const COMMAND = "npm run build && npx vitest run --project e2e test/e2e/reliability-reload.test.ts";

describe("a reload of the runtime", () => {
  it("closes every socket, and every client resumes with nothing lost or repeated", async () => {
    const runtime = await ChaosRuntime.start({ vars: VARS });
    const rooms = [`reload-${crypto.randomUUID()}`, `reload-${crypto.randomUUID()}`];
    const clients = Array.from(
      { length: CLIENTS },
      (_, index) => new RecordedClient(runtime.url, { room: rooms[index % rooms.length] ?? "", name: `r${index}` }),
    );
    const stoppedAt: number[] = [];
    const stopMs: number[] = [];
    const downMs: number[] = [];
    let folder: string;
    try {
      await until("every client is online", () => clients.every((client) => client.online), 30_000);
      const senders = sendSteadily(clients, 200, 5);
      for (let reload = 0; reload < RELOADS; reload++) {
        await sleep(1500);
        stoppedAt.push(now());
        await runtime.shutDown();
        stopMs.push(now() - (stoppedAt.at(-1) ?? 0));
        await runtime.restart();
        downMs.push(now() - (stoppedAt.at(-1) ?? 0));
        await until("every client is back online", () => clients.every((client) => client.online), 30_000);
      }
      senders.stop();
      await settle(runtime.url, clients, 30_000);
      const histories: Record<string, Awaited<ReturnType<typeof readHistory>>> = {};
      for (const room of rooms) histories[room] = await readHistory(runtime.url, room);
      folder = await saveRun("reload", { logs: clients.map((client) => client.snapshot()), histories });
    } finally {
      for (const client of clients) client.close();
      await runtime.stop();
    }

    const run = await loadRun(folder);
    const violations = checkRun(run);
    const closings = run.logs.flatMap((log) => log.links.filter((link) => link.welcome !== null && link.closedAt));
    const closes = new Map<string, number>();
    for (const link of closings) {
      const key = `${link.closeCode}${link.closedCleanly ? " (clean)" : " (no close frame)"}`;
      closes.set(key, (closes.get(key) ?? 0) + 1);
    }
    const closeDelays = distribution(
      closings.map((link) => {
        const stop = stoppedAt.filter((at) => at <= (link.closedAt ?? 0)).at(-1) ?? Number.NaN;
        return (link.closedAt ?? Number.NaN) - stop;
      }),
    );
    const resumes = distribution(run.logs.flatMap((log) => resumeTimes(log.links)));
    const allBack = distribution(
      timesUntilAllBack(
        stoppedAt,
        run.logs.map((log) => log.links),
      ),
    );
    const stored = Object.values(run.histories).reduce((sum, history) => sum + history.length, 0);
    await reportFigures("reload", {
      title: `Reload: ${RELOADS} graceful stops (SIGTERM) and starts, ${CLIENTS} SDK clients chatting`,
      command: COMMAND,
      rows: {
        reloads: RELOADS,
        "sockets closed by the reloads": closings.length,
        "close codes seen by clients": JSON.stringify(Object.fromEntries(closes)),
        "SIGTERM to a client's close event, p50 / max (ms)": `${closeDelays.p50.toFixed(0)} / ${closeDelays.max.toFixed(0)}`,
        "SIGTERM to the runtime's exit, p50 / max (ms)": `${distribution(stopMs).p50.toFixed(0)} / ${distribution(stopMs).max.toFixed(0)}`,
        "SIGTERM to the new runtime serving, p50 / max (ms)": `${distribution(downMs).p50.toFixed(0)} / ${distribution(downMs).max.toFixed(0)}`,
        "client away per drop, p50 / max (ms)": `${resumes.p50.toFixed(0)} / ${resumes.max.toFixed(0)}`,
        "SIGTERM to every client back, p50 / max (ms)": `${allBack.p50.toFixed(0)} / ${allBack.max.toFixed(0)}`,
        "messages stored": stored,
        "lost / duplicated / view errors": `${countViolations(violations).lost} / ${countViolations(violations).duplicated} / ${countViolations(violations).view}`,
      },
    });
    expect(closings.length).toBeGreaterThanOrEqual(CLIENTS * RELOADS);
    expect(firstViolations(violations)).toEqual(noViolations());
  }, 180_000);
});
