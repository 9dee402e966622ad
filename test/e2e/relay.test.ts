/**
 * The relay tier in the running app (`wrangler dev` on loopback, with
 * RELAY_THRESHOLD 2): the SDK's third and later connections to a room are
 * held by a relay, and a person chats through it as through the room, a
 * dropped link and its resume included. A relayed connection is recognised
 * by what only a relay's is refused: joining the room's call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRoom, type RoomConnection } from "../../client/sdk.ts";
import type { Message } from "../../protocol/frames.ts";
import { type DevServer, startDevServer } from "../../support/dev-server.ts";
import { FlakyNetwork } from "../support/chaos/flaky-link.ts";

const CLIENT_OPTIONS = { backoff: { baseMs: 100, maxMs: 500 }, heartbeat: { intervalMs: 2000, timeoutMs: 3000 } };
const WAIT_MS = 15_000;

let server: DevServer;
const everyone: RoomConnection[] = [];

beforeAll(async () => {
  server = await startDevServer({ vars: { RELAY_THRESHOLD: 2, PRESENCE_LIMIT: 2 } });
});

afterAll(async () => {
  for (const connection of everyone) connection.close();
  await server.stop();
});

interface Chatter {
  connection: RoomConnection;
  seen: Message[];
  refusals: string[];
}

function join(room: string, name: string, network?: FlakyNetwork): Chatter {
  const connection = connectRoom(server.url, {
    room,
    name,
    ...CLIENT_OPTIONS,
    ...(network === undefined ? {} : { WebSocket: network.WebSocket }),
  });
  const chatter: Chatter = { connection, seen: [], refusals: [] };
  connection.on("message", (message) => chatter.seen.push(message));
  connection.on("error", (error) => {
    if (error.kind === "refused") chatter.refusals.push(error.frame.code);
  });
  everyone.push(connection);
  return chatter;
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\n${server.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const texts = (chatter: Chatter) => chatter.seen.map((message) => message.text);

describe("a room above RELAY_THRESHOLD, in the running app", () => {
  it("lets a relayed person send, receive, lose the link and resume, missing nothing", async () => {
    const room = `relay-${crypto.randomUUID()}`;
    const ada = join(room, "ada");
    const bob = join(room, "bob");
    await until("the room's own two are online", () => [ada, bob].every((c) => c.connection.state === "online"));
    const link = new FlakyNetwork();
    const far = join(room, "far", link);
    const other = join(room, "other");
    await until("the relayed two are online", () => [far, other].every((c) => c.connection.state === "online"));

    // Only a relay's connection is refused a call: these two are held by one.
    for (const relayed of [far, other]) {
      relayed.connection.sendFrame({
        type: "call",
        id: crypto.randomUUID(),
        action: "join",
        audio: true,
        video: false,
      });
    }
    await until("both relayed connections are refused the call", () =>
      [far, other].every((c) => c.refusals.includes("forbidden")),
    );

    far.connection.send("from far away");
    await until("everyone has the relayed message", () =>
      [ada, bob, far, other].every((c) => texts(c).includes("from far away")),
    );

    expect(link.sever(1500)).toBe(true);
    for (const text of ["while away 1", "while away 2", "while away 3"]) ada.connection.send(text);
    await until("the others have what was sent while far was away", () => texts(other).length === 4);
    await until("far has resumed and caught up", () => texts(far).length === 4);
    expect(texts(far)).toEqual(texts(ada));
    expect(new Set(far.seen.map((message) => message.seq)).size).toBe(4);
    // The link was cut once, and the SDK came back through the relay with `since`.
    expect(link.links.length).toBe(2);
    expect(link.links[1]?.since).toBe(far.seen[0]?.seq);
  });
});
