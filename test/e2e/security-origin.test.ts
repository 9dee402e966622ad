/**
 * The Origin policy against the running app. Foreign and malformed origins
 * get no upgrade and no read (403 forbidden_origin); the app's own origin,
 * a listed one and a request without Origin are let in. Then the same from a
 * victim's real browser: a page served from another local origin cannot read
 * a room, by fetch, EventSource or WebSocket, nor post into it, while the
 * same script on the app's own origin reads it (proof the probe would notice).
 */
import { createServer, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeInBrowser, launchChromium } from "../support/browser.ts";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { attack } from "../support/chaos/cross-origin-attack.ts";
import { RawClient } from "../support/chaos/raw-client.ts";
import { readHistory, roomInfo } from "../support/chaos/room-http.ts";
import { probeUpgrade } from "../support/chaos/upgrade-probe.ts";

const LISTED = "https://chat.example.com";
let runtime: ChaosRuntime;
let port: number;

beforeAll(async () => {
  runtime = await ChaosRuntime.start({ vars: { ALLOWED_ORIGINS: LISTED } });
  port = Number(new URL(runtime.url).port);
});

afterAll(async () => {
  await runtime.stop();
});

/**
 * Origins a browser page could send, or a forger could write, that are not
 * the app's. Three more belong here but cannot be tested through `wrangler
 * dev`: its proxy rewrites any header naming its own host:port onto the
 * Worker's URL (so `https://127.0.0.1:PORT` and `HTTP://127.0.0.1:PORT` arrive
 * as the app's own origin) and drops an empty Origin. The Worker's own answer
 * to those is tested inside workerd, in test/room/security-origin.test.ts.
 */
function foreignOrigins(): string[] {
  const own = `127.0.0.1:${port}`;
  return [
    "https://evil.example",
    "null",
    `http://${own}.evil.example`,
    `http://127.0.0.1.evil.example:${port}`,
    `http://127.0.0.1:${port + 1}`,
    `ws://${own}`,
    "file://",
    "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
    "moz-extension://0b4c1c4e-0000-4000-8000-000000000000",
    `http://localhost:${port}`,
    `http://${own}/`,
    `http://${own}, https://evil.example`,
    `${LISTED}.evil.example`,
    "http://chat.example.com",
    "https://CHAT.example.com",
  ];
}

/** The `error.code` of a JSON error body, or null. */
function errorCode(body: string): string | null {
  const parsed: unknown = body === "" ? null : JSON.parse(body);
  if (typeof parsed !== "object" || parsed === null) return null;
  const error: unknown = Reflect.get(parsed, "error");
  if (typeof error !== "object" || error === null) return null;
  const code: unknown = Reflect.get(error, "code");
  return typeof code === "string" ? code : null;
}

function room(): string {
  return `origin-${crypto.randomUUID()}`;
}

describe("the Origin policy", () => {
  it("gives no upgrade to a foreign or malformed Origin", async () => {
    const answers: { origin: string; status: number; code: string | null }[] = [];
    for (const origin of foreignOrigins()) {
      const answer = await probeUpgrade(`${runtime.url}/api/rooms/${room()}/ws`, { Origin: origin });
      answers.push({ origin, status: answer.status, code: errorCode(answer.body) });
    }
    expect(answers.length).toBeGreaterThanOrEqual(11);
    expect(answers).toEqual(answers.map(({ origin }) => ({ origin, status: 403, code: "forbidden_origin" })));
  });

  it("upgrades the app's own origin, a listed origin, and a request without Origin", async () => {
    const statuses = [];
    for (const headers of [{ Origin: `http://127.0.0.1:${port}` }, { Origin: LISTED }, {}]) {
      statuses.push((await probeUpgrade(`${runtime.url}/api/rooms/${room()}/ws`, headers)).status);
    }
    expect(statuses).toEqual([101, 101, 101]);
  });

  it("answers every read and write from a foreign Origin with 403 forbidden_origin", async () => {
    const target = room();
    const requests: [string, RequestInit][] = [
      [`/api/rooms/${target}`, {}],
      [`/api/rooms/${target}/messages`, {}],
      [`/api/rooms/${target}/events`, {}],
      [
        `/api/rooms/${target}/messages`,
        { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "hi" }) },
      ],
      ["/api/rooms", { method: "POST" }],
    ];
    let refused = 0;
    const letIn: string[] = [];
    for (const origin of foreignOrigins()) {
      for (const [path, init] of requests) {
        const response = await fetch(`${runtime.url}${path}`, {
          ...init,
          headers: { ...init.headers, Origin: origin },
          signal: AbortSignal.timeout(10_000),
        });
        // An event stream that was let in never ends, so only a refusal's body is read.
        if (response.status !== 403) await response.body?.cancel();
        const code = response.status === 403 ? errorCode(await response.text()) : null;
        if (code === "forbidden_origin") refused++;
        else letIn.push(`${origin} ${init.method ?? "GET"} ${path}: ${response.status}`);
      }
    }
    expect(letIn).toEqual([]);
    expect(refused).toBe(foreignOrigins().length * requests.length);
    expect((await roomInfo(runtime.url, target)).lastSeq).toBe(0);
  });
});

describeInBrowser("a page on another origin, in the victim's browser", () => {
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;

  beforeAll(async () => {
    browser = await launchChromium();
    attacker = createServer((_, response) => {
      response.writeHead(200, { "Content-Type": "text/html" });
      response.end("<!doctype html><title>a stranger's page</title><p>nothing to see</p>");
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    const address = attacker.address();
    if (address === null || typeof address === "string") throw new Error("the stranger's server has no port");
    attackerUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await browser.close();
    await new Promise((resolve) => attacker.close(resolve));
  });

  it("cannot read a room or post into it, while the app's own page can read it", async () => {
    const target = room();
    const secret = `secret-${crypto.randomUUID()}`;
    const insider = await RawClient.open(runtime.url, target, { name: "insider" });
    insider.send({ type: "send", id: "s1", text: secret });
    await insider.waitFor("ack");
    insider.close();
    const args = { victim: runtime.url, room: target, secret };

    const page = await browser.newPage();
    await page.goto(attackerUrl);
    const stranger = await page.evaluate(attack, args);
    const info = await roomInfo(runtime.url, target);
    const history = await readHistory(runtime.url, target);
    await page.goto(`${runtime.url}/r/${target}`);
    const own = await page.evaluate(attack, args);
    await page.close();

    expect(Object.fromEntries(Object.entries(stranger).map(([way, attempt]) => [way, attempt.read]))).toEqual({
      fetch: false,
      fetchNoCors: false,
      eventSource: false,
      webSocket: false,
    });
    expect(stranger.webSocket?.detail).toBe("never opened");
    expect(stranger.eventSource?.detail).toBe("never opened");
    expect({ online: info.online, listeners: info.listeners }).toEqual({ online: 0, listeners: 0 });
    expect(history.map((message) => message.text)).toEqual([secret]);
    expect(Object.fromEntries(Object.entries(own).map(([way, attempt]) => [way, attempt.read]))).toEqual({
      fetch: true,
      fetchNoCors: true,
      eventSource: true,
      webSocket: true,
    });
  });
});
