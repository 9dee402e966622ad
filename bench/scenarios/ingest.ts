/** Ingest: S senders in one room, each keeping one message in flight; acknowledged messages per second. */
import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import { openSockets } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
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
  return measureClosedLoop(ctx, target, sockets, {
    scenario: "ingest",
    label: `S=${senders}`,
    idPrefix: `${room}-`,
    durationMs,
  });
}
