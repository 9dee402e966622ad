/**
 * Identity tokens against the running app. A forged, truncated or altered
 * token never yields another user's id, over a socket or over HTTP; and a
 * token is scoped to the room that issued it (docs/protocol.md, Identity
 * tokens): elsewhere it is simply not recognised, while in its own room,
 * under any spelling of the room's name, it restores its user.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { RawClient } from "../support/chaos/raw-client.ts";
import { chaosSeed, seededRandom } from "../support/chaos/seeded-random.ts";

/** The HTTP send limit is per client address for posts without a valid token; this file posts many. */
const VARS = { SEND_RATE_PER_SECOND: 1000, SEND_BURST: 1000 };
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const MUTATIONS = 200;
const USER_ID = /^[a-z2-7]{16}$/;

let runtime: ChaosRuntime;

beforeAll(async () => {
  runtime = await ChaosRuntime.start({ vars: VARS });
});

afterAll(async () => {
  await runtime.stop();
});

function room(): string {
  return `identity-${crypto.randomUUID()}`;
}

/** Who the room says a socket opened with `token` belongs to. */
async function socketUser(target: string, token: string): Promise<{ id: string; token: string }> {
  const client = await RawClient.open(runtime.url, target, { token });
  client.close();
  return { id: client.welcome.you.id, token: client.welcome.token };
}

/** Who the room says a post made with `token` came from. */
async function postUser(target: string, token: string): Promise<{ id: string; token: string }> {
  const response = await fetch(`${runtime.url}/api/rooms/${encodeURIComponent(target)}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text: "who am I?", token }),
  });
  if (response.status !== 201) throw new Error(`post answered ${response.status}: ${await response.text()}`);
  const body: { message: { user: { id: string } }; token: string } = await response.json();
  return { id: body.message.user.id, token: body.token };
}

/** Every way of getting a token almost right: forged, truncated, extended, re-cased, spliced, mutated. */
function forgeries(victim: string, other: string, random: () => number): string[] {
  const [id = "", signature = ""] = victim.split(".");
  const [otherId = "", otherSignature = ""] = other.split(".");
  const handmade = [
    `${id}.${"A".repeat(43)}`,
    `${id}.${signature.slice(0, 42)}`,
    `${id}.${signature.slice(0, 20)}`,
    `${id}.`,
    id,
    `${id}.${signature}x`,
    `${id}.${signature}=`,
    `${id}.${signature}.${signature}`,
    ` ${victim}`,
    `${victim} `,
    victim.toUpperCase(),
    `${id.toUpperCase()}.${signature}`,
    `${otherId}.${signature}`,
    `${id}.${otherSignature}`,
    `${id.slice(0, 15)}.${signature}`,
    `${id}a.${signature}`,
    `${id}.${signature.replaceAll("-", "+").replaceAll("_", "/")}`,
    `.${signature}`,
    `${id}%2e${signature}`,
    victim.slice(0, -1),
    "",
    "x".repeat(300),
  ];
  const forged = new Set(handmade);
  // Mutations until MUTATIONS distinct ones are in: a random edit can repeat another, or undo itself.
  for (let tries = 0; forged.size < handmade.length + MUTATIONS && tries < 100 * MUTATIONS; tries++) {
    const at = Math.floor(random() * victim.length);
    const char = BASE64URL[Math.floor(random() * BASE64URL.length)] ?? "A";
    const operation = Math.floor(random() * 3);
    if (operation === 0) forged.add(`${victim.slice(0, at)}${char}${victim.slice(at + 1)}`);
    else if (operation === 1) forged.add(`${victim.slice(0, at)}${victim.slice(at + 1)}`);
    else forged.add(`${victim.slice(0, at)}${char}${victim.slice(at)}`);
    forged.delete(victim);
  }
  return [...forged];
}

describe("identity tokens", () => {
  it("never yield another user's id, however they are forged, over a socket or over HTTP", async () => {
    const target = room();
    const alice = await RawClient.open(runtime.url, target, { name: "alice" });
    const bob = await RawClient.open(runtime.url, target, { name: "bob" });
    const victims = new Set([alice.welcome.you.id, bob.welcome.you.id]);
    const tokens = forgeries(alice.welcome.token, bob.welcome.token, seededRandom(chaosSeed()));
    const claimed: string[] = [];
    for (const token of tokens) {
      const viaSocket = await socketUser(target, token);
      const viaPost = await postUser(target, token);
      for (const user of [viaSocket, viaPost]) {
        if (victims.has(user.id) || !USER_ID.test(user.id) || user.token === alice.welcome.token) {
          claimed.push(`${JSON.stringify(token)} -> ${user.id}`);
        }
      }
    }
    alice.close();
    bob.close();
    await reportFigures("identity", {
      title: "Identity: forged tokens, each tried on a socket and in a post",
      command: "npm run build && npx vitest run --project e2e test/e2e/security-identity.test.ts",
      rows: {
        "forged tokens": tokens.length,
        attempts: tokens.length * 2,
        "another user's id or token": claimed.length,
      },
    });
    expect(tokens.length).toBeGreaterThan(MUTATIONS);
    expect(claimed).toEqual([]);
  });

  it("restore their user in the room that issued them, under any spelling of its name", async () => {
    const home = `Identity-${crypto.randomUUID()}`;
    const alice = await RawClient.open(runtime.url, home, { name: "alice" });
    alice.close();
    const { id, token } = { id: alice.welcome.you.id, token: alice.welcome.token };
    expect((await socketUser(home, token)).id).toBe(id);
    expect((await socketUser(home.toLowerCase(), token)).id).toBe(id);
    expect((await postUser(home, token)).id).toBe(id);
  });

  it("are not recognised in any other room, over a socket or over HTTP", async () => {
    const home = room();
    const alice = await RawClient.open(runtime.url, home, { name: "alice" });
    alice.close();
    const elsewhere = room();
    const member = await RawClient.open(runtime.url, elsewhere, { name: "member" });
    member.close();
    const strangers = [
      await socketUser(elsewhere, alice.welcome.token),
      await postUser(elsewhere, alice.welcome.token),
    ];
    expect(strangers.map((user) => user.id === alice.welcome.you.id || user.id === member.welcome.you.id)).toEqual([
      false,
      false,
    ]);
    expect(strangers.map((user) => user.token === alice.welcome.token)).toEqual([false, false]);
  });
});
