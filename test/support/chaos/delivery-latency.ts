/**
 * Delivery latency from recorded logs: for every message a recorded client
 * sent, the time from its `send()` to each client's `message` event for it,
 * the sender's own included. Senders and receivers share one process clock.
 */
import type { Message } from "../../../protocol/frames.ts";
import type { ClientLog } from "./recorded-client.ts";

export function deliveryLatencies(logs: readonly ClientLog[], histories: Record<string, Message[]>): number[] {
  const sentAt = new Map<string, number>();
  for (const log of logs) for (const sent of log.sent) sentAt.set(`${log.userId}/${sent.id}`, sent.at);
  const latencies: number[] = [];
  for (const log of logs) {
    const bySeq = new Map((histories[log.room] ?? []).map((message) => [message.seq, message]));
    for (const [seq, , at] of log.delivered) {
      const message = bySeq.get(seq);
      const sent = message === undefined ? undefined : sentAt.get(`${message.user.id}/${message.id}`);
      if (sent !== undefined) latencies.push(at - sent);
    }
  }
  return latencies;
}
