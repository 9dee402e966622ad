/**
 * Relayed fan-out: the same load on the app twice in one run, at each rate.
 * First R listeners of one room connected to its Room, then R listeners of
 * another room spread over RELAYS of its relays (the bench's relayed route:
 * the room never reaches RELAY_THRESHOLD itself). In both, one sender
 * connected to the Room sends at the rate, and each case is measured as a
 * fan-out (fan-out-measure.ts). The relayed figure carries its p99 over the
 * direct one's, the cost of the relay hop.
 */

import type { BenchContext } from "../bench-context.ts";
import { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, openSockets } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { measureFanOut, messagesAt } from "./fan-out-measure.ts";
import { openRelayed, RELAYS } from "./relayed-sockets.ts";

export async function runRelayFanOut(ctx: BenchContext): Promise<Figure[]> {
  const { listeners, rates } = ctx.sizes.relayFanOut;
  const figures: Figure[] = [];
  for (const ratePerSecond of rates) {
    const direct = await fanOut(ctx, listeners, ratePerSecond, false);
    const relayed = await fanOut(ctx, listeners, ratePerSecond, true);
    relayed.metrics.p99OverDirect = (relayed.metrics.p99 ?? Number.NaN) / (direct.metrics.p99 ?? Number.NaN);
    figures.push(direct, relayed);
  }
  return figures;
}

async function fanOut(ctx: BenchContext, count: number, ratePerSecond: number, relayed: boolean): Promise<Figure> {
  const app = ctx.targets.edgechat;
  const room = ctx.freshRoom(relayed ? "relay-fan-out-relayed" : "relay-fan-out-direct");
  const listeners = relayed ? await openRelayed(ctx, room, count) : await openSockets(app, room, count);
  const sender = await BenchSocket.open(app, room);
  const figure = await measureFanOut(ctx, {
    scenario: "relay-fan-out",
    case: `R=${count} at ${ratePerSecond}/s ${relayed ? `across ${RELAYS} relays` : "direct"}`,
    target: app,
    listeners,
    sender,
    messages: messagesAt(ratePerSecond, ctx.sizes.relayFanOut.durationMs),
    ratePerSecond,
    prefix: `${room}-`,
  });
  await closeSockets([...listeners, sender]);
  figure.metrics.ratePerSecond = ratePerSecond;
  figure.metrics.relays = relayed ? RELAYS : 0;
  return figure;
}
