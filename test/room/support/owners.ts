/**
 * Helpers for tests of rooms with owners: claiming a room, connecting with
 * a key in Sec-WebSocket-Protocol, people of each role, the requests
 * answered by `ref` (`mint`, `keys`, `audit`, `members`), and what a test
 * reads back (the room's lastSeq, the frames up to a barrier).
 */
import { expect } from "vitest";
import type {
  AckFrame,
  ErrorFrame,
  MintedFrame,
  Role,
  ServerFrame,
  Settings,
  StoredAck,
} from "../../../protocol/frames.ts";
import { parseServerFrame } from "../../../protocol/parse-server.ts";
import { answered, type Closed, freshRoom, sleep, TestClient, type TestFrameOf, upgrade } from "./client.ts";
import { api } from "./http.ts";

/** The roles, highest first, as tables of tests walk them. */
export const EVERY_ROLE = ["owner", "moderator", "member", "reader", "guest"] as const satisfies readonly Role[];
/** The roles a key may grant. */
export const KEY_ROLES = ["owner", "moderator", "member", "reader"] as const satisfies readonly Role[];

/** A user id no room has made: 16 base32 characters. */
export const STRANGER = "aaaaaaaaaaaaaaaa";
/** A key id no room has made: 8 base32 characters. */
export const UNKNOWN_KEY_ID = "aaaaaaaa";

let counter = 0;

/** An id or ref no other frame of this test file uses. */
export function uniqueId(prefix = "f"): string {
  counter += 1;
  return `${prefix}${counter}`;
}

export interface Credentials {
  token?: string;
  key?: string;
  name?: string;
  since?: number;
  /** The client's address, as CF-Connecting-IP reports it. */
  address?: string;
}

/** `edgechat.v2`, then the token and the key when given, as the SDK offers them. */
export function protocolsFor(credentials: Credentials): string {
  const offered = ["edgechat.v2"];
  if (credentials.token !== undefined) offered.push(`token.${credentials.token}`);
  if (credentials.key !== undefined) offered.push(`key.${credentials.key}`);
  return offered.join(", ");
}

/** Opens a socket with credentials in Sec-WebSocket-Protocol, without reading anything. */
export async function openSocket(room: string, credentials: Credentials = {}): Promise<TestClient> {
  const query = new URLSearchParams();
  if (credentials.name !== undefined) query.set("name", credentials.name);
  if (credentials.since !== undefined) query.set("since", String(credentials.since));
  const headers: Record<string, string> = { "Sec-WebSocket-Protocol": protocolsFor(credentials) };
  if (credentials.address !== undefined) headers["CF-Connecting-IP"] = credentials.address;
  const response = await upgrade(room, `?${query}`, headers);
  const ws = response.webSocket;
  if (response.status !== 101 || ws === null) {
    throw new Error(`expected 101 Switching Protocols, got ${response.status}: ${await response.text()}`);
  }
  return new TestClient(ws, response.headers.get("Sec-WebSocket-Protocol"));
}

/** Connects with credentials and reads the welcome. */
export async function join(room: string, credentials: Credentials = {}): Promise<TestClient> {
  const client = await openSocket(room, credentials);
  client.welcome = await client.next("welcome");
  return client;
}

export interface RefusedConnection {
  error: ErrorFrame;
  closed: Closed;
}

/** A connection the room accepts only to refuse: an error frame, then a close. */
export async function refusedJoin(room: string, credentials: Credentials = {}): Promise<RefusedConnection> {
  const client = await openSocket(room, credentials);
  const error = await client.next("error");
  return { error, closed: await closeOf(client) };
}

/** How the socket closes, within `ms`; fails the test when it stays open. */
export async function closeOf(client: TestClient, ms = 2000): Promise<Closed> {
  const timeout = new Promise<"open">((resolve) => setTimeout(() => resolve("open"), ms));
  const closed = await Promise.race([client.closed, timeout]);
  if (closed === "open") throw new Error(`the socket was still open after ${ms} ms`);
  return closed;
}

/** The owner key of a claimed room; fails unless the claim is 201 `{room, key}`. */
export async function claim(room: string): Promise<string> {
  const response = await api(`/api/rooms/${room}/claim`, { method: "POST" });
  if (response.status !== 201) throw new Error(`claim answered ${response.status}: ${await response.text()}`);
  const body: { room: string; key: string } = await response.json();
  expect(body.room).toBe(room);
  return body.key;
}

export interface OwnedRoom {
  room: string;
  /** The owner key the claim gave. */
  ownerKey: string;
  /** Connected with the owner key. */
  owner: TestClient;
}

/** A fresh room, claimed, with its owner connected. */
export async function ownedRoom(): Promise<OwnedRoom> {
  const room = freshRoom();
  const ownerKey = await claim(room);
  const owner = await join(room, { key: ownerKey, name: "owner" });
  if (owner.welcome.role !== "owner") throw new Error(`the owner key gave ${owner.welcome.role}`);
  return { room, ownerKey, owner };
}

/** Sends a request answered by `ref` and reads its answer, or the error about it; waits out the rates. */
export async function ask<T extends "minted" | "keys" | "audit" | "members" | "history">(
  client: TestClient,
  type: T,
  frame: Record<string, unknown>,
): Promise<TestFrameOf<T> | ErrorFrame> {
  const ref = uniqueId("ref");
  for (;;) {
    client.send({ ...frame, ref });
    const answer = await answerByRef(client, type, ref);
    if (answer.type !== "error" || answer.code !== "rate_limited") return answer;
    await sleep(answer.retryAfter ?? 200);
  }
}

/** As `ask`, failing the test unless the answer is of `type`. */
export async function askOk<T extends "minted" | "keys" | "audit" | "members" | "history">(
  client: TestClient,
  type: T,
  frame: Record<string, unknown>,
): Promise<TestFrameOf<T>> {
  const answer = await ask(client, type, frame);
  if (answer.type === "error") throw new Error(`${String(frame.type)} was refused: ${JSON.stringify(answer)}`);
  return answer;
}

async function answerByRef<T extends ServerFrame["type"]>(
  client: TestClient,
  type: T,
  ref: string,
): Promise<TestFrameOf<T> | ErrorFrame> {
  for (;;) {
    const frame = await nextFrame(client);
    if (frame.type === "error" && frame.ref === ref) return frame;
    if (frame.type === type && "ref" in frame && frame.ref === ref) return frame as TestFrameOf<T>;
  }
}

/** The next frame, parsed by the contract; fails on one that breaks it. */
export async function nextFrame(client: TestClient, timeoutMs = 2000): Promise<ServerFrame> {
  const text = await client.nextText(timeoutMs);
  const frame = parseServerFrame(text);
  if (frame === null) throw new Error(`frame breaks the contract: ${text}`);
  return frame;
}

/**
 * Every frame the client receives until the answer to a history request it
 * sends now: frames on one socket arrive in order, so anything the room sent
 * it before reading that request is among them.
 */
export async function framesUntilBarrier(client: TestClient): Promise<ServerFrame[]> {
  const ref = uniqueId("barrier");
  client.send({ type: "history", ref, limit: 1 });
  const frames: ServerFrame[] = [];
  for (;;) {
    const frame = await nextFrame(client);
    if ((frame.type === "history" || frame.type === "error") && frame.ref === ref) return frames;
    frames.push(frame);
  }
}

/** A key for `role`, minted by `actor`; fails unless it is minted. */
export async function mint(actor: TestClient, role: Role, bounds: Record<string, unknown> = {}): Promise<MintedFrame> {
  return askOk(actor, "minted", { type: "mint", role, ...bounds });
}

/** A new user who holds `role` in the room, through a key the owner mints (a guest holds none). */
export async function personAs(room: string, owner: TestClient, role: Role, name: string = role): Promise<TestClient> {
  if (role === "guest") return join(room, { name });
  const minted = await mint(owner, role);
  const person = await join(room, { key: minted.secret, name });
  if (person.welcome.role !== role) throw new Error(`a ${role} key gave ${person.welcome.role}`);
  return person;
}

/** Sends a frame that stores an event; fails unless it is stored. */
export async function stored(client: TestClient, frame: Record<string, unknown>): Promise<StoredAck> {
  const answer = await answered(client, { id: uniqueId(), ...frame });
  if (answer.type !== "ack" || !("seq" in answer))
    throw new Error(`expected a stored event, got ${JSON.stringify(answer)}`);
  return answer;
}

/** Sends a frame that stores an event and returns the answer, ack or error, waiting out the send rate. */
export async function attempt(client: TestClient, frame: Record<string, unknown>): Promise<AckFrame | ErrorFrame> {
  return answered(client, { id: uniqueId(), ...frame });
}

/** Changes settings as `actor`; fails unless the change is stored. */
export async function changeSettings(actor: TestClient, changes: Partial<Settings>): Promise<StoredAck> {
  return stored(actor, { type: "settings", ...changes });
}

/** Takes a moderation action as `actor` on `subject`; fails unless it is stored. */
export async function moderate(
  actor: TestClient,
  action: string,
  subject: TestClient | string,
  extra: Record<string, unknown> = {},
): Promise<StoredAck> {
  const user = typeof subject === "string" ? subject : subject.user.id;
  return stored(actor, { type: "moderate", action, user, ...extra });
}

/** The room's last seq, from its info over HTTP. */
export async function lastSeqOf(room: string): Promise<number> {
  const response = await api(`/api/rooms/${room}`);
  if (response.status !== 200) throw new Error(`room info answered ${response.status}: ${await response.text()}`);
  const info: { lastSeq: number } = await response.json();
  return info.lastSeq;
}

/** The `forbidden` error a refused frame gets, echoing its id or ref. */
export function forbidden(echo: { id: string } | { ref: string }) {
  return { type: "error", code: "forbidden", message: expect.stringMatching(/\S/), ...echo };
}

/** Headers that carry a token, a key, or both, over HTTP. */
export function credentialHeaders(credentials: { token?: string; key?: string }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (credentials.token !== undefined) headers.Authorization = `Bearer ${credentials.token}`;
  if (credentials.key !== undefined) headers["Edgechat-Key"] = credentials.key;
  return headers;
}

/** A JSON request to a room's route, with credentials. */
export function roomApi(
  room: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string; key?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...credentialHeaders(init), ...init.headers };
  const request: RequestInit = { method: init.method ?? "GET", headers };
  if (init.body !== undefined) {
    headers["Content-Type"] = "application/json";
    request.body = JSON.stringify(init.body);
  }
  return api(`/api/rooms/${room}${path}`, request);
}

/** The JSON body of a response of `status`; fails on any other status. */
export async function bodyOf<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  const body: T = JSON.parse(text);
  return body;
}
