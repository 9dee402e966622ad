/**
 * The guarantees of docs/protocol.md, checked offline on recorded logs and on
 * each room's final history read over HTTP:
 * - a room's history is one order: seqs contiguous, no (user, id) stored twice;
 * - no acked message is lost: each ack names a stored message of that user;
 * - nothing sent is stored twice, and nothing sent goes missing once the outbox is empty;
 * - every client's view equals the room's history: no gap after a resume, nothing twice;
 * - each connection gets its welcome history and its live messages in seq order, without gaps.
 * Pure functions over plain data, so they can be tested and rerun on saved logs.
 */
import type { Message } from "../../../protocol/frames.ts";
import type { LinkTrace } from "./flaky-link.ts";
import { messageDigest } from "./message-digest.ts";
import type { ClientLog } from "./recorded-client.ts";
import type { RunRecord } from "./run-record.ts";

export const VIOLATION_KINDS = [
  "gap",
  "duplicated",
  "lost",
  "unstored",
  "view",
  "truncated",
  "link-order",
  "unacked",
] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];
export type Violations = Record<ViolationKind, string[]>;

export function noViolations(): Violations {
  return { gap: [], duplicated: [], lost: [], unstored: [], view: [], truncated: [], "link-order": [], unacked: [] };
}

/** How many violations of each kind, for figures and assertions. */
export function countViolations(v: Violations): Record<ViolationKind, number> {
  return {
    gap: v.gap.length,
    duplicated: v.duplicated.length,
    lost: v.lost.length,
    unstored: v.unstored.length,
    view: v.view.length,
    truncated: v.truncated.length,
    "link-order": v["link-order"].length,
    unacked: v.unacked.length,
  };
}

/** The first `n` violations of each kind: enough to diagnose a failed run without drowning its report. */
export function firstViolations(v: Violations, n = 10): Violations {
  return {
    gap: v.gap.slice(0, n),
    duplicated: v.duplicated.slice(0, n),
    lost: v.lost.slice(0, n),
    unstored: v.unstored.slice(0, n),
    view: v.view.slice(0, n),
    truncated: v.truncated.slice(0, n),
    "link-order": v["link-order"].slice(0, n),
    unacked: v.unacked.slice(0, n),
  };
}

/** One room's history: seqs contiguous from `firstSeq`, and each (user, id) stored once. */
export function checkHistory(room: string, history: readonly Message[], firstSeq: number, into: Violations): void {
  history.forEach((message, index) => {
    if (message.seq !== firstSeq + index) {
      into.gap.push(`${room}: position ${index} holds seq ${message.seq}, expected ${firstSeq + index}`);
    }
  });
  const seen = new Set<string>();
  for (const message of history) {
    const key = `${message.user.id}/${message.id}`;
    if (seen.has(key)) into.duplicated.push(`${room}: (user, id) ${key} stored twice (again at seq ${message.seq})`);
    seen.add(key);
  }
}

/**
 * A whole run where every client took part from the room's first message and
 * nothing may be truncated: each room's history, and each client's log
 * against its own room's.
 */
export function checkRun(run: RunRecord): Violations {
  const violations = noViolations();
  for (const [room, history] of Object.entries(run.histories)) checkHistory(room, history, 1, violations);
  for (const log of run.logs) {
    checkClient(log, run.histories[log.room] ?? [], { fromSeq: 1, truncationsAllowed: false }, violations);
  }
  return violations;
}

export interface ViewExpectation {
  /** The first seq the client must have been delivered. */
  fromSeq: number;
  /** Whether the client may have been told of a truncation (a retention test); otherwise any is a violation. */
  truncationsAllowed: boolean;
}

/** One client's log against its room's final history. */
export function checkClient(
  log: ClientLog,
  history: readonly Message[],
  expect: ViewExpectation,
  into: Violations,
): void {
  const who = `${log.room}/${log.name}`;
  const bySeq = new Map(history.map((message) => [message.seq, message]));
  const ackedSeq = new Map<string, number>();
  for (const ack of log.acks) {
    const stored = bySeq.get(ack.seq);
    if (stored === undefined || stored.id !== ack.id || stored.user.id !== log.userId) {
      into.lost.push(`${who}: ack of ${ack.id} at seq ${ack.seq}, but the history holds ${describe(stored)}`);
    }
    const earlier = ackedSeq.get(ack.id);
    if (earlier !== undefined && earlier !== ack.seq) {
      into.duplicated.push(`${who}: ${ack.id} acked at seq ${earlier} and at seq ${ack.seq}`);
    }
    ackedSeq.set(ack.id, ack.seq);
  }
  const storedOwn = new Map<string, number>();
  for (const message of history) {
    if (message.user.id === log.userId) storedOwn.set(message.id, (storedOwn.get(message.id) ?? 0) + 1);
  }
  for (const { id } of log.sent) {
    const copies = storedOwn.get(id) ?? 0;
    if (copies === 0) into.unstored.push(`${who}: sent ${id}, never stored`);
    if (copies > 1) into.duplicated.push(`${who}: sent ${id} once, stored ${copies} times`);
  }
  if (log.outboxLeft > 0) into.unacked.push(`${who}: ${log.outboxLeft} messages still unacknowledged`);
  if (!expect.truncationsAllowed) {
    for (const truncation of log.truncations) into.truncated.push(`${who}: truncated ${JSON.stringify(truncation)}`);
  }
  checkView(who, log.delivered, history, expect.fromSeq, into);
  log.links.forEach((link, index) => {
    checkLink(`${who} link ${index}`, link, into);
  });
}

/** What the client was delivered equals the history from `fromSeq` on, message for message. */
function checkView(
  who: string,
  delivered: readonly [number, string, number][],
  history: readonly Message[],
  fromSeq: number,
  into: Violations,
): void {
  const expected = history.filter((message) => message.seq >= fromSeq);
  const length = Math.max(expected.length, delivered.length);
  for (let i = 0; i < length; i++) {
    const want = expected[i];
    const got = delivered[i];
    if (want === undefined || got === undefined || got[0] !== want.seq || got[1] !== messageDigest(want)) {
      const gotText = got === undefined ? "nothing" : `seq ${got[0]}`;
      const wantText = want === undefined ? "nothing" : `seq ${want.seq}`;
      into.view.push(`${who}: delivery ${i} was ${gotText}, the history has ${wantText} there`);
      return;
    }
  }
}

/** One connection: its welcome history picks up after `since`, its live messages follow `lastSeq` one by one. */
function checkLink(who: string, link: LinkTrace, into: Violations): void {
  const { welcome } = link;
  if (welcome === null) return;
  const history = welcome.history;
  const resumesAt = (link.since === null || welcome.truncated ? history[0] : link.since + 1) ?? 0;
  const misplaced = history.findIndex((seq, index) => seq !== resumesAt + index);
  if (misplaced >= 0) {
    into["link-order"].push(`${who}: welcome history position ${misplaced} holds seq ${history[misplaced]}`);
  }
  const out = link.live.findIndex((seq, index) => seq !== welcome.lastSeq + 1 + index);
  if (out >= 0) {
    into["link-order"].push(`${who}: live message ${out} was seq ${link.live[out]}, welcome said ${welcome.lastSeq}`);
  }
}

function describe(message: Message | undefined): string {
  return message === undefined ? "nothing there" : `${message.user.id}/${message.id}`;
}
