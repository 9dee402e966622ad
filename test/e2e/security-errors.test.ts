/**
 * Error bodies and logs never carry stack traces, tokens or message text.
 * A battery of refused requests, each carrying a marker wherever user text
 * can go, against the running app: every answer is the contract's
 * `{"error":{"code","message"}}` and repeats none of it. The runtime's output
 * during the battery is checked the same way. And when the Worker itself
 * fails (a var that is not a number), the answer is a bare 500 and the log
 * names the failure without a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { RawClient } from "../support/chaos/raw-client.ts";
import { appOutput, findLeaks } from "../support/chaos/server-log.ts";
import { probeUpgrade } from "../support/chaos/upgrade-probe.ts";
import { until } from "../support/chaos/wait.ts";

const marker = `marker-${crypto.randomUUID()}`;
const STACK = /\n\s+at\s|\bat\s+\S+\s+\(|\.ts:\d+/;
let runtime: ChaosRuntime;

beforeAll(async () => {
  runtime = await ChaosRuntime.start();
});

afterAll(async () => {
  await runtime.stop();
});

interface Answer {
  request: string;
  status: number;
  contentType: string | null;
  body: string;
}

function post(path: string, body: string, contentType = "application/json"): Promise<Response> {
  return fetch(`${runtime.url}${path}`, { method: "POST", headers: { "Content-Type": contentType }, body });
}

/** Whether `body` is exactly `{"error":{"code","message"}}` (with `retryAfter` for a 429) and nothing more. */
function isContractError(body: string, status: number): boolean {
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed !== "object" || parsed === null || Object.keys(parsed).join() !== "error") return false;
  const error: unknown = Reflect.get(parsed, "error");
  if (typeof error !== "object" || error === null) return false;
  const keys = Object.keys(error).sort().join();
  return keys === (status === 429 ? "code,message,retryAfter" : "code,message");
}

describe("refusals", () => {
  it("answer with the contract's error body, repeating no text, token or stack trace", async () => {
    const room = `errors-${crypto.randomUUID()}`;
    const insider = await RawClient.open(runtime.url, room, { name: "insider" });
    const token = insider.welcome.token;
    insider.close();
    const forged = `${token.slice(0, -4)}${marker.slice(0, 4)}`;
    const api = `/api/rooms/${room}`;
    const requests: [string, () => Promise<Response>][] = [
      ["body not JSON", () => post(`${api}/messages`, `{"text":"${marker}"`)],
      ["extra field", () => post(`${api}/messages`, JSON.stringify({ text: marker, [marker]: marker }))],
      ["text too long", () => post(`${api}/messages`, JSON.stringify({ text: `${marker}${"x".repeat(4001)}` }))],
      ["body too large", () => post(`${api}/messages`, JSON.stringify({ text: marker.repeat(600) }))],
      ["not JSON media type", () => post(`${api}/messages`, JSON.stringify({ text: marker }), "text/plain")],
      ["bad name", () => post(`${api}/messages`, JSON.stringify({ text: marker, name: `${marker}\u0000` }))],
      ["bad id", () => post(`${api}/messages`, JSON.stringify({ text: marker, id: marker.repeat(3), token: forged }))],
      ["bad token type", () => post(`${api}/messages`, JSON.stringify({ text: marker, token: [token] }))],
      ["bad page query", () => fetch(`${runtime.url}${api}/messages?before=${marker}&after=${token}`)],
      ["bad room name", () => fetch(`${runtime.url}/api/rooms/${marker}.${token}/messages`)],
      ["bad Last-Event-ID", () => fetch(`${runtime.url}${api}/events`, { headers: { "Last-Event-ID": marker } })],
      ["wrong method", () => fetch(`${runtime.url}${api}/messages`, { method: "PUT", body: marker })],
      ["unknown path", () => fetch(`${runtime.url}/api/${marker}/${token}`)],
      ["not an upgrade", () => fetch(`${runtime.url}${api}/ws?name=${marker}&token=${token}`)],
      [
        "foreign origin",
        () => fetch(`${runtime.url}${api}/messages`, { headers: { Origin: `https://${marker}.example` } }),
      ],
    ];
    const answers: Answer[] = [];
    for (const [request, send] of requests) {
      const response = await send();
      answers.push({
        request,
        status: response.status,
        contentType: response.headers.get("Content-Type"),
        body: await response.text(),
      });
    }
    for (const [request, query] of [
      ["bad display name", `?name=${encodeURIComponent(`${marker}\u0007`)}&token=${token}`],
      ["bad since", `?since=${marker}&token=${token}`],
      ["parameter twice", `?token=${token}&token=${forged}`],
    ] as const) {
      const answer = await probeUpgrade(`${runtime.url}${api}/ws${query}`);
      const contentType = answer.headers["content-type"];
      answers.push({
        request,
        status: answer.status,
        contentType: typeof contentType === "string" ? contentType : null,
        body: answer.body,
      });
    }
    const burst: Response[] = [];
    for (let i = 0; i < 12; i++) burst.push(await post(`${api}/messages`, JSON.stringify({ text: `${marker} ${i}` })));
    const limited = burst.find((response) => response.status === 429);
    if (limited === undefined) throw new Error("12 posts in a burst were never rate-limited");
    answers.push({
      request: "over the send rate",
      status: 429,
      contentType: limited.headers.get("Content-Type"),
      body: await limited.text(),
    });

    const bad = answers.filter(
      ({ status, contentType, body }) =>
        status < 400 ||
        !contentType?.startsWith("application/json") ||
        !isContractError(body, status) ||
        body.includes(marker) ||
        body.includes(token) ||
        body.includes(forged) ||
        STACK.test(body),
    );
    expect(answers.length).toBeGreaterThanOrEqual(19);
    expect(bad).toEqual([]);
    const leaks = findLeaks(appOutput(runtime.log()), [marker, token, forged]);
    expect(leaks).toEqual({ stackTraceLines: [], secrets: [] });
  });
});

describe("a failure inside the Worker", () => {
  let broken: ChaosRuntime;

  beforeAll(async () => {
    broken = await ChaosRuntime.start({ vars: { HISTORY_LIMIT: "lots" } });
  });

  afterAll(async () => {
    await broken.stop();
  });

  async function failAndLog(): Promise<{ status: number; body: unknown; output: string[] }> {
    const response = await fetch(`${broken.url}/api/rooms/broken-${crypto.randomUUID()}/messages`);
    const body: unknown = JSON.parse(await response.text());
    await until("the runtime logged the failure", () => broken.log().includes("edgechat: unexpected"), 10_000);
    return { status: response.status, body, output: appOutput(broken.log()) };
  }

  it("answers a bare 500 internal_error and logs the failure without a stack trace", async () => {
    const { status, body, output } = await failAndLog();
    expect({ status, body }).toEqual({
      status: 500,
      body: { error: { code: "internal_error", message: "the server failed to handle this request" } },
    });
    expect(findLeaks(output, [])).toEqual({ stackTraceLines: [], secrets: [] });
  });

  it("names the var that is not a valid limit in its log line", async () => {
    const { output } = await failAndLog();
    expect(output.some((line) => line.includes("HISTORY_LIMIT"))).toBe(true);
  });
});
