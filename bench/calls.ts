/**
 * `node bench/calls.ts`: how long a call takes to carry media, and what its
 * signalling costs, in real Chromium against `wrangler dev` on 127.0.0.1
 * (support/call-browser.ts: a fake camera and microphone, and a record of
 * each page's RTCPeerConnections and sent `signal` frames).
 *
 * For a call of N people (2, then 6), each in a browser profile of their
 * own, the people press "Call" one after another; for the k-th it measures
 * the time from the press (in the page, so that no driver latency is
 * counted) to the first inbound RTP byte, to the first decoded video frame,
 * and to audio and decoded video from every one of the k-1 already in the
 * call; and it counts the `signal` frames all pages sent for that join,
 * from the press until every page has media from the newcomer and the
 * candidates have settled. A mesh's signalling grows with the peers a
 * newcomer connects to, so a call's total grows as N².
 *
 * It is a benchmark of its own rather than a scenario of `npm run bench`:
 * it needs Chromium and measures the browsers' WebRTC stacks as much as
 * the room, which has no reference to compare with. Run it alone, as every
 * benchmark: six browsers encoding and decoding five videos each take both
 * cores of a small machine. Results go to bench/results/<time>-calls.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import {
  callMarks,
  launchCallChromium,
  newCallPerson,
  type SignalsSent,
  signalsSent,
} from "../support/call-browser.ts";
import { PROJECT_ROOT, startDevServer } from "../support/dev-server.ts";
import { distribution } from "../support/percentiles.ts";
import { sleep } from "./pace.ts";
import { describeMachine } from "./report/machine.ts";

const CALL_SIZES = [2, 6] as const;
/** How long a join may take to carry every peer's media before the run gives up on it. */
const JOIN_TIMEOUT_MS = 30_000;
/** After every page has the newcomer's media, late ICE candidates may still be on their way. */
const SETTLE_MS = 1500;
const RESULTS_DIR = join(PROJECT_ROOT, "bench/results");

/** One person's join into a call of `peers` others. */
interface Join {
  size: number;
  /** The joiner's place: 2 for the second person, and so on. */
  position: number;
  peers: number;
  /** The `call` join sent (the page asks for the camera meanwhile), and the room's `peers` frame received. */
  joinSentMs: number | null;
  peersMs: number | null;
  /** Every connection of the joiner `connected` (ICE and DTLS done). */
  connectedMs: number | null;
  firstByteMs: number | null;
  firstFrameMs: number | null;
  allPeersMs: number | null;
  /** `signal` frames every page sent for this join, as the room relayed them: offers and answers, ICE candidates. */
  descriptions: number;
  candidates: number;
  signals: number;
}

const started = performance.now();
const log = (line: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`);

const machine = describeMachine(PROJECT_ROOT);
const server = await startDevServer();
const browser = await launchCallChromium();
const chromium = browser.version();
log(`wrangler dev on ${server.url}; Chromium ${chromium}`);
const joins: Join[] = [];
try {
  for (const size of CALL_SIZES) joins.push(...(await measureCall(browser, server.url, size)));
} finally {
  await browser.close();
  await server.stop();
}

console.log(`\n${formatTable(joins)}\n`);
for (const size of CALL_SIZES) {
  const ofSize = joins.filter((join) => join.size === size);
  const total = ofSize.reduce((sum, join) => sum + join.signals, 0);
  const first = distribution(ofSize.flatMap((join) => (join.firstByteMs === null ? [] : [join.firstByteMs])));
  console.log(
    `N=${size}: ${total} signals for the whole call (${(total / Math.max(1, (size * (size - 1)) / 2)).toFixed(1)} per pair of people); join to first media p50 ${first.p50.toFixed(0)} ms, max ${first.max.toFixed(0)} ms`,
  );
}
await mkdir(RESULTS_DIR, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const resultsPath = join(RESULTS_DIR, `${stamp}-calls.json`);
const report = { command: "node bench/calls.ts", machine, chromium, joins };
await writeFile(resultsPath, `${JSON.stringify(report, null, 2)}\n`);
log(`wrote ${resultsPath}`);
log(`${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, code ${machine.commit}`);
process.exitCode = joins.some((join) => join.peers > 0 && join.allPeersMs === null) ? 1 : 0;

/** N people in a fresh room join one after another; the joins of the second to the N-th. */
async function measureCall(browser: Browser, url: string, size: number): Promise<Join[]> {
  const room = `bench-calls-${Date.now().toString(36)}-${size}`;
  const pages: Page[] = [];
  const contexts = [];
  const measured: Join[] = [];
  try {
    for (let index = 0; index < size; index++) {
      const context = await newCallPerson(browser);
      contexts.push(context);
      pages.push(await openRoomAs(context.newPage(), url, room, `p${index + 1}`));
    }
    for (const [index, page] of pages.entries()) {
      const before = await totalSignals(pages);
      const { pressedAt, ...times } = await pressCallAndTime(page, index);
      const marks = await callMarks(page);
      const since = (at: number) => (at < pressedAt ? null : at - pressedAt);
      await waitUntilEveryoneHasMediaFrom(pages.slice(0, index + 1));
      await sleep(SETTLE_MS);
      const after = await totalSignals(pages);
      const descriptions = after.descriptions - before.descriptions;
      const candidates = after.candidates - before.candidates;
      const join = {
        size,
        position: index + 1,
        peers: index,
        joinSentMs: since(marks.callSentAt),
        peersMs: since(marks.peersAt),
        ...times,
        descriptions,
        candidates,
        signals: descriptions + candidates,
      };
      if (index > 0) measured.push(join);
      log(`N=${size} join ${index + 1}: ${JSON.stringify(join)}`);
    }
  } finally {
    for (const context of contexts) await context.close();
  }
  return measured;
}

/** Opens the room as `name` (remembered as the nickname, so the page asks nothing) and waits until it is online. */
async function openRoomAs(opening: Promise<Page>, url: string, room: string, name: string): Promise<Page> {
  const page = await opening;
  await page.addInitScript((nickname) => localStorage.setItem("edgechat:nickname", nickname), name);
  await page.goto(`${url}/r/${room}`);
  await page.locator('#connection[data-state="online"]').waitFor({ timeout: JOIN_TIMEOUT_MS });
  return page;
}

/** Presses "Call" in the page and times, from the press, the first inbound media and every peer's. */
function pressCallAndTime(
  page: Page,
  peers: number,
): Promise<Pick<Join, "connectedMs" | "firstByteMs" | "firstFrameMs" | "allPeersMs"> & { pressedAt: number }> {
  return page.evaluate(
    async ({ peers, timeout }) => {
      const record: unknown = Reflect.get(window, "__edgechatCalls");
      const made: unknown = typeof record === "object" && record !== null ? Reflect.get(record, "made") : [];
      const connections = Array.isArray(made) ? made : [];
      const button = document.getElementById("call-button");
      const start = performance.now();
      button?.click();
      const times = {
        pressedAt: start,
        connectedMs: null as number | null,
        firstByteMs: null as number | null,
        firstFrameMs: null as number | null,
        allPeersMs: null as number | null,
      };
      if (peers === 0) return times;
      while (performance.now() - start < timeout) {
        const open = connections.filter(
          (connection): connection is RTCPeerConnection =>
            connection instanceof RTCPeerConnection && connection.connectionState !== "closed",
        );
        const received = await Promise.all(
          open.map(async (connection) => {
            let audio = 0;
            let video = 0;
            let frames = 0;
            for (const stats of (await connection.getStats()).values()) {
              if (stats.type !== "inbound-rtp") continue;
              if (stats.kind === "audio") audio += Number(stats.bytesReceived ?? 0);
              else {
                video += Number(stats.bytesReceived ?? 0);
                frames += Number(stats.framesDecoded ?? 0);
              }
            }
            return { audio, video, frames };
          }),
        );
        const now = performance.now() - start;
        const connected =
          open.length === peers && open.every((connection) => connection.connectionState === "connected");
        if (times.connectedMs === null && connected) times.connectedMs = now;
        if (times.firstByteMs === null && received.some(({ audio, video }) => audio + video > 0))
          times.firstByteMs = now;
        if (times.firstFrameMs === null && received.some(({ frames }) => frames > 0)) times.firstFrameMs = now;
        if (open.length === peers && received.every(({ audio, frames }) => audio > 0 && frames > 0)) {
          times.allPeersMs = now;
          // Media from every peer means every connection is up; `connectionState` may lag a task behind the stats.
          times.connectedMs ??= now;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return times;
    },
    { peers, timeout: JOIN_TIMEOUT_MS },
  );
}

/** Waits until each page has decoded video from everyone else in the call. */
async function waitUntilEveryoneHasMediaFrom(inCall: readonly Page[]): Promise<void> {
  const peers = inCall.length - 1;
  const deadline = performance.now() + JOIN_TIMEOUT_MS;
  for (const page of inCall) {
    await page.waitForFunction(
      async (wanted) => {
        const record: unknown = Reflect.get(window, "__edgechatCalls");
        const made: unknown = typeof record === "object" && record !== null ? Reflect.get(record, "made") : [];
        const open = (Array.isArray(made) ? made : []).filter(
          (connection): connection is RTCPeerConnection =>
            connection instanceof RTCPeerConnection && connection.connectionState === "connected",
        );
        if (open.length !== wanted) return false;
        const decoded = await Promise.all(
          open.map(async (connection) => {
            for (const stats of (await connection.getStats()).values()) {
              if (stats.type === "inbound-rtp" && stats.kind === "video" && Number(stats.framesDecoded ?? 0) > 0)
                return true;
            }
            return false;
          }),
        );
        return decoded.every(Boolean);
      },
      peers,
      { timeout: Math.max(1000, deadline - performance.now()), polling: 100 },
    );
  }
}

async function totalSignals(pages: readonly Page[]): Promise<SignalsSent> {
  const counts = await Promise.all(pages.map((page) => signalsSent(page)));
  return counts.reduce(
    (sum, count) => ({
      descriptions: sum.descriptions + count.descriptions,
      candidates: sum.candidates + count.candidates,
    }),
    { descriptions: 0, candidates: 0 },
  );
}

function formatTable(rows: readonly Join[]): string {
  const ms = (value: number | null) => (value === null ? "timed out" : `${value.toFixed(0)} ms`);
  const lines = [
    "| call | joiner | peers | press to join sent | to `peers` | to all connected | to first byte | to first frame | to every peer's media | signals for the join (descriptions + candidates) |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| N=${row.size} | ${row.position} | ${row.peers} | ${ms(row.joinSentMs)} | ${ms(row.peersMs)} | ${ms(row.connectedMs)} | ${ms(row.firstByteMs)} | ${ms(row.firstFrameMs)} | ${ms(row.allPeersMs)} | ${row.signals} (${row.descriptions} + ${row.candidates}) |`,
    ),
  ];
  return lines.join("\n");
}
