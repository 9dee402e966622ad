/**
 * The sizes of each profile. `quick` (the default) fits in about three
 * minutes, `full` runs every scenario at the size the targets are stated
 * for, and `smoke` runs every scenario tiny so that CI notices when the
 * benchmark stops working (it asserts nothing about speed).
 */
export const PROFILE_NAMES = ["quick", "full", "smoke"] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface Sizes {
  idleCost: { sockets: number; hibernateWaitMs: number };
  /** Each case: R listeners at a send rate; the largest R also runs at a rate this machine's references sustain. */
  fanOut: { cases: readonly { listeners: number; ratePerSecond: number }[]; durationMs: number };
  ingest: { senders: number; durationMs: number };
  connectStorm: { clients: number; repeats: number };
  history: {
    messages: number;
    /** The fill stops here even if the room has not reached `messages`; the figures name the size reached. */
    fillLimitMs: number;
    pages: number;
    pageSize: number;
    resumes: number;
    resumeBack: number;
  };
  rooms: { rooms: readonly number[]; clientsPerRoom: number; durationMs: number };
  /** C clients, each its own user, toggling reactions on M messages (at most a page of them). */
  reactions: { clients: number; messages: number; durationMs: number };
  /** R listeners in one room and R across the relays of another, one sender at each rate. */
  relayFanOut: { listeners: number; rates: readonly number[]; durationMs: number };
  /** Listeners across the relays of one room, step by step to the last, each step checked with M messages at a rate. */
  relayCapacity: { steps: readonly number[]; messages: number; ratePerSecond: number };
}

function fanOutCase(listeners: number, ratePerSecond: number) {
  return { listeners, ratePerSecond };
}

/** The relay-capacity steps of quick and full: the room doubles until one fails or it holds 8000. */
const RELAY_CAPACITY_STEPS = [500, 1000, 2000, 4000, 8000];

/** The fan-out sizes the targets are stated for. */
const STATED_FAN_OUT = [fanOutCase(10, 30), fanOutCase(100, 30), fanOutCase(1000, 30)];

export const PROFILES: Record<ProfileName, Sizes> = {
  smoke: {
    idleCost: { sockets: 20, hibernateWaitMs: 1000 },
    fanOut: { cases: [fanOutCase(3, 30), fanOutCase(10, 30), fanOutCase(10, 5)], durationMs: 1000 },
    ingest: { senders: 3, durationMs: 1000 },
    connectStorm: { clients: 20, repeats: 1 },
    history: { messages: 300, fillLimitMs: 10_000, pages: 20, pageSize: 50, resumes: 5, resumeBack: 100 },
    rooms: { rooms: [1, 3], clientsPerRoom: 2, durationMs: 800 },
    reactions: { clients: 10, messages: 10, durationMs: 1000 },
    relayFanOut: { listeners: 20, rates: [5, 30], durationMs: 1000 },
    relayCapacity: { steps: [25, 50], messages: 20, ratePerSecond: 10 },
  },
  quick: {
    idleCost: { sockets: 1000, hibernateWaitMs: 10_000 },
    fanOut: { cases: [...STATED_FAN_OUT, fanOutCase(1000, 5)], durationMs: 3000 },
    ingest: { senders: 10, durationMs: 4000 },
    connectStorm: { clients: 1000, repeats: 1 },
    history: { messages: 20_000, fillLimitMs: 20_000, pages: 200, pageSize: 50, resumes: 30, resumeBack: 500 },
    rooms: { rooms: [1, 10, 100], clientsPerRoom: 3, durationMs: 2500 },
    reactions: { clients: 100, messages: 10, durationMs: 4000 },
    relayFanOut: { listeners: 1000, rates: [5, 30], durationMs: 5000 },
    relayCapacity: { steps: RELAY_CAPACITY_STEPS, messages: 20, ratePerSecond: 2 },
  },
  full: {
    idleCost: { sockets: 1000, hibernateWaitMs: 30_000 },
    fanOut: { cases: [...STATED_FAN_OUT, fanOutCase(1000, 5)], durationMs: 15_000 },
    ingest: { senders: 10, durationMs: 15_000 },
    connectStorm: { clients: 1000, repeats: 3 },
    history: { messages: 100_000, fillLimitMs: 360_000, pages: 1000, pageSize: 50, resumes: 100, resumeBack: 500 },
    rooms: { rooms: [1, 10, 100], clientsPerRoom: 3, durationMs: 10_000 },
    reactions: { clients: 100, messages: 10, durationMs: 10_000 },
    relayFanOut: { listeners: 1000, rates: [5, 30], durationMs: 15_000 },
    relayCapacity: { steps: RELAY_CAPACITY_STEPS, messages: 20, ratePerSecond: 2 },
  },
};

/** The send and frame rates (and bursts) of every run: no generator of this benchmark reaches them. */
export const RAISED_RATE_PER_SECOND = 1_000_000;

/**
 * The vars the run overrides: the send, frame and history-bytes rates and
 * bursts are raised so that no limiter refuses the generator, and retention
 * is raised so the history scenario's room keeps every message (the dev
 * server raises the limit on new identities for every local run).
 */
export function benchVars(sizes: Sizes): Record<string, number> {
  return {
    SEND_RATE_PER_SECOND: RAISED_RATE_PER_SECOND,
    SEND_BURST: RAISED_RATE_PER_SECOND,
    FRAME_RATE_PER_SECOND: RAISED_RATE_PER_SECOND,
    FRAME_BURST: RAISED_RATE_PER_SECOND,
    HISTORY_BYTES_PER_SECOND: 1_000_000_000,
    HISTORY_BYTES_BURST: 1_000_000_000,
    HISTORY_LIMIT: Math.max(10_000, sizes.history.messages * 2),
  };
}
