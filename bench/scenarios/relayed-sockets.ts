/**
 * Listeners of one app room opened across RELAYS of its relays, through
 * the bench's relayed route, whatever the room's size. Listener k of a room
 * goes to relay k mod RELAYS, so any number of them is spread evenly, and a
 * room grown over several calls stays so.
 */
import type { BenchContext } from "../bench-context.ts";
import type { BenchSocket, OpenOptions } from "../client/bench-socket.ts";
import { closeSockets, openSockets } from "../client/socket-group.ts";

/** The relays a relayed room's listeners are spread over: the app's default RELAY_SHARDS. */
export const RELAYS = 4;

/**
 * Opens listeners `first` .. `first + count - 1` of `room`, each on its
 * relay; if one cannot be opened, closes those this call opened and throws.
 */
export async function openRelayed(
  ctx: BenchContext,
  room: string,
  count: number,
  first = 0,
  options: OpenOptions = {},
): Promise<BenchSocket[]> {
  const opened: BenchSocket[] = [];
  try {
    for (let shard = 0; shard < RELAYS; shard++) {
      opened.push(...(await openSockets(ctx.relayed(shard), room, onShard(shard, first, count), options)));
    }
  } catch (error) {
    await closeSockets(opened);
    throw error;
  }
  return opened;
}

/** How many of listeners `first` .. `first + count - 1` go to relay `shard`. */
function onShard(shard: number, first: number, count: number): number {
  const upTo = (end: number) => Math.floor((end - shard + RELAYS - 1) / RELAYS);
  return upTo(first + count) - upTo(first);
}
