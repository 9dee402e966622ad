/**
 * The SDK against the running app: `wrangler dev` on loopback with its own
 * persisted state, which these tests crash (SIGKILL) and restart on the same
 * port and state while clients are connected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConnectionState, connectRoom, type RoomConnection } from "../../client/sdk.ts";
import type { Message } from "../../protocol/frames.ts";
import { type DevServer, startDevServer } from "../../support/dev-server.ts";

/** Fast retries and a short heartbeat, so that a restart is noticed and recovered from within seconds. */
const CLIENT_OPTIONS = { backoff: { baseMs: 100, maxMs: 1000 }, heartbeat: { intervalMs: 2000, timeoutMs: 3000 } };
const WAIT_MS = 20_000;
const RESTART_TEST_MS = 150_000;

/** Every server this file started, so that afterAll stops each of them, whatever a test left running. */
const started: DevServer[] = [];
let server: DevServer;

async function start(options?: { port: number; persistTo: string }): Promise<DevServer> {
  server = await startDevServer(options);
  started.push(server);
  return server;
}

beforeAll(async () => {
  await start();
});

afterAll(async () => {
  for (const each of started) await each.stop();
});

interface Chatter {
  name: string;
  connection: RoomConnection;
  seen: Message[];
  states: ConnectionState[];
}

/** Every client this file opened, closed after the tests so that none retries against a stopped server. */
const everyone: Chatter[] = [];

afterAll(() => {
  for (const chatter of everyone) chatter.connection.close();
});

function join(room: string, name: string): Chatter {
  const connection = connectRoom(server.url, { room, name, ...CLIENT_OPTIONS });
  const chatter: Chatter = { name, connection, seen: [], states: [] };
  connection.on("message", (message) => chatter.seen.push(message));
  connection.on("state", (state) => chatter.states.push(state));
  everyone.push(chatter);
  return chatter;
}

function freshRoom(): string {
  return `sdk-${crypto.randomUUID()}`;
}

/** Polls `condition` until it holds; fails with `what` and the server's log after `WAIT_MS`. */
async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\n${server.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const allOnline =
  (...chatters: Chatter[]) =>
  () =>
    chatters.every((chatter) => chatter.connection.state === "online");
const allSaw =
  (count: number, ...chatters: Chatter[]) =>
  () =>
    chatters.every((chatter) => chatter.seen.length >= count);

/** What a chatter saw, in a form two views can be compared by. */
function transcript(chatter: Chatter): string[] {
  return chatter.seen.map((message) => `${message.seq} ${message.user.name}: ${message.text}`);
}

function seqs(chatter: Chatter): number[] {
  return chatter.seen.map((message) => message.seq);
}

/** 1 to n. */
function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index + 1);
}

/** Crashes the runtime and starts it again on the same port and state, once the clients noticed. */
async function crashAndRestart(noticing: Chatter[], whileDown: () => void = () => undefined): Promise<void> {
  const { port, persistTo } = server;
  await server.kill();
  await until("the clients notice the crash", () => noticing.every((c) => c.connection.state === "reconnecting"));
  whileDown();
  await start({ port, persistTo });
}

describe("the SDK against wrangler dev", () => {
  it("lets two users chat both ways, both seeing one order", async () => {
    const room = freshRoom();
    const alice = join(room, "alice");
    const bob = join(room, "bob");
    await until("both are online", allOnline(alice, bob));
    for (const round of [1, 2, 3]) {
      alice.connection.send(`alice ${round}`);
      bob.connection.send(`bob ${round}`);
    }
    await until("both saw six messages", allSaw(6, alice, bob));
    expect(seqs(alice)).toEqual(oneTo(6));
    expect(transcript(bob)).toEqual(transcript(alice));
    const alicesOwn = alice.seen.filter((message) => message.user.name === "alice").map((message) => message.text);
    expect(alicesOwn).toEqual(["alice 1", "alice 2", "alice 3"]);
  });

  it("edits, reactions, replies and deletions reach both users, who end up with one view of the room", async () => {
    const room = freshRoom();
    const alice = join(room, "alice");
    const bob = join(room, "bob");
    await until("both are online", allOnline(alice, bob));
    alice.connection.send("helo");
    await until("both saw the message", allSaw(1, alice, bob));
    expect(alice.connection.edit(1, "hello")).toMatchObject({ ok: true });
    expect(bob.connection.react(1, "👍")).toMatchObject({ ok: true });
    expect(alice.connection.react(1, "👍")).toMatchObject({ ok: true });
    bob.connection.reply(1, "hi alice");
    const viewed = (chatter: Chatter) => chatter.connection.message(1);
    await until("both saw every change", () =>
      [alice, bob].every(
        (c) => viewed(c)?.text === "hello" && viewed(c)?.reactions?.[0]?.count === 2 && c.seen.length === 2,
      ),
    );
    await until("both outboxes are empty", () => [alice, bob].every((c) => c.connection.outbox.length === 0));
    expect(alice.connection.messages).toEqual(bob.connection.messages);
    const replyOf = (chatter: Chatter) => chatter.connection.messages.find((message) => message.replyTo !== undefined);
    expect(replyOf(bob)?.replyTo).toMatchObject({ seq: 1, text: "hello" });
    expect(alice.connection.delete(1)).toMatchObject({ ok: true });
    await until("both saw the deletion", () => [alice, bob].every((c) => viewed(c)?.deleted === true));
    expect(replyOf(bob)?.replyTo).toMatchObject({ seq: 1, text: "", deleted: true });
    expect(alice.connection.messages).toEqual(bob.connection.messages);
  });

  it("delivers a burst beyond the send rate complete and in the order it was sent", async () => {
    const room = freshRoom();
    const alice = join(room, "alice");
    await until("alice is online", allOnline(alice));
    // The contract's default rate is 5 per second with a burst of 10, so some of these are refused and retried.
    const texts = oneTo(14).map((n) => `burst ${n}`);
    for (const text of texts) alice.connection.send(text);
    await until("alice saw the whole burst", allSaw(texts.length, alice));
    expect(alice.seen.map((message) => message.text)).toEqual(texts);
    expect(seqs(alice)).toEqual(oneTo(texts.length));
  });

  it(
    "survives a crash of the runtime mid-conversation: every message seen once, in order",
    async () => {
      const room = freshRoom();
      const alice = join(room, "alice");
      const bob = join(room, "bob");
      await until("both are online", allOnline(alice, bob));
      alice.connection.send("before 1");
      bob.connection.send("before 2");
      await until("both saw the first two", allSaw(2, alice, bob));
      // Sent right before the crash: some may be stored and acked, some not; each must still appear once.
      alice.connection.send("racing the crash 1");
      bob.connection.send("racing the crash 2");
      await crashAndRestart([alice, bob]);
      await until("both are back online", allOnline(alice, bob));
      alice.connection.send("after 1");
      bob.connection.send("after 2");
      await until("both outboxes are empty", () => [alice, bob].every((c) => c.connection.outbox.length === 0));
      // Anything stored before the barrier reaches every client before it: a duplicate would show up here.
      bob.connection.send("barrier");
      await until("both saw the barrier", () => [alice, bob].every((c) => c.seen.at(-1)?.text === "barrier"));
      expect(alice.states.slice(-2)).toEqual(["reconnecting", "online"]);
      expect(bob.states.slice(-2)).toEqual(["reconnecting", "online"]);
      expect(seqs(alice)).toEqual(oneTo(7));
      expect(transcript(bob)).toEqual(transcript(alice));
      const texts = alice.seen.map((message) => message.text).sort();
      expect(texts).toEqual([
        "after 1",
        "after 2",
        "barrier",
        "before 1",
        "before 2",
        "racing the crash 1",
        "racing the crash 2",
      ]);
    },
    RESTART_TEST_MS,
  );

  it(
    "delivers a message sent while the server is down exactly once after the restart",
    async () => {
      const room = freshRoom();
      const alice = join(room, "alice");
      const bob = join(room, "bob");
      await until("both are online", allOnline(alice, bob));
      alice.connection.send("before the crash");
      await until("both saw it", allSaw(1, alice, bob));
      await crashAndRestart([alice, bob], () => alice.connection.send("sent while down"));
      await until("bob saw the message sent while down", allSaw(2, bob));
      await until("alice's outbox is empty", () => alice.connection.outbox.length === 0);
      bob.connection.send("after the restart");
      await until("both saw the message after the restart", allSaw(3, alice, bob));
      expect(transcript(bob)).toEqual([
        "1 alice: before the crash",
        "2 alice: sent while down",
        "3 bob: after the restart",
      ]);
      expect(transcript(alice)).toEqual(transcript(bob));
    },
    RESTART_TEST_MS,
  );
});
