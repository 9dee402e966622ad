/** HTTP helpers for tests of the API through the Worker's front door. */

import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { ORIGIN } from "./client.ts";

export function api(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}${path}`, init);
}

/** POSTs a JSON body to a room's messages. */
export function postJson(room: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return api(`/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

export interface Posted {
  message: { seq: number; id: string; user: { id: string; name: string }; text: string; ts: number };
  token: string;
}

/** POSTs a message and returns the parsed answer, failing unless it is 201. */
export async function postOk(room: string, body: Record<string, unknown>): Promise<Posted> {
  const response = await postJson(room, body);
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
  const posted: Posted = await response.json();
  return posted;
}

/** The status and JSON body of a response. */
export async function statusAndBody(response: Response): Promise<{ status: number; body: unknown }> {
  return { status: response.status, body: await response.json() };
}

/** `"<status> <error code>"` of a JSON error answer, or `"<status> (no body)"`; for tables of many answers. */
export async function statusAndCode(response: Response): Promise<string> {
  const text = await response.text();
  if (text === "") return `${response.status} (no body)`;
  const body: unknown = JSON.parse(text);
  const error: unknown = typeof body === "object" && body !== null ? Reflect.get(body, "error") : null;
  const code: unknown = typeof error === "object" && error !== null ? Reflect.get(error, "code") : null;
  return `${response.status} ${String(code)}`;
}

export function errorBody(status: number, code: string) {
  return { status, body: { error: { code, message: expect.any(String) } } };
}

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** Reads Server-Sent Events from a streaming response, one at a time. */
export class EventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  /** Comment lines (heartbeats) seen so far. */
  comments = 0;

  constructor(response: Response) {
    if (response.body === null) throw new Error("no event stream");
    this.#reader = response.body.getReader();
  }

  async next(timeoutMs = 2000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event = parseBlock(block);
        if (event === null) {
          this.comments++;
          continue;
        }
        return event;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), left)),
      ]);
      if (chunk === "timeout") throw new Error(`no event within ${timeoutMs} ms`);
      if (chunk.done) throw new Error("the event stream ended");
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Reads events until one of `type` arrives. */
  async nextOf(type: string, timeoutMs = 2000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = await this.next(Math.max(1, deadline - Date.now()));
      if (event.event === type) return event;
    }
  }

  async close(): Promise<void> {
    await this.#reader.cancel();
  }
}

/** One event block; null for a block of comments only (or the `retry:` hint). */
function parseBlock(block: string): SseEvent | null {
  let event = "message";
  let id: string | undefined;
  const data: string[] = [];
  let fields = 0;
  for (const line of block.split("\n")) {
    if (line.startsWith(":") || line.startsWith("retry:")) continue;
    const colon = line.indexOf(":");
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, "");
    fields++;
    if (field === "event") event = value;
    else if (field === "id") id = value;
    else if (field === "data") data.push(value);
  }
  if (fields === 0) return null;
  return id === undefined ? { event, data: data.join("\n") } : { event, id, data: data.join("\n") };
}
