/**
 * Chromium for calls, shared by the browser test of calls and the calls
 * benchmark: a fake camera (a moving test pattern) and microphone (a beep)
 * that every page may use without a prompt, sound that plays without a
 * tap, and an init script that records each page's RTCPeerConnections,
 * counts the `signal` frames it sends and notes when it last sent a `call`
 * frame and received a `peers` frame, so that the real connections'
 * `getStats()` and the signalling's timing can be read with no hook in the
 * app.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "./chromium.ts";

/** Chromium's usual flags, plus a fake camera and microphone that need no prompt, and sound without a tap. */
const FLAGS = [
  ...CHROMIUM_FLAGS,
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
];

export function launchCallChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
}

/** A fresh profile whose pages record their peer connections and count the signals they send. */
export async function newCallPerson(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(recordCalls);
  return context;
}

/** What one of a page's open peer connections has received, summed by kind. */
export interface Received {
  state: string;
  audioBytes: number;
  videoBytes: number;
  framesDecoded: number;
}

/** Each open (not closed) peer connection of the page, and what it has received. */
export function receivedByConnection(page: Page): Promise<Received[]> {
  return page.evaluate(async () => {
    const record: unknown = Reflect.get(window, "__edgechatCalls");
    const connections: unknown = typeof record === "object" && record !== null ? Reflect.get(record, "made") : [];
    const open = (Array.isArray(connections) ? connections : []).filter(
      (connection): connection is RTCPeerConnection =>
        connection instanceof RTCPeerConnection && connection.connectionState !== "closed",
    );
    return Promise.all(
      open.map(async (connection) => {
        const received = { state: connection.connectionState, audioBytes: 0, videoBytes: 0, framesDecoded: 0 };
        for (const stats of (await connection.getStats()).values()) {
          if (stats.type !== "inbound-rtp") continue;
          if (stats.kind === "audio") received.audioBytes += Number(stats.bytesReceived ?? 0);
          else {
            received.videoBytes += Number(stats.bytesReceived ?? 0);
            received.framesDecoded += Number(stats.framesDecoded ?? 0);
          }
        }
        return received;
      }),
    );
  });
}

/** The `signal` frames the page has sent since it loaded: descriptions (offers, answers) and ICE candidates. */
export interface SignalsSent {
  descriptions: number;
  candidates: number;
}

export function signalsSent(page: Page): Promise<SignalsSent> {
  return page.evaluate(() => {
    const record: unknown = Reflect.get(window, "__edgechatCalls");
    const count = (name: string) => {
      const value: unknown = typeof record === "object" && record !== null ? Reflect.get(record, name) : 0;
      return typeof value === "number" ? value : 0;
    };
    return { descriptions: count("descriptions"), candidates: count("candidates") };
  });
}

/** When (the page's `performance.now()`) it last sent a `call` frame and last received a `peers` frame; 0 for never. */
export function callMarks(page: Page): Promise<{ callSentAt: number; peersAt: number }> {
  return page.evaluate(() => {
    const record: unknown = Reflect.get(window, "__edgechatCalls");
    const mark = (name: string) => {
      const value: unknown = typeof record === "object" && record !== null ? Reflect.get(record, name) : 0;
      return typeof value === "number" ? value : 0;
    };
    return { callSentAt: mark("callSentAt"), peersAt: mark("peersAt") };
  });
}

/** Runs in each page before its scripts: wraps RTCPeerConnection and WebSocket to record them. */
function recordCalls(): void {
  const record = { made: [] as RTCPeerConnection[], descriptions: 0, candidates: 0, callSentAt: 0, peersAt: 0 };
  Object.defineProperty(window, "__edgechatCalls", { value: record });
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      record.made.push(this);
    }
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data) {
    if (typeof data === "string" && data.startsWith('{"type":"signal"')) {
      if (data.includes('"description":')) record.descriptions += 1;
      else record.candidates += 1;
    }
    if (typeof data === "string" && data.startsWith('{"type":"call"')) record.callSentAt = performance.now();
    return send.call(this, data);
  };
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("message", ({ data }) => {
        if (typeof data === "string" && data.startsWith('{"type":"peers"')) record.peersAt = performance.now();
      });
    }
  };
}
