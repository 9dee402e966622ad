/**
 * Steady traffic for fault runs: every client queues a message on its own
 * fixed beat, the beats spread evenly over the interval so the room sees a
 * steady stream rather than bursts. A client with `maxPending` messages
 * unacknowledged skips its beat, so the offered load stays steady whether the
 * runtime is up or down, and a long outage costs a bounded queue rather than
 * a flood on return.
 */
import type { RecordedClient } from "./recorded-client.ts";

export interface SteadySenders {
  /** Stops queueing new messages; queued ones still go out. */
  stop(): void;
}

export function sendSteadily(clients: readonly RecordedClient[], everyMs: number, maxPending: number): SteadySenders {
  const timers: ReturnType<typeof setTimeout>[] = [];
  clients.forEach((client, index) => {
    const beat = () => {
      if (client.connection.outbox.length < maxPending) client.send(`${client.name} #${client.sentCount + 1}`);
    };
    timers.push(setTimeout(() => timers.push(setInterval(beat, everyMs)), (index * everyMs) / clients.length));
  });
  return {
    stop: () => {
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
