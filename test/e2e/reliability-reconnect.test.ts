/**
 * Reconnecting while the runtime is down, with the SDK as a Node bot uses it
 * (Node's global WebSocket, no test transport). A retry that finds the
 * server gone must fail fast and be retried on the backoff schedule, so the
 * client is back soon after the server is.
 */
import { afterAll, describe, expect, it } from "vitest";
import { connectRoom, type RoomConnection } from "../../client/sdk.ts";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { sleep, until } from "../support/chaos/wait.ts";

const BACKOFF = { baseMs: 100, maxMs: 500 };
/** The SDK's default connect deadline is 10 s; a longer one makes a hang stand out from a slow start. */
const HEARTBEAT = { intervalMs: 20_000, timeoutMs: 15_000 };
/** Generous for the backoff's 500 ms and a handshake on a busy machine, far below the deadline. */
const BACK_WITHIN_MS = 3000;

const connections: RoomConnection[] = [];
let runtime: ChaosRuntime | undefined;

afterAll(async () => {
  for (const connection of connections) connection.close();
  await runtime?.stop();
});

describe("reconnecting while the runtime is down", () => {
  // Node 22's WebSocket reports a refused connection with `error` alone, never `close`;
  // the SDK must treat that as a failed attempt rather than wait out its connect deadline.
  it("is back within the backoff once the runtime serves again, not after the connect deadline", async () => {
    runtime = await ChaosRuntime.start();
    const connection = connectRoom(runtime.url, {
      room: `reconnect-${crypto.randomUUID()}`,
      backoff: BACKOFF,
      heartbeat: HEARTBEAT,
    });
    connections.push(connection);
    await until("the client is online", () => connection.state === "online", 20_000);
    await runtime.crash();
    await until("the client noticed", () => connection.state === "reconnecting", 20_000);
    await sleep(1000);
    await runtime.restart();
    const servingAt = performance.now();
    await until("the client is back online", () => connection.state === "online", 30_000);
    const backAfterMs = performance.now() - servingAt;
    await reportFigures("reconnect-while-down", {
      title: "Reconnect while the runtime is down: an SDK client in Node (backoff 100-500 ms, connect deadline 15 s)",
      command: "npm run build && npx vitest run --project e2e test/e2e/reliability-reconnect.test.ts",
      rows: { "runtime serving to client back online (ms)": backAfterMs },
    });
    expect(backAfterMs).toBeLessThan(BACK_WITHIN_MS);
  }, 120_000);
});
