/**
 * The trace of one link of an SDK client: when it opened and closed and how,
 * the welcome it got, and the seqs of its live messages, read from the frames
 * as they pass, for the offline check of the room's order on each connection.
 */

/** What one socket of a client saw, times in ms on the process's `performance.now()` clock. */
export interface LinkTrace {
  openedAt: number;
  /** The `since` the SDK resumed from; null on a first connection. */
  since: number | null;
  welcomedAt: number | null;
  welcome: { lastSeq: number; history: number[]; more: boolean; truncated: boolean } | null;
  /** Seqs of the live `message` frames, in the order they arrived. */
  live: number[];
  closedAt: number | null;
  closeCode: number | null;
  /** Whether the runtime closed it with a close frame (false for a dropped TCP connection). */
  closedCleanly: boolean | null;
  /** Cut by the test rather than closed by either end. */
  severed: boolean;
  /** When the socket reported an error, if it did. */
  erroredAt: number | null;
}

/** A fresh trace for a socket opened to `url`, which names the `since` it resumes from. */
export function newTrace(url: string): LinkTrace {
  const since = new URL(url).searchParams.get("since");
  return {
    openedAt: performance.now(),
    since: since === null ? null : Number(since),
    welcomedAt: null,
    welcome: null,
    live: [],
    closedAt: null,
    closeCode: null,
    closedCleanly: null,
    severed: false,
    erroredAt: null,
  };
}

/** How the room encodes a message frame: `type` first, then `seq` (worker/handlers/send.ts spreads the message after it). */
const MESSAGE_PREFIX = '{"type":"message","seq":';

/** Notes a welcome or a live message (alone or in a batch) in the link's trace; other frames are the SDK's business. */
export function traceFrame(trace: LinkTrace, data: unknown): void {
  if (typeof data !== "string" || !data.startsWith("{")) return;
  if (data.startsWith(MESSAGE_PREFIX)) {
    // Read without a second JSON.parse: a storm delivers a million of these to one process.
    trace.live.push(Number.parseInt(data.slice(MESSAGE_PREFIX.length, MESSAGE_PREFIX.length + 20), 10));
    return;
  }
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    // Not JSON: the SDK reports it as a bad frame, and the offline checks count those.
    return;
  }
  if (typeof frame !== "object" || frame === null) return;
  const frames: unknown = Reflect.get(frame, "type") === "batch" ? Reflect.get(frame, "frames") : [frame];
  // A busy room sends the SDK (which selects edgechat.v2) several frames as one batch: each is noted in turn.
  if (Array.isArray(frames)) for (const each of frames) noteFrame(trace, each);
}

function noteFrame(trace: LinkTrace, frame: unknown): void {
  if (typeof frame !== "object" || frame === null) return;
  const type: unknown = Reflect.get(frame, "type");
  if (type === "message") {
    const seq: unknown = Reflect.get(frame, "seq");
    if (typeof seq === "number") trace.live.push(seq);
  } else if (type === "welcome") {
    const history: unknown = Reflect.get(frame, "history");
    const lastSeq: unknown = Reflect.get(frame, "lastSeq");
    trace.welcomedAt = performance.now();
    trace.welcome = {
      lastSeq: typeof lastSeq === "number" ? lastSeq : -1,
      history: Array.isArray(history) ? history.map((message: unknown) => seqOf(message)) : [],
      more: Reflect.get(frame, "more") === true,
      truncated: Reflect.get(frame, "truncated") === true,
    };
  }
}

function seqOf(message: unknown): number {
  if (typeof message !== "object" || message === null) return -1;
  const seq: unknown = Reflect.get(message, "seq");
  return typeof seq === "number" ? seq : -1;
}
