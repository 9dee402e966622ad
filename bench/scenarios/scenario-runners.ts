/** Every scenario and the function that runs it, in the order a run takes them (idle cost first, on a fresh runtime's memory). */
import type { BenchContext } from "../bench-context.ts";
import type { Figure, ScenarioName } from "../figure.ts";
import { runConnectStorm } from "./connect-storm.ts";
import { runFanOut } from "./fan-out.ts";
import { runHistory } from "./history.ts";
import { runIdleCost } from "./idle-cost.ts";
import { runIngest } from "./ingest.ts";
import { runReactions } from "./reactions.ts";
import { runRelayCapacity } from "./relay-capacity.ts";
import { runRelayFanOut } from "./relay-fan-out.ts";
import { runRooms } from "./rooms.ts";

export const SCENARIO_RUNNERS: Record<ScenarioName, (ctx: BenchContext) => Promise<Figure[]>> = {
  "idle-cost": runIdleCost,
  "fan-out": runFanOut,
  "relay-fan-out": runRelayFanOut,
  ingest: runIngest,
  "connect-storm": runConnectStorm,
  history: runHistory,
  rooms: runRooms,
  reactions: runReactions,
  "relay-capacity": runRelayCapacity,
};
