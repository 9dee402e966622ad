/**
 * Rooms: K rooms with a few clients each, every client keeping one message
 * in flight; the total acknowledged messages per second across all rooms.
 * Rooms are separate objects, so throughput should grow with K until the
 * runtime, not one room, is the limit.
 */
import { type BenchContext, TARGET_ORDER } from "../bench-context.ts";
import type { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, openSockets } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import type { Target } from "../targets.ts";
import { measureClosedLoop } from "./closed-loop-figure.ts";

export async function runRooms(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const rooms of ctx.sizes.rooms.rooms) {
    for (const name of TARGET_ORDER) figures.push(await manyRooms(ctx, ctx.targets[name], rooms));
  }
  return figures;
}

async function manyRooms(ctx: BenchContext, target: Target, roomCount: number): Promise<Figure> {
  const { clientsPerRoom, durationMs } = ctx.sizes.rooms;
  const sockets: BenchSocket[] = [];
  const prefix = ctx.freshRoom("rooms");
  try {
    for (let r = 0; r < roomCount; r++) sockets.push(...(await openSockets(target, `${prefix}-${r}`, clientsPerRoom)));
  } catch (error) {
    await closeSockets(sockets);
    throw error;
  }
  return measureClosedLoop(ctx, target, sockets, {
    scenario: "rooms",
    label: `K=${roomCount}`,
    idPrefix: `${prefix}-`,
    durationMs,
  });
}
