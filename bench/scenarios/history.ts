/**
 * History: a room holding many messages (filled at full speed, several
 * senders pipelining), then the round trip of a history page from a random
 * point, and of a welcome that resumes `resumeBack` messages back. The app
 * alone: the references keep no history. A plain welcome (the newest 50) is
 * measured too, so the cost of resuming can be told from the cost of
 * connecting. Search is timed in the same room, beside the pages: a word
 * every message holds (the newest 20 hits) and a word only one holds.
 */

import { distribution } from "../../support/percentiles.ts";
import type { BenchContext } from "../bench-context.ts";
import { BenchSocket } from "../client/bench-socket.ts";
import { closeSockets, openSockets, problemsOf } from "../client/socket-group.ts";
import type { Figure } from "../figure.ts";
import { isGeneratorBound } from "../generator-load.ts";
import type { Window } from "../measure-window.ts";
import { within } from "../pace.ts";
import { storagePath } from "../reference/reference-path.ts";
import type { Target } from "../targets.ts";
import { messageText } from "./message-text.ts";

const FILL_SENDERS = 4;
/**
 * Messages each filling sender keeps in flight. Deeper pipelines make the
 * local runtime itself slow down as the run goes on, the bare reference too
 * (docs/performance.md has the figures), so the fill stays shallow.
 */
const FILL_WINDOW = 8;
const FILL_DRAIN_MS = 10_000;
const PAGE_TIMEOUT_MS = 10_000;
/** A word of every benchmark message (bench/scenarios/message-text.ts). */
const COMMON_WORD = "quick";

export async function runHistory(ctx: BenchContext): Promise<Figure[]> {
  const target = ctx.targets.edgechat;
  const { messages, fillLimitMs, pages, pageSize, resumes, resumeBack } = ctx.sizes.history;
  const room = ctx.freshRoom("history");
  const closeFill = await ctx.measure(`history fill N=${messages}`, target.name);
  const fill = await fillRoom(target, room, messages, fillLimitMs);
  const fillWindow = await closeFill();
  const figures = [
    figureOf(
      `fill N=${fill.acked}`,
      { ackedPerSecond: (fill.acked * 1000) / fillWindow.wallMs, operations: fill.acked },
      fillWindow,
      { unacknowledged: fill.sent - fill.acked, ...fill.problems },
    ),
  ];

  const reader = await BenchSocket.open(target, room);
  const lastSeq = reader.welcome?.lastSeq ?? 0;
  const closePages = await ctx.measure(`history page ${pageSize} of N=${lastSeq}`, target.name);
  const paging = await readPages(reader, lastSeq, pages, pageSize);
  const pageWindow = await closePages();
  const pageTimes = distribution(paging.latencies);
  figures.push(
    figureOf(`page ${pageSize} of N=${lastSeq}`, { ...pageTimes }, pageWindow, {
      wrongPages: paging.wrong,
      invalidFrames: reader.invalidFrames,
      refused: reader.refusals,
    }),
  );
  // The first search indexes the messages the last batch left; it is not timed.
  await timeSearches(reader, 1, COMMON_WORD, () => true);
  const fillFigure = figures[0];
  if (fillFigure !== undefined) Object.assign(fillFigure.metrics, await storageSizes(target, room));
  const rare = Math.max(0, Math.floor(lastSeq / 2));
  for (const [label, q, expected] of [
    [`search "${COMMON_WORD}" of N=${lastSeq}`, COMMON_WORD, (hits: number) => hits === 20],
    [`search a rare word of N=${lastSeq}`, `${rare}`, (hits: number) => hits >= 1],
  ] as const) {
    const close = await ctx.measure(`history ${label}`, target.name);
    const result = await timeSearches(reader, pages, q, expected);
    const window = await close();
    figures.push(figureOf(label, { ...distribution(result.latencies) }, window, { wrongResults: result.wrong }));
  }
  await reader.close();

  for (const since of [lastSeq - resumeBack, undefined]) {
    const label = since === undefined ? "welcome, newest 50" : `welcome since ${resumeBack} back`;
    const close = await ctx.measure(`history ${label}`, target.name);
    const result = await timeWelcomes(target, room, resumes, since, lastSeq);
    const window = await close();
    figures.push(figureOf(label, { ...distribution(result.latencies) }, window, { wrongWelcomes: result.wrong }));
  }
  return figures;
}

function figureOf(label: string, metrics: Record<string, number>, window: Window, violations: Record<string, number>) {
  const figure: Figure = {
    scenario: "history",
    case: label,
    target: "edgechat",
    metrics,
    violations,
    generator: { ...window.generator, bound: isGeneratorBound(window.generator, metrics.p99) },
    serverCpuMs: window.serverCpuMs,
    proxyCpuMs: window.proxyCpuMs,
    wallMs: window.wallMs,
  };
  return figure;
}

/** Stores up to `count` messages in `room` as fast as the room acknowledges them, for at most `limitMs`. */
async function fillRoom(target: Target, room: string, count: number, limitMs: number) {
  const sockets = await openSockets(target, room, FILL_SENDERS);
  const deadline = performance.now() + limitMs;
  let issued = 0;
  let acked = 0;
  let filled = () => {};
  const done = new Promise<void>((resolve) => {
    filled = resolve;
  });
  const sendOne = (socket: BenchSocket) => {
    if (issued >= count || performance.now() > deadline) {
      if (acked === issued) filled();
      return;
    }
    const i = issued++;
    socket.send({ type: "send", id: `${room}-${i}`, text: messageText(i) });
  };
  for (const socket of sockets) {
    socket.onFrame = (reading) => {
      if (reading.kind !== "ack") return;
      acked++;
      sendOne(socket);
    };
    for (let i = 0; i < FILL_WINDOW; i++) sendOne(socket);
  }
  await within(done, limitMs + FILL_DRAIN_MS);
  const problems = problemsOf(sockets);
  await closeSockets(sockets);
  return { sent: issued, acked, problems: { invalidFrames: problems.invalidFrames, refused: problems.refusals } };
}

/** Asks for `pages` pages before random points, one at a time; a page that is short or out of order is wrong. */
async function readPages(reader: BenchSocket, lastSeq: number, pages: number, pageSize: number) {
  const latencies: number[] = [];
  let wrong = 0;
  for (let i = 0; i < pages; i++) {
    const before = pageSize + 1 + Math.floor(Math.random() * Math.max(1, lastSeq - pageSize));
    const answered = new Promise<number[]>((resolve) => {
      reader.onFrame = (reading) => {
        if (reading.kind === "other" && reading.frame.type === "history") {
          resolve(reading.frame.messages.map((message) => message.seq));
        }
      };
    });
    const sentAt = performance.now();
    reader.send({ type: "history", before, limit: pageSize });
    let seqs: number[] = [];
    const arrived = await within(
      answered.then((value) => {
        seqs = value;
      }),
      PAGE_TIMEOUT_MS,
    );
    if (!arrived) throw new Error(`no history page within ${PAGE_TIMEOUT_MS} ms`);
    latencies.push(performance.now() - sentAt);
    if (!seqs.every((seq, k) => seq === before - pageSize + k)) wrong++;
  }
  return { latencies, wrong };
}

/** How much the app's room stores, read from the benchmark's own route once every message is indexed. */
async function storageSizes(target: Target, room: string): Promise<Record<string, number>> {
  const url = new URL(target.socketUrl(room));
  url.protocol = "http:";
  url.pathname = storagePath(room);
  url.search = "";
  const body: unknown = await (await fetch(url)).json();
  const sizes: Record<string, number> = {};
  for (const key of ["textBytes", "indexBytes", "databaseBytes"]) {
    const value = typeof body === "object" && body !== null ? Reflect.get(body, key) : undefined;
    if (typeof value !== "number") throw new Error(`no storage sizes for ${room}: ${JSON.stringify(body)}`);
    sizes[key] = value;
  }
  return sizes;
}

/** Searches `q` `count` times, one at a time; an answer whose hit count `expected` refuses is wrong. */
async function timeSearches(reader: BenchSocket, count: number, q: string, expected: (hits: number) => boolean) {
  const latencies: number[] = [];
  let wrong = 0;
  for (let i = 0; i < count; i++) {
    const ref = `search-${i}`;
    const answered = new Promise<number>((resolve) => {
      reader.onFrame = (reading) => {
        if (reading.kind === "other" && reading.frame.type === "results" && reading.frame.ref === ref) {
          resolve(reading.frame.hits.length);
        }
      };
    });
    const sentAt = performance.now();
    reader.send({ type: "search", ref, q });
    let hits = -1;
    const arrived = await within(
      answered.then((value) => {
        hits = value;
      }),
      PAGE_TIMEOUT_MS,
    );
    if (!arrived) throw new Error(`no search results within ${PAGE_TIMEOUT_MS} ms`);
    latencies.push(performance.now() - sentAt);
    if (!expected(hits)) wrong++;
  }
  return { latencies, wrong };
}

/** Opens `count` connections one after another, each timed from `new WebSocket` to its welcome. */
async function timeWelcomes(target: Target, room: string, count: number, since: number | undefined, lastSeq: number) {
  const latencies: number[] = [];
  let wrong = 0;
  const expectedFirst = since === undefined ? Math.max(1, lastSeq - 49) : since + 1;
  for (let i = 0; i < count; i++) {
    const query = since === undefined ? undefined : new URLSearchParams({ since: String(since) });
    const start = performance.now();
    const socket = await BenchSocket.open(target, room, query === undefined ? {} : { query });
    latencies.push(socket.readyAt - start);
    const history = socket.welcome?.history ?? [];
    if (history[0]?.seq !== expectedFirst || history.at(-1)?.seq !== lastSeq) wrong++;
    await socket.close();
  }
  return { latencies, wrong };
}
