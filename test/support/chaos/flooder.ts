/**
 * A flooder: a raw client that sends frames as fast as it is told to
 * (`framesPerSecond`), whatever the room answers, and when the room closes it,
 * comes straight back on a new connection until `durationMs` is up: as the
 * same user (`keepToken`), or as a new one each time. It counts what it sent
 * and what it got back, how each connection ended, and how many times the
 * room refused to let it back in.
 */
import { RawClient } from "./raw-client.ts";
import { sleep } from "./wait.ts";

export interface FloodReport {
  connections: number;
  /** Attempts to come back that the room refused at the upgrade (its cool-down after abuse). */
  refusedReconnects: number;
  framesSent: number;
  /** How each connection ended, by close code ("open" for one still open at the end). */
  closes: Record<string, number>;
  /** From the first frame of each closed connection to its close, in ms. */
  lifetimesMs: number[];
  /** Error frames received, by code. */
  errors: Record<string, number>;
  /** Messages the room stored for the flooder (acks received). */
  acked: number;
  /** Characters of text frames received: what the flood made the room send back. */
  charactersReceived: number;
  /** CPU time the flooder itself used, in ms. */
  cpuMs: number;
  /** User ids and identity tokens the flooder was given, one per connection. */
  userIds: string[];
  tokens: string[];
}

export interface FloodOptions {
  framesPerSecond: number;
  durationMs: number;
  /** The n-th frame to send. */
  frame(n: number): string;
  /** Come back after a close; otherwise the flood ends with the first connection. */
  reconnect: boolean;
  /** Come back as the same user, with the token of the last welcome. */
  keepToken: boolean;
}

/** How often the flooder wakes to send the frames that are due. */
const TICK_MS = 5;
/** How soon a refused flooder tries again: at once, give or take a timer tick. */
const RETRY_MS = 10;

export async function flood(baseUrl: string, room: string, options: FloodOptions): Promise<FloodReport> {
  const report: FloodReport = {
    connections: 0,
    refusedReconnects: 0,
    framesSent: 0,
    closes: {},
    lifetimesMs: [],
    errors: {},
    acked: 0,
    charactersReceived: 0,
    cpuMs: 0,
    userIds: [],
    tokens: [],
  };
  const cpuAtStart = process.cpuUsage();
  const deadline = performance.now() + options.durationMs;
  let token: string | undefined;
  while (performance.now() < deadline) {
    const client = await RawClient.open(baseUrl, room, options.keepToken && token !== undefined ? { token } : {}).catch(
      () => null,
    );
    if (client === null) {
      if (report.connections === 0) throw new Error("the room refused the flooder's first connection");
      report.refusedReconnects++;
      await sleep(RETRY_MS);
      continue;
    }
    token = client.welcome.token;
    report.connections++;
    report.userIds.push(client.welcome.you.id);
    report.tokens.push(client.welcome.token);
    client.onFrame = (frame) => {
      if (frame.type === "error") report.errors[frame.code] = (report.errors[frame.code] ?? 0) + 1;
      if (frame.type === "ack") report.acked++;
    };
    const startedAt = performance.now();
    let sentHere = 0;
    let closed = false;
    void client.closed.then(() => {
      closed = true;
    });
    while (!closed && performance.now() < deadline) {
      // What is due by now, on an absolute schedule, so that late timers do not lower the rate.
      const due = Math.floor(((performance.now() - startedAt) * options.framesPerSecond) / 1000);
      for (; sentHere < due && client.isOpen; sentHere++) {
        client.sendRaw(options.frame(report.framesSent));
        report.framesSent++;
      }
      await sleep(TICK_MS);
    }
    report.charactersReceived += client.charactersReceived;
    if (closed) {
      const { code, at } = await client.closed;
      report.closes[code] = (report.closes[code] ?? 0) + 1;
      report.lifetimesMs.push(at - startedAt);
    } else {
      report.closes.open = (report.closes.open ?? 0) + 1;
      client.close();
    }
    if (!options.reconnect) break;
  }
  const cpu = process.cpuUsage(cpuAtStart);
  report.cpuMs = (cpu.user + cpu.system) / 1000;
  return report;
}
