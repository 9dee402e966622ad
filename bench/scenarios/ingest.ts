/**
 * Ingest: S senders in one room, each keeping one message in flight;
 * acknowledged messages per second, and for the app the SQLite rows written
 * per stored message (Cloudflare bills rows written, indexes included).
 */
import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import { openSockets } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { rowsWrittenPath } from "../reference/reference-path.ts";
import type { Target } from "../targets.ts";
import { measureClosedLoop } from "./closed-loop-figure.ts";

export async function runIngest(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const name of TARGET_ORDER) figures.push(await ingest(ctx, ctx.targets[name]));
  return figures;
}

async function ingest(ctx: BenchContext, target: Target): Promise<Figure> {
  const { senders, durationMs } = ctx.sizes.ingest;
  const room = ctx.freshRoom("ingest");
  const sockets = await openSockets(target, room, senders);
  const rowsBefore = target.speaksProtocol ? await rowsWritten(target, room) : 0;
  let rowsAfter = Number.NaN;
  const figure = await measureClosedLoop(ctx, target, sockets, {
    scenario: "ingest",
    label: `S=${senders}`,
    idPrefix: `${room}-`,
    durationMs,
    // Read before the senders close: what their closes write is per connection, not per message.
    ended: async () => {
      if (target.speaksProtocol) rowsAfter = await rowsWritten(target, room);
    },
  });
  if (target.speaksProtocol) {
    // Every message the loop sent was stored once.
    figure.metrics.rowsWrittenPerMessage = (rowsAfter - rowsBefore) / (figure.metrics.operations ?? Number.NaN);
  }
  return figure;
}

/** The rows the app's room has written since it started, read from the benchmark's own route. */
async function rowsWritten(target: Target, room: string): Promise<number> {
  const url = new URL(target.socketUrl(room));
  url.protocol = "http:";
  url.pathname = rowsWrittenPath(room);
  url.search = "";
  const body: unknown = await (await fetch(url)).json();
  const rows = typeof body === "object" && body !== null ? Reflect.get(body, "rowsWritten") : undefined;
  if (typeof rows !== "number") throw new Error(`no rows written for ${room}: ${JSON.stringify(body)}`);
  return rows;
}
