/**
 * A model-based property test of the Room's guarantees under hibernation
 * and eviction. fast-check generates random sequences of connects (resuming
 * with `since`), sends, resends of stored ids, edits, deletions and
 * reactions, disconnects, hibernations, evictions that close every socket,
 * and resets of the object; a plain model predicts what every client must
 * see, and every frame is checked against it: no acked event lost, none
 * duplicated, one order, no gap after a resume, presence counting users,
 * and at the end the room's pages equal the state the model reached by
 * applying the events every client received.
 */
import { abortAllDurableObjects, evictDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LogEvent, Message } from "../../protocol/frames.ts";
import { connect, freshRoom, roomStub, type TestClient } from "./support/client.ts";

const USERS = 3;
const TABS_PER_USER = 2;
/** The default burst: a run never needs the rate limit to refill (edits, deletions and reactions count too). */
const SENDS_PER_USER = 10;
const EMOJI = ["👍", "🎉"] as const;
const LOG_TYPES: ReadonlySet<string> = new Set(["message", "edit", "delete", "reaction"]);

type Action =
  | { kind: "connect"; user: number }
  | { kind: "send"; user: number }
  | { kind: "resend"; user: number; pick: number }
  | { kind: "edit"; user: number; pick: number }
  | { kind: "delete"; user: number; pick: number }
  | { kind: "react"; user: number; pick: number; emoji: number }
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

interface ModelMessage {
  seq: number;
  clientId: string;
  userIndex: number;
  text: string;
  deleted: boolean;
  /** Users by emoji, in the order each emoji was first added and each user reacted. */
  reactions: Map<string, number[]>;
}

interface Model {
  room: string;
  lastSeq: number;
  messages: ModelMessage[];
  /** Every event's seq and type, in order. */
  events: { seq: number; type: LogEvent["type"] }[];
  users: ModelUser[];
}

const user = fc.integer({ min: 0, max: USERS - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: user.map((u) => ({ kind: "connect", user: u }) as const) },
  { weight: 5, arbitrary: user.map((u) => ({ kind: "send", user: u }) as const) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resend" as const), user, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("edit" as const), user, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), user, pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("react" as const),
      user,
      pick: fc.nat(),
      emoji: fc.nat(EMOJI.length - 1),
    }),
  },
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

/** Every open tab must receive exactly the event with `seq`, of `type`, next after what it saw. */
async function expectDelivered(model: Model, seq: number, type: LogEvent["type"]): Promise<void> {
  for (const u of model.users) {
    for (const tab of u.tabs) {
      const frame = await nextEvent(tab.client);
      expect([frame.type, frame.seq]).toEqual([type, tab.seen + 1]);
      expect(frame.seq).toBe(seq);
      tab.seen = frame.seq;
      u.seen = frame.seq;
    }
  }
}

/** The next event of the log a client receives; presence and acks in between are skipped. */
async function nextEvent(client: TestClient): Promise<LogEvent> {
  for (;;) {
    const text = await client.nextText();
    const frame: { type: string } = JSON.parse(text);
    if (LOG_TYPES.has(frame.type)) return frame as LogEvent;
  }
}

/** Stores the event a frame of `u`'s makes, checking its ack and its delivery to every tab. */
async function storeEvent(
  model: Model,
  u: ModelUser,
  frame: { id: string } & Record<string, unknown>,
  type: LogEvent["type"],
) {
  const tab = u.tabs[0];
  if (tab === undefined) throw new Error("a user without a tab stores nothing");
  u.sends++;
  tab.client.send(frame);
  const ack = await tab.client.waitFor("ack");
  expect(ack).toMatchObject({ id: frame.id, seq: model.lastSeq + 1 });
  model.lastSeq = ack.seq;
  model.events.push({ seq: ack.seq, type });
  u.stored.push({ clientId: frame.id, seq: ack.seq });
  await expectDelivered(model, ack.seq, type);
}

/** The `pick`th message that is not deleted, of `userIndex`'s own or, without one, of anyone's. */
function pickMessage(model: Model, pick: number, userIndex?: number): ModelMessage | undefined {
  const live = model.messages.filter((m) => !m.deleted && (userIndex === undefined || m.userIndex === userIndex));
  return live[pick % Math.max(1, live.length)];
}

/** The page the model predicts: each message in its current state. */
function expectedPage(model: Model): unknown[] {
  return model.messages.map((m) => ({
    seq: m.seq,
    id: m.clientId,
    text: m.deleted ? "" : m.text,
    deleted: m.deleted,
    reactions: [...m.reactions].map(([emoji, users]) => ({
      emoji,
      count: users.length,
      users: users.map((index) => model.users[index]?.id),
    })),
  }));
}

function pageAsModelled(messages: Message[]): unknown[] {
  return messages.map((m) => ({
    seq: m.seq,
    id: m.id,
    text: m.text,
    deleted: m.deleted === true,
    reactions: m.reactions ?? [],
  }));
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
      const expected =
        u.seen === undefined
          ? model.messages.slice(-50).map((m) => ({ seq: m.seq, type: "message" }))
          : model.events.filter((event) => event.seq > (u.seen ?? 0));
      expect(client.welcome.history.map((m) => ({ seq: m.seq, type: m.type }))).toEqual(expected);
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
      model.messages.push({
        seq: ack.seq,
        clientId,
        userIndex: step.user,
        text,
        deleted: false,
        reactions: new Map(),
      });
      model.events.push({ seq: ack.seq, type: "message" });
      u.stored.push({ clientId, seq: ack.seq });
      await expectDelivered(model, ack.seq, "message");
      return;
    }
    case "edit":
    case "delete": {
      const u = model.users[step.user];
      const target = pickMessage(model, step.pick, step.user);
      if (u === undefined || u.tabs.length === 0 || target === undefined || u.sends >= SENDS_PER_USER) return;
      const id = `${step.user}-${u.sends + 1}`;
      if (step.kind === "edit") {
        const text = `edited at ${model.lastSeq + 1}`;
        await storeEvent(model, u, { type: "edit", id, target: target.seq, text }, "edit");
        target.text = text;
      } else {
        await storeEvent(model, u, { type: "delete", id, target: target.seq }, "delete");
        target.deleted = true;
        target.reactions.clear();
      }
      return;
    }
    case "react": {
      const u = model.users[step.user];
      const target = pickMessage(model, step.pick);
      if (u === undefined || u.tabs.length === 0 || target === undefined || u.sends >= SENDS_PER_USER) return;
      const emoji = EMOJI[step.emoji] ?? "👍";
      const users = target.reactions.get(emoji) ?? [];
      const on = !users.includes(step.user);
      await storeEvent(
        model,
        u,
        { type: "react", id: `${step.user}-${u.sends + 1}`, target: target.seq, emoji, on },
        "reaction",
      );
      if (on) target.reactions.set(emoji, [...users, step.user]);
      else if (users.length > 1)
        target.reactions.set(
          emoji,
          users.filter((index) => index !== step.user),
        );
      else target.reactions.delete(emoji);
      return;
    }
    case "resend": {
      const u = model.users[step.user];
      const tab = u?.tabs.at(-1);
      const original = u?.stored[step.pick % Math.max(1, u.stored.length)];
      if (u === undefined || tab === undefined || original === undefined || u.sends >= SENDS_PER_USER) return;
      u.sends++;
      // A retry of any stored event's id, sent as a `send`, is a repeat: the id is one namespace.
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

describe("the room under random joins, sends, resends, edits, deletions, reactions, disconnects, hibernations, evictions and resets", () => {
  it("never loses or duplicates an acked event, keeps one order, resumes without gaps, and its pages are the modelled state", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 8, maxLength: 40, size: "max" }), async (actions) => {
        const model: Model = {
          room: freshRoom(),
          lastSeq: 0,
          messages: [],
          events: [],
          users: Array.from({ length: USERS }, () => ({ stored: [], sends: 0, tabs: [] })),
        };
        try {
          for (const step of actions) await apply(model, step);
          const reader = await connect(model.room, { since: 0 });
          expect(reader.welcome.lastSeq).toBe(model.lastSeq);
          expect(reader.welcome.history.map((event) => [event.seq, event.type])).toEqual(
            model.events.map((event) => [event.seq, event.type]),
          );
          reader.send({ type: "history", after: 0, limit: 100 });
          const page = await reader.waitFor("history");
          expect(pageAsModelled(page.messages)).toEqual(expectedPage(model));
          for (const m of page.messages) {
            const author = model.messages.find((modelled) => modelled.seq === m.seq)?.userIndex ?? -1;
            expect(m.user.id).toBe(model.users[author]?.id);
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
