/**
 * 10,000 generated bad frames of 15 kinds against one room, with the
 * contract's default limits. Each frame must be answered with the typed error
 * the contract names, the connection must stay usable (a history request
 * after the bad frames is answered), the room must never crash (a bystander's
 * connection stays up throughout) and its history must not change. The
 * abuse rule closes a connection after 50 refusals in 10 s and the frame
 * budget allows 40 frames at once, so the frames are spread over connections
 * of 39 bad frames and one probe each. No error and no line of the runtime's
 * output may carry a stack trace, a token or the text of a frame.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../protocol/frames.ts";
import { type BadFrame, generateBadFrames } from "../support/chaos/bad-frames.ts";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { RawClient } from "../support/chaos/raw-client.ts";
import { RecordedClient } from "../support/chaos/recorded-client.ts";
import { readHistory } from "../support/chaos/room-http.ts";
import { chaosSeed, seededRandom } from "../support/chaos/seeded-random.ts";
import { appOutput, findLeaks } from "../support/chaos/server-log.ts";
import { sleep, until } from "../support/chaos/wait.ts";

const FRAMES = 10_000;
const PER_CONNECTION = 39;
const PARALLEL = 4;
/** The command that reproduces a run, given the environment it ran with. */
const command = (env: string) => `npm run build && ${env} npx vitest run --project chaos test/chaos/bad-frames.test.ts`;

interface Outcome {
  answered: number;
  wrongAnswers: string[];
  leakyAnswers: string[];
  unusable: number;
  closedEarly: number;
  byCode: Record<string, number>;
  tokens: string[];
}

/** Sends one batch on a fresh connection and checks each answer, in order, then the probe. */
async function sendBatch(url: string, room: string, batch: readonly BadFrame[], marker: string, into: Outcome) {
  const client = await RawClient.open(url, room);
  into.tokens.push(client.welcome.token);
  for (const frame of batch) client.sendRaw(frame.data);
  client.send({ type: "history", limit: 1 });
  try {
    for (const frame of batch) {
      const error = await client.waitFor("error", 15_000);
      into.answered++;
      into.byCode[error.code] = (into.byCode[error.code] ?? 0) + 1;
      const idOk = error.id === undefined || error.id === frame.expected.id;
      if (error.code !== frame.expected.code || !idOk) {
        into.wrongAnswers.push(
          `${frame.kind}: expected ${JSON.stringify(frame.expected)}, got ${JSON.stringify(error)}`,
        );
      }
      if (error.message.includes(marker) || /\n\s+at\s|Error:/.test(error.message) || error.message.length > 200) {
        into.leakyAnswers.push(`${frame.kind}: ${error.message.slice(0, 300)}`);
      }
    }
    await client.waitFor("history", 15_000);
  } catch {
    // A missing answer or probe is counted here, and the connection's state below says why.
    into.unusable++;
  }
  if (!client.isOpen) into.closedEarly++;
  client.close();
}

describe("bad frames", () => {
  it("are each answered with a typed error, and leave the room, the connection and the history intact", async () => {
    const seed = chaosSeed();
    const marker = `secret-${crypto.randomUUID()}`;
    const frames = generateBadFrames(FRAMES, seededRandom(seed), marker, DEFAULT_LIMITS.maxFrameBytes);
    const runtime = await ChaosRuntime.start();
    const room = `bad-frames-${seed}`;
    const bystander = new RecordedClient(runtime.url, { room, name: "bystander" });
    const outcome: Outcome = {
      answered: 0,
      wrongAnswers: [],
      leakyAnswers: [],
      unusable: 0,
      closedEarly: 0,
      byCode: {},
      tokens: [],
    };
    const started = performance.now();
    let before: Awaited<ReturnType<typeof readHistory>>;
    let after: typeof before;
    let log: string;
    try {
      await until("the bystander is online", () => bystander.online, 30_000);
      for (let n = 1; n <= 10; n++) bystander.send(`before the bad frames ${n}`);
      await until("the bystander's messages are stored", () => bystander.lastSeq === 10, 30_000);
      before = await readHistory(runtime.url, room);
      const batches: BadFrame[][] = [];
      for (let i = 0; i < frames.length; i += PER_CONNECTION) batches.push(frames.slice(i, i + PER_CONNECTION));
      const lanes = Array.from({ length: PARALLEL }, async (_, lane) => {
        for (let b = lane; b < batches.length; b += PARALLEL) {
          await sendBatch(runtime.url, room, batches[b] ?? [], marker, outcome);
        }
      });
      await Promise.all(lanes);
      // Whatever the bad frames could have stored would have reached the bystander by now.
      await sleep(500);
      after = await readHistory(runtime.url, room);
      log = runtime.log();
    } finally {
      bystander.close();
      await runtime.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const kinds = new Set(frames.map((frame) => frame.kind));
    const leaks = findLeaks(appOutput(log), [marker, ...outcome.tokens]);
    const bystanderLinks = bystander.snapshot().links.length;
    await reportFigures("bad-frames", {
      title: `Bad frames: ${FRAMES} of ${kinds.size} kinds, ${PER_CONNECTION} per connection (seed ${seed})`,
      command: command(`CHAOS_SEED=${seed}`),
      rows: {
        "frames sent": frames.length,
        kinds: kinds.size,
        "connections used": Math.ceil(frames.length / PER_CONNECTION),
        "answered with an error": outcome.answered,
        "answers by code": JSON.stringify(outcome.byCode),
        "answers other than the contract's": outcome.wrongAnswers.length,
        "answers carrying frame text or a stack trace": outcome.leakyAnswers.length,
        "connections unusable after their batch": outcome.unusable,
        "connections closed by the room": outcome.closedEarly,
        "room crashes (the bystander's connection dropped)": bystanderLinks - 1,
        "history changed": JSON.stringify(after) !== JSON.stringify(before),
        "runtime output lines from the app": appOutput(log).length,
        "stack traces / secrets in the output": `${leaks.stackTraceLines.length} / ${leaks.secrets.length}`,
        "run (s)": seconds,
      },
    });
    expect(kinds.size).toBeGreaterThanOrEqual(12);
    expect(outcome.wrongAnswers.slice(0, 10)).toEqual([]);
    expect(outcome.leakyAnswers.slice(0, 10)).toEqual([]);
    expect(outcome.answered).toBe(FRAMES);
    expect({ unusable: outcome.unusable, closedEarly: outcome.closedEarly, bystanderLinks }).toEqual({
      unusable: 0,
      closedEarly: 0,
      bystanderLinks: 1,
    });
    expect(after).toEqual(before);
    expect(leaks).toEqual({ stackTraceLines: [], secrets: [] });
  });
});
