/**
 * The end of a fault run: every message queued has been acknowledged and
 * every client has been delivered everything its room stored, so the logs
 * are complete before they are compared with the rooms' histories.
 */
import type { RecordedClient } from "./recorded-client.ts";
import { roomInfo } from "./room-http.ts";
import { until } from "./wait.ts";

export async function settle(baseUrl: string, clients: readonly RecordedClient[], timeoutMs: number): Promise<void> {
  await until(
    "every outbox is empty",
    () => clients.every((client) => client.connection.outbox.length === 0),
    timeoutMs,
  );
  const lastSeqs = new Map<string, number>();
  for (const room of new Set(clients.map((client) => client.room))) {
    lastSeqs.set(room, (await roomInfo(baseUrl, room)).lastSeq);
  }
  await until(
    "every client was delivered its room's last message",
    () => clients.every((client) => client.lastSeq === lastSeqs.get(client.room)),
    timeoutMs,
  );
}
