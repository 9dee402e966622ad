/**
 * Closed-loop senders: each socket keeps exactly one message in flight and
 * sends the next when the previous is acknowledged (by the app's `ack`, or,
 * for a reference, by its own frame coming back). Throughput and latency are
 * counted after a warm-up, over a fixed window.
 */
import type { BenchSocket } from "../client/bench-socket.ts";
import type { FrameReading } from "../client/read-frame.ts";
import { within } from "../pace.ts";
import { messageText } from "./message-text.ts";

export interface ClosedLoopResult {
  /** Acknowledgements that arrived inside the counted window. */
  acked: number;
  /** Round trips (send to acknowledgement) of the messages sent inside the counted window, in ms. */
  latencies: number[];
  countedMs: number;
  /** Every acknowledgement, warm-up included: the work the server did over the whole loop. */
  total: number;
  /** Senders whose last message was never acknowledged. */
  stalled: number;
}

const DRAIN_MS = 5000;

export async function closedLoop(
  sockets: readonly BenchSocket[],
  prefix: string,
  durationMs: number,
): Promise<ClosedLoopResult> {
  const start = performance.now();
  const countFrom = start + Math.min(1000, durationMs * 0.2);
  const end = start + durationMs;
  const latencies: number[] = [];
  let acked = 0;
  let total = 0;
  let running = sockets.length;
  let allStopped = () => {};
  const stopped = new Promise<void>((resolve) => {
    allStopped = resolve;
  });
  sockets.forEach((socket, s) => {
    let sent = 0;
    let pending = "";
    let sentAt = 0;
    const sendNext = () => {
      pending = `${prefix}${s}-${sent}`;
      sentAt = performance.now();
      socket.send({ type: "send", id: pending, text: messageText(sent++) });
    };
    socket.onFrame = (reading, at) => {
      if (!isAckOf(reading, pending, socket.target.speaksProtocol)) return;
      total++;
      if (at >= countFrom && at <= end) acked++;
      if (sentAt >= countFrom && at <= end) latencies.push(at - sentAt);
      if (at < end) {
        sendNext();
      } else {
        pending = "";
        if (--running === 0) allStopped();
      }
    };
    sendNext();
  });
  await within(stopped, durationMs + DRAIN_MS);
  return { acked, latencies, countedMs: end - countFrom, total, stalled: running };
}

function isAckOf(reading: FrameReading, id: string, speaksProtocol: boolean): boolean {
  if (id === "") return false;
  if (speaksProtocol) return reading.kind === "ack" && reading.id === id;
  return reading.kind === "delivery" && reading.id === id;
}
