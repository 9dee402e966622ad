/**
 * A model-based property test of the Room's guarantees under hibernation
 * and eviction. fast-check generates random sequences of connects (resuming
 * with `since`), sends, resends of stored ids, disconnects, hibernations,
 * evictions that close every socket, and resets of the object; a plain
 * model predicts what every client must see, and every frame is checked
 * against it: no acked message lost, none duplicated, one order, no gap
 * after a resume, presence counting users.
 */
import { abortAllDurableObjects, evictDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { connect, freshRoom, roomStub, type TestClient } from "./support/client.ts";

const USERS = 3;
const TABS_PER_USER = 2;
/** The default burst: a run never needs the rate limit to refill. */
const SENDS_PER_USER = 10;

type Action =
  | { kind: "connect"; user: number }
  | { kind: "send"; user: number }
  | { kind: "resend"; user: number; pick: number }
  | { kind: "disconnect"; user: number }
  | { kind: "hibernate" }
  | { kind: "evict-close" }
  | { kind: "reset" };

interface Tab {
  client: TestClient;
  /** The last seq this tab has seen. */
  seen: number;
}

interface ModelUser {
  token?: string;
  id?: string;
  /** Client ids this user has stored, with their seq. */
  stored: { clientId: string; seq: number }[];
  sends: number;
  /** The last seq any of this user's tabs has seen; what a resume passes as `since`. */
  seen?: number;
  tabs: Tab[];
}

interface Model {
  room: string;
  lastSeq: number;
  messages: { seq: number; clientId: string; userIndex: number; text: string }[];
  users: ModelUser[];
}

const user = fc.integer({ min: 0, max: USERS - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: user.map((u) => ({ kind: "connect", user: u }) as const) },
  { weight: 5, arbitrary: user.map((u) => ({ kind: "send", user: u }) as const) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resend" as const), user, pick: fc.nat() }) },
  { weight: 2, arbitrary: user.map((u) => ({ kind: "disconnect", user: u }) as const) },
  { weight: 2, arbitrary: fc.constant({ kind: "hibernate" } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: "evict-close" } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: "reset" } as const) },
);

function openTabs(model: Model): Tab[] {
  return model.users.flatMap((u) => u.tabs);
}

function onlineUsers(model: Model): number {
  return model.users.filter((u) => u.tabs.length > 0).length;
}

/** Every open tab must receive exactly the message with `seq`, next after what it saw. */
async function expectDelivered(model: Model, seq: number): Promise<void> {
  for (const u of model.users) {
    for (const tab of u.tabs) {
      const frame = await tab.client.waitFor("message");
      expect(frame.seq).toBe(tab.seen + 1);
      expect(frame.seq).toBe(seq);
      tab.seen = frame.seq;
      u.seen = frame.seq;
    }
  }
}

/** Forgets the tabs whose sockets the room closed; a socket that stays open stays in the model. */
async function dropClosedTabs(model: Model): Promise<void> {
  await Promise.all(
    model.users.map(async (u) => {
      const closed = await Promise.all(u.tabs.map((tab) => tab.client.closesWithin(300)));
      u.tabs = u.tabs.filter((_, i) => !closed[i]);
    }),
  );
}

async function apply(model: Model, step: Action): Promise<void> {
  switch (step.kind) {
    case "connect": {
      const u = model.users[step.user];
      if (u === undefined || u.tabs.length >= TABS_PER_USER) return;
      const options = { ...(u.token ? { token: u.token } : {}), ...(u.seen !== undefined ? { since: u.seen } : {}) };
      const client = await connect(model.room, options);
      if (u.id !== undefined) expect(client.user.id).toBe(u.id);
      u.id = client.user.id;
      u.token = client.welcome.token;
      const expected = model.messages.filter((m) => u.seen === undefined || m.seq > u.seen).slice(-50);
      expect(client.welcome.history.map((m) => m.seq)).toEqual(expected.map((m) => m.seq));
      expect(client.welcome.lastSeq).toBe(model.lastSeq);
      expect(client.welcome.truncated).toBeUndefined();
      u.tabs.push({ client, seen: model.lastSeq });
      u.seen = model.lastSeq;
      expect(client.welcome.onlineCount).toBe(onlineUsers(model));
      return;
    }
    case "send": {
      const u = model.users[step.user];
      const tab = u?.tabs[0];
      if (u === undefined || tab === undefined || u.sends >= SENDS_PER_USER) return;
      u.sends++;
      const clientId = `${step.user}-${u.sends}`;
      const text = `message ${model.lastSeq + 1}`;
      tab.client.send({ type: "send", id: clientId, text });
      const ack = await tab.client.waitFor("ack");
      expect(ack).toMatchObject({ id: clientId, seq: model.lastSeq + 1 });
      model.lastSeq = ack.seq;
      model.messages.push({ seq: ack.seq, clientId, userIndex: step.user, text });
      u.stored.push({ clientId, seq: ack.seq });
      await expectDelivered(model, ack.seq);
      return;
    }
    case "resend": {
      const u = model.users[step.user];
      const tab = u?.tabs.at(-1);
      const original = u?.stored[step.pick % Math.max(1, u.stored.length)];
      if (u === undefined || tab === undefined || original === undefined || u.sends >= SENDS_PER_USER) return;
      u.sends++;
      tab.client.send({ type: "send", id: original.clientId, text: "a retry" });
      expect(await tab.client.waitFor("ack")).toMatchObject({ id: original.clientId, seq: original.seq });
      return;
    }
    case "disconnect": {
      const u = model.users[step.user];
      const tab = u?.tabs.pop();
      if (tab === undefined) return;
      tab.client.close();
      await tab.client.closed;
      return;
    }
    case "hibernate":
      await evictDurableObject(roomStub(model.room)).catch(() => {
        // The room was not running (already hibernating): nothing to evict.
      });
      return;
    case "evict-close": {
      const evicted = await evictDurableObject(roomStub(model.room), { webSockets: "close" }).then(
        () => true,
        // Not running: there was nothing to evict, and its hibernated sockets stay open.
        () => false,
      );
      if (evicted) await dropClosedTabs(model);
      expect(openTabs(model).length === 0 || !evicted).toBe(true);
      return;
    }
    case "reset":
      await abortAllDurableObjects();
      await dropClosedTabs(model);
      return;
  }
}

describe("the room under random joins, sends, resends, disconnects, hibernations, evictions and resets", () => {
  it("never loses or duplicates an acked message, keeps one order and resumes without gaps", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 8, maxLength: 40, size: "max" }), async (actions) => {
        const model: Model = {
          room: freshRoom(),
          lastSeq: 0,
          messages: [],
          users: Array.from({ length: USERS }, () => ({ stored: [], sends: 0, tabs: [] })),
        };
        try {
          for (const step of actions) await apply(model, step);
          const reader = await connect(model.room, { since: 0 });
          expect(reader.welcome.lastSeq).toBe(model.lastSeq);
          expect(reader.welcome.history.map((m) => [m.seq, m.id, m.text])).toEqual(
            model.messages.map((m) => [m.seq, m.clientId, m.text]),
          );
          for (const m of reader.welcome.history) {
            expect(m.user.id).toBe(model.users[model.messages[m.seq - 1]?.userIndex ?? -1]?.id);
          }
          reader.close();
        } finally {
          for (const tab of openTabs(model)) tab.client.close();
        }
      }),
      { numRuns: 200 },
    );
  }, 300_000);
});
