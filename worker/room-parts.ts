/**
 * The parts a Room is composed of. Each handler takes the parts it needs
 * from here; none of them knows about the Durable Object class itself.
 */
import type { Config } from "./config.ts";
import { Cooldowns } from "./cooldowns.ts";
import { EventStreams } from "./event-streams.ts";
import { Fanout } from "./fanout.ts";
import { FrameLimiter } from "./frame-limit.ts";
import { History } from "./history.ts";
import { Identity } from "./identity.ts";
import { Occupancy } from "./occupancy.ts";
import { Presence } from "./presence.ts";
import { type Limits, SERVER_FRAME } from "./protocol.ts";
import { SendLimiter } from "./rate-limit.ts";
import { migrate } from "./schema.ts";
import { UserDirectory } from "./users.ts";

export interface RoomParts {
  /** The room's normalised name. */
  name: string;
  ctx: DurableObjectState;
  limits: Limits;
  history: History;
  presence: Presence;
  /** Server-Sent Events listeners; they follow the room but are not online users. */
  events: EventStreams;
  fanout: Fanout;
  limiter: SendLimiter;
  frames: FrameLimiter;
  users: UserDirectory;
  cooldowns: Cooldowns;
  identity: Identity;
  occupancy: Occupancy;
}

/** Builds a room's parts; cheap enough for every wake (no I/O beyond schema checks). */
export function assembleRoom(ctx: DurableObjectState, config: Config): RoomParts {
  const name = ctx.id.name;
  if (name === undefined) throw new Error("a Room is addressed by name, never by a unique id");
  const { storage } = ctx;
  migrate(storage);
  const { limits } = config;
  const now = Date.now();
  const presence = new Presence(ctx);
  const limiter = new SendLimiter(storage.sql, { ratePerSecond: limits.sendRatePerSecond, burst: limits.sendBurst });
  limiter.prune(now);
  const users = new UserDirectory(storage.sql);
  users.forgetStale(now);
  const events = new EventStreams();
  const fanout = new Fanout(presence, events);
  const occupancy = new Occupancy(storage, limits.occupancyIntervalMs, now, {
    count: () => (presence.userCount > limits.presenceLimit ? presence.userCount : null),
    send: (online) => fanout.broadcast({ type: SERVER_FRAME.occupancy, online }),
  });
  return {
    name,
    ctx,
    limits,
    history: new History(storage.sql, limits.historyLimit),
    presence,
    events,
    fanout,
    limiter,
    frames: new FrameLimiter({ ratePerSecond: limits.frameRatePerSecond, burst: limits.frameBurst }),
    users,
    cooldowns: new Cooldowns(storage.sql),
    identity: new Identity(storage.sql),
    occupancy,
  };
}
