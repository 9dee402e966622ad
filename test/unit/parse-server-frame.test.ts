import { describe, expect, it } from "vitest";
import {
  encodeBatch,
  encodeFrame,
  type KeyInfo,
  type Message,
  type ServerFrame,
  type Settings,
} from "../../protocol/frames.ts";
import { isFrameOfUnknownType, parseServerFrame, parseServerFrames } from "../../protocol/parse-server.ts";

const ada = { id: "u2ada", name: "Ada" };
const bob = { id: "u2bob", name: "Bob 🎉" };
const message: Message = { seq: 7, id: "m1", user: ada, text: "hello", ts: 1_760_000_000_000 };
const later = message.ts + 1000;
/** A message a search found: "deploy" at code points 4 to 10, "fail" at 15 to 19. */
const found: Message = { ...message, seq: 5, id: "m0", text: "the deployment failed" };

const settings: Settings = { topic: "release week", read: "anyone", write: "members", slowMode: 30, locked: false };
const keyInfo: KeyInfo = {
  id: "b7c2xq4m",
  role: "member",
  label: "team",
  expiresAt: later + 86_400_000,
  usesLeft: 20,
  createdBy: ada,
  createdAt: later,
};
/** A key as the room mints it: 32 lower-case base32 characters. */
const secret = "q7abcdefghijklmnopqrstuvwxyz2345";

/** The frames of calls, which protocol/parse-server-calls.ts checks and its own tests cover. */
type CallFrameType = "call" | "peers" | "media" | "signal";

/** One frame of every other server type, as the contract shapes it. */
const FRAMES: Record<Exclude<ServerFrame["type"], CallFrameType>, ServerFrame> = {
  welcome: {
    type: "welcome",
    room: "general",
    you: ada,
    token: "u2ada.sig",
    online: [ada, bob],
    onlineCount: 2,
    lastSeq: 7,
    history: [{ type: "message", ...message }],
  },
  message: { type: "message", ...message },
  edit: { type: "edit", seq: 8, ts: later, target: 7, user: ada, text: "hello again" },
  delete: { type: "delete", seq: 9, ts: later, target: 7, user: ada },
  reaction: { type: "reaction", seq: 10, ts: later, target: 7, user: bob, emoji: "👍", on: true },
  ack: { type: "ack", id: "m1", seq: 7, ts: message.ts },
  join: { type: "join", user: bob, online: 2 },
  leave: { type: "leave", user: bob, online: 1 },
  presence: { type: "presence", online: [ada], onlineCount: 1 },
  rename: { type: "rename", user: ada, previous: "guest-abcd" },
  typing: { type: "typing", user: bob },
  occupancy: { type: "occupancy", online: 250 },
  history: { type: "history", messages: [message, { ...message, seq: 8, id: "m2" }], hasMore: true },
  results: {
    type: "results",
    ref: "q1",
    hits: [
      {
        message: found,
        highlights: [
          [4, 10],
          [15, 19],
        ],
      },
      { message, highlights: [[0, 5]] },
    ],
    hasMore: true,
  },
  read: { type: "read", seq: 7 },
  settings: { type: "settings", seq: 11, ts: later, user: ada, settings, changed: ["topic", "slowMode"] },
  moderation: {
    type: "moderation",
    seq: 12,
    ts: later,
    user: ada,
    action: "mute",
    subject: bob,
    until: later + 600_000,
  },
  minted: { type: "minted", ref: "o1", key: keyInfo, secret },
  keys: { type: "keys", ref: "o2", keys: [keyInfo, { id: "m3owner2", role: "owner", createdAt: later }] },
  audit: {
    type: "audit",
    ref: "o3",
    events: [
      { type: "moderation", seq: 12, ts: later, user: ada, action: "ban", subject: bob, reason: "spam" },
      { type: "delete", seq: 10, ts: later, target: 7, user: ada, reason: "spam" },
      { type: "settings", seq: 1, ts: message.ts, settings, changed: ["topic", "read", "write", "slowMode", "locked"] },
    ],
    hasMore: false,
  },
  members: {
    type: "members",
    ref: "o4",
    members: [
      { user: ada, role: "owner" },
      { user: bob, role: "guest", mutedUntil: later + 600_000, banned: true },
    ],
  },
  error: { type: "error", code: "bad_request", message: "frame is not valid JSON" },
};

/** `frame` with `changes` applied; a change to `undefined` removes the field. */
function changed(frame: ServerFrame, changes: Record<string, unknown>): string {
  const fields: Record<string, unknown> = { ...frame };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete fields[key];
    else fields[key] = value;
  }
  return JSON.stringify(fields);
}

describe("parseServerFrame: frames of the contract", () => {
  it.each(Object.entries(FRAMES))("accepts a %s frame as it is", (_, frame) => {
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts a welcome to an empty new room", () => {
    const frame = { ...FRAMES.welcome, online: [ada], onlineCount: 1, lastSeq: 0, history: [] };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts a resume welcome that says more remain and the view is truncated", () => {
    const frame = { ...FRAMES.welcome, more: true, truncated: true };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts an error that echoes a send's id", () => {
    const frame = { type: "error", code: "too_large", message: "too long", id: "m1" };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts a rate_limited error with retryAfter", () => {
    const frame = { type: "error", code: "rate_limited", message: "slow down", id: "m1", retryAfter: 200 };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts an empty history page", () => {
    const frame = { type: "history", messages: [], hasMore: false };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });
});

describe("parseServerFrame: anything else", () => {
  it.each([["pong"], [""], ["{"], ["undefined"]])("refuses text that is not JSON: %j", (raw) => {
    expect(parseServerFrame(raw)).toBeNull();
  });

  it.each([["null"], ["[]"], ["42"], ['"welcome"'], ["true"], [JSON.stringify([FRAMES.ack])]])(
    "refuses JSON that is not an object: %s",
    (raw) => {
      expect(parseServerFrame(raw)).toBeNull();
    },
  );

  it.each([["{}"], ['{"type":"send"}'], ['{"type":"Welcome"}'], ['{"type":"__proto__"}'], ['{"type":7}']])(
    "refuses an unknown or missing type: %s",
    (raw) => {
      expect(parseServerFrame(raw)).toBeNull();
    },
  );

  it.each([
    ["welcome without its room", FRAMES.welcome, { room: undefined }],
    ["welcome whose `you` has no name", FRAMES.welcome, { you: { id: "u2ada" } }],
    ["welcome without a token", FRAMES.welcome, { token: undefined }],
    ["welcome whose online list is not a list", FRAMES.welcome, { online: ada }],
    ["welcome whose online list holds a non-user", FRAMES.welcome, { online: [ada, "bob"] }],
    ["welcome with a negative onlineCount", FRAMES.welcome, { onlineCount: -1 }],
    ["welcome with a fractional lastSeq", FRAMES.welcome, { lastSeq: 1.5 }],
    [
      "welcome whose history holds a broken message",
      FRAMES.welcome,
      { history: [{ type: "message", ...message, text: 1 }] },
    ],
    ["welcome whose `more` is not true", FRAMES.welcome, { more: "yes" }],
    ["welcome whose `truncated` is not true", FRAMES.welcome, { truncated: 1 }],
    ["message without text", FRAMES.message, { text: undefined }],
    ["message with a string seq", FRAMES.message, { seq: "7" }],
    ["message with a negative ts", FRAMES.message, { ts: -1 }],
    ["message whose user id is a number", FRAMES.message, { user: { id: 1, name: "Ada" } }],
    ["message whose user is null", FRAMES.message, { user: null }],
    ["ack without an id", FRAMES.ack, { id: undefined }],
    ["ack with a fractional seq", FRAMES.ack, { seq: 7.5 }],
    ["ack with a seq beyond the safe integers", FRAMES.ack, { seq: 2 ** 53 }],
    ["join without a count", FRAMES.join, { online: undefined }],
    ["join whose user is a string", FRAMES.join, { user: "bob" }],
    ["leave with a negative count", FRAMES.leave, { online: -1 }],
    ["presence without onlineCount", FRAMES.presence, { onlineCount: undefined }],
    ["presence whose online is a count", FRAMES.presence, { online: 1 }],
    ["rename without the previous name", FRAMES.rename, { previous: undefined }],
    ["rename whose previous name is null", FRAMES.rename, { previous: null }],
    ["typing without a user", FRAMES.typing, { user: undefined }],
    ["occupancy with a string count", FRAMES.occupancy, { online: "250" }],
    ["history without hasMore", FRAMES.history, { hasMore: undefined }],
    ["history with hasMore as a string", FRAMES.history, { hasMore: "true" }],
    ["history whose messages is not a list", FRAMES.history, { messages: message }],
    ["error with a code outside the contract", FRAMES.error, { code: "teapot" }],
    ["error without a message", FRAMES.error, { message: undefined }],
    ["error whose id is a number", FRAMES.error, { id: 1 }],
    ["error with a negative retryAfter", FRAMES.error, { retryAfter: -5 }],
    ["error with a fractional retryAfter", FRAMES.error, { retryAfter: 0.5 }],
  ])("refuses a %s", (_, frame, changes) => {
    expect(parseServerFrame(changed(frame, changes))).toBeNull();
  });

  it("refuses a message with seq 0: seq starts at 1 in every room", () => {
    expect(parseServerFrame(changed(FRAMES.message, { seq: 0 }))).toBeNull();
  });

  it("refuses an ack with seq 0", () => {
    expect(parseServerFrame(changed(FRAMES.ack, { seq: 0 }))).toBeNull();
  });

  it("refuses a history page holding a message with seq 0", () => {
    expect(parseServerFrame(changed(FRAMES.history, { messages: [{ ...message, seq: 0 }] }))).toBeNull();
  });
});

describe("parseServerFrame: version 2 fields", () => {
  it("keeps the ref of a history answer and of an error", () => {
    const page = { ...FRAMES.history, ref: "h1" };
    const refused = { ...FRAMES.error, ref: "h2" };
    expect(parseServerFrame(JSON.stringify(page))).toStrictEqual(page);
    expect(parseServerFrame(JSON.stringify(refused))).toStrictEqual(refused);
  });

  it("refuses a ref that is not a string", () => {
    expect(parseServerFrame(JSON.stringify({ ...FRAMES.history, ref: 7 }))).toBeNull();
    expect(parseServerFrame(JSON.stringify({ ...FRAMES.error, ref: null }))).toBeNull();
  });
});

describe("parseServerFrame: events that change a message", () => {
  it("accepts an edit that mentions people", () => {
    const frame = { ...FRAMES.edit, mentions: [bob] };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts an edit whose text is empty, as a resume gives one after a later deletion", () => {
    const frame = { ...FRAMES.edit, text: "" };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts the removal of a reaction", () => {
    const frame = { ...FRAMES.reaction, on: false };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it.each([
    ["edit without its target", FRAMES.edit, { target: undefined }],
    ["edit whose target is 0", FRAMES.edit, { target: 0 }],
    ["edit whose target is a string", FRAMES.edit, { target: "7" }],
    ["edit without text", FRAMES.edit, { text: undefined }],
    ["edit whose text is null", FRAMES.edit, { text: null }],
    ["edit whose mentions hold a bare id", FRAMES.edit, { mentions: ["u2bob"] }],
    ["edit whose mentions are not a list", FRAMES.edit, { mentions: bob }],
    ["edit without a user", FRAMES.edit, { user: undefined }],
    ["edit without a seq", FRAMES.edit, { seq: undefined }],
    ["edit with seq 0", FRAMES.edit, { seq: 0 }],
    ["edit with a negative ts", FRAMES.edit, { ts: -1 }],
    ["delete without its target", FRAMES.delete, { target: undefined }],
    ["delete with a fractional target", FRAMES.delete, { target: 7.5 }],
    ["delete whose user is a string", FRAMES.delete, { user: "u2ada" }],
    ["delete without a ts", FRAMES.delete, { ts: undefined }],
    ["reaction without its emoji", FRAMES.reaction, { emoji: undefined }],
    ["reaction whose emoji is a number", FRAMES.reaction, { emoji: 1 }],
    ["reaction without `on`", FRAMES.reaction, { on: undefined }],
    ["reaction whose `on` is a string", FRAMES.reaction, { on: "true" }],
    ["reaction with a negative target", FRAMES.reaction, { target: -7 }],
    ["reaction without a user", FRAMES.reaction, { user: undefined }],
  ])("refuses an %s", (_, frame, changes) => {
    expect(parseServerFrame(changed(frame, changes))).toBeNull();
  });
});

describe("parseServerFrame: acks", () => {
  const unchanged = { type: "ack", id: "e1", unchanged: true };

  it("accepts the ack of an edit or react that changed nothing", () => {
    expect(parseServerFrame(JSON.stringify(unchanged))).toStrictEqual(unchanged);
  });

  it.each([
    ["a seq", { ...unchanged, seq: 7 }],
    ["a ts", { ...unchanged, ts: message.ts }],
    ["a seq and a ts", { ...unchanged, seq: 7, ts: message.ts }],
  ])("refuses an unchanged ack that carries %s: nothing was stored", (_, frame) => {
    expect(parseServerFrame(JSON.stringify(frame))).toBeNull();
  });

  it.each([
    ["no id", { type: "ack", unchanged: true }],
    ["neither a seq nor unchanged", { type: "ack", id: "e1" }],
    ["a seq without a ts", { type: "ack", id: "e1", seq: 7 }],
    ["a ts without a seq", { type: "ack", id: "e1", ts: message.ts }],
  ])("refuses an ack with %s", (_, frame) => {
    expect(parseServerFrame(JSON.stringify(frame))).toBeNull();
  });
});

describe("parseServerFrame: a welcome's history of events", () => {
  it("accepts history items of every event type", () => {
    const history = [{ type: "message", ...message }, FRAMES.edit, FRAMES.delete, FRAMES.reaction];
    const frame = { ...FRAMES.welcome, lastSeq: 10, history };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it.each([
    ["a message without its type", message],
    ["an edit without its type", { seq: 8, ts: later, target: 7, user: ada, text: "hello again" }],
    ["an item of an unknown type", { ...message, type: "poll" }],
    ["an item whose type is not a string", { ...message, type: 1 }],
    ["a message typed as an edit", { ...message, type: "edit" }],
    ["an edit typed as a message", { ...FRAMES.edit, type: "message" }],
    ["an ack", FRAMES.ack],
  ])("refuses a welcome whose history holds %s", (_, item) => {
    expect(parseServerFrame(JSON.stringify({ ...FRAMES.welcome, history: [item] }))).toBeNull();
  });
});

describe("parseServerFrame: a message's version 2 fields", () => {
  const replyTo = { seq: 3, user: bob, text: "how is it going?" };
  const reactions = [
    { emoji: "👍", count: 2, users: ["u2ada", "u2bob"] },
    { emoji: "🎉", count: 60, users: ["u2bob"] },
  ];
  const full: Message = { ...message, replyTo, mentions: [bob], editedAt: later, reactions };

  it("accepts a message with a reply, mentions, an edit time and reactions", () => {
    const frame = { type: "message", ...full };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts a deleted message", () => {
    const frame = { type: "message", ...message, text: "", deleted: true };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts a reply to a message that was deleted since", () => {
    const frame = { type: "message", ...message, replyTo: { seq: 3, user: bob, text: "", deleted: true } };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts the new fields on the messages of a history page", () => {
    const frame = {
      type: "history",
      messages: [full, { ...message, seq: 8, text: "", deleted: true }],
      hasMore: false,
    };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it.each([
    ["a reply that is not an object", { replyTo: 3 }],
    ["a reply to seq 0", { replyTo: { ...replyTo, seq: 0 } }],
    ["a reply without its author", { replyTo: { seq: 3, text: "hi" } }],
    ["a reply whose author has no name", { replyTo: { ...replyTo, user: { id: "u2bob" } } }],
    ["a reply without text", { replyTo: { seq: 3, user: bob } }],
    ["a reply whose `deleted` is false", { replyTo: { ...replyTo, deleted: false } }],
    ["mentions that are not a list", { mentions: bob }],
    ["mentions holding a bare id", { mentions: ["u2bob"] }],
    ["mentions holding null", { mentions: [null] }],
    ["a negative editedAt", { editedAt: -1 }],
    ["a fractional editedAt", { editedAt: 1.5 }],
    ["an editedAt that is a string", { editedAt: "yesterday" }],
    ["a `deleted` that is false", { deleted: false }],
    ["a `deleted` that is a string", { deleted: "true" }],
    ["reactions that are not a list", { reactions: reactions[0] }],
    ["a reaction without its emoji", { reactions: [{ count: 1, users: [] }] }],
    ["a reaction with a count of 0", { reactions: [{ emoji: "👍", count: 0, users: [] }] }],
    ["a reaction with a fractional count", { reactions: [{ emoji: "👍", count: 1.5, users: ["u2ada"] }] }],
    ["a reaction whose users are not a list", { reactions: [{ emoji: "👍", count: 1, users: "u2ada" }] }],
    ["a reaction whose users hold a user object", { reactions: [{ emoji: "👍", count: 1, users: [ada] }] }],
    ["a reaction listing more users than its count", { reactions: [{ emoji: "👍", count: 1, users: ["a", "b"] }] }],
  ])("refuses a message with %s", (_, changes) => {
    expect(parseServerFrame(changed(FRAMES.message, changes))).toBeNull();
  });

  it("refuses a history page holding a message with a broken reaction", () => {
    const broken = { ...message, reactions: [{ emoji: "👍", count: -1, users: [] }] };
    expect(parseServerFrame(JSON.stringify({ ...FRAMES.history, messages: [broken] }))).toBeNull();
  });
});

describe("isFrameOfUnknownType", () => {
  it("is true for an object whose type the contract does not name", () => {
    expect(isFrameOfUnknownType('{"type":"poll","seq":3}')).toBe(true);
    expect(isFrameOfUnknownType('{"type":"relay","frames":[]}')).toBe(true);
  });

  it.each([
    ["a known type with a broken shape", '{"type":"message","seq":"one"}'],
    ["an edit, which this version knows", '{"type":"edit","seq":3}'],
    ["a batch, which this version knows", '{"type":"batch","frames":[]}'],
    ["no type", '{"seq":1}'],
    ["a type that is not a string", '{"type":7}'],
    ["an array", '[{"type":"edit"}]'],
    ["not JSON", "edit"],
  ])("is false for %s", (_, raw) => {
    expect(isFrameOfUnknownType(raw)).toBe(false);
  });
});

describe("parseServerFrame: what a deleted message and an ack may not carry", () => {
  const stub = { type: "message", ...message, text: "", deleted: true };

  it("refuses a deleted message that still says something, or keeps a reply, mentions, an edit time or reactions", () => {
    for (const extra of [
      { text: "secret" },
      { replyTo: { seq: 3, user: bob, text: "hi" } },
      { mentions: [bob] },
      { editedAt: later },
      { reactions: [{ emoji: "👍", count: 1, users: [bob.id] }] },
    ]) {
      expect(parseServerFrame(JSON.stringify({ ...stub, ...extra }))).toBeNull();
    }
    expect(parseServerFrame(JSON.stringify(stub))).toEqual(stub);
  });

  it("refuses a reply preview of a deleted message that still shows its text", () => {
    const reply = { type: "message", ...message, replyTo: { seq: 3, user: bob, text: "hi", deleted: true } };
    expect(parseServerFrame(JSON.stringify(reply))).toBeNull();
  });

  it("refuses an ack whose `unchanged` is anything but true", () => {
    for (const unchanged of [false, "yes", 1, null]) {
      expect(parseServerFrame(JSON.stringify({ type: "ack", id: "m1", seq: 7, ts: message.ts, unchanged }))).toBeNull();
    }
  });
});

describe("parseServerFrame: search results", () => {
  /** A results frame holding one hit: `text` with `highlights`. */
  function resultsWith(text: string, highlights: unknown): string {
    return JSON.stringify({
      type: "results",
      ref: "q1",
      hits: [{ message: { ...message, text }, highlights }],
      hasMore: false,
    });
  }

  it("accepts results without hits", () => {
    const frame = { type: "results", ref: "q1", hits: [], hasMore: false };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts a highlight that ends at the last code point of the text", () => {
    expect(parseServerFrame(resultsWith("hello", [[0, 5]]))).not.toBeNull();
    expect(parseServerFrame(resultsWith("hello", [[4, 5]]))).not.toBeNull();
  });

  it("accepts a hit whose message carries reactions, a reply and an edit time", () => {
    const hit = {
      message: { ...found, editedAt: later, replyTo: { seq: 3, user: bob, text: "status?" }, reactions: [] },
      highlights: [[4, 10]],
    };
    const frame = { type: "results", ref: "q1", hits: [hit], hasMore: false };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  // "🎉 deploy 🚀" is 10 code points but 12 UTF-16 units; "在𠮷野家吃饭" is 6 code points but 7 units.
  it.each([
    ["an emoji before the match", "🎉 deploy 🚀", [[2, 8]]],
    ["an emoji as the match, at the end", "🎉 deploy 🚀", [[9, 10]]],
    ["the whole text", "🎉 deploy 🚀", [[0, 10]]],
    ["a character outside the BMP in a CJK match", "在𠮷野家吃饭", [[1, 4]]],
    ["a CJK match at the end", "在𠮷野家吃饭", [[4, 6]]],
  ])("counts highlights in code points: accepts %s", (_, text, highlights) => {
    expect(parseServerFrame(resultsWith(text, highlights))).not.toBeNull();
  });

  it.each([
    ["past the code points, within the UTF-16 units", "🎉 deploy 🚀", [[10, 12]]],
    ["ending one past the code points", "🎉 deploy 🚀", [[9, 11]]],
    ["past the code points of a CJK text", "在𠮷野家吃饭", [[5, 7]]],
  ])("counts highlights in code points: refuses one %s", (_, text, highlights) => {
    expect(parseServerFrame(resultsWith(text, highlights))).toBeNull();
  });

  it.each([
    ["starts where it ends", [[2, 2]]],
    ["starts after it ends", [[3, 2]]],
    ["ends past the text", [[0, 6]]],
    ["starts before the text", [[-1, 2]]],
    ["has a fractional start", [[0.5, 2]]],
    ["has a fractional end", [[0, 2.5]]],
    ["has offsets written as strings", [["0", "2"]]],
    ["has a null end", [[0, null]]],
    ["has one offset", [[2]]],
    ["has three offsets", [[0, 2, 4]]],
    ["is an object", [{ start: 0, end: 2 }]],
    ["is a bare number", [2]],
  ])("refuses a highlight that %s", (_, highlights) => {
    expect(parseServerFrame(resultsWith("hello", highlights))).toBeNull();
  });

  it("refuses a broken highlight beside valid ones", () => {
    expect(
      parseServerFrame(
        resultsWith("hello", [
          [0, 2],
          [3, 9],
        ]),
      ),
    ).toBeNull();
  });

  it("refuses highlights in a deleted message, whose text is empty", () => {
    const hit = { message: { ...message, text: "", deleted: true }, highlights: [[0, 1]] };
    expect(parseServerFrame(JSON.stringify({ type: "results", ref: "q1", hits: [hit], hasMore: false }))).toBeNull();
  });

  it.each([
    ["without a ref", { ref: undefined }],
    ["whose ref is a number", { ref: 1 }],
    ["without hits", { hits: undefined }],
    ["whose hits are not a list", { hits: { message, highlights: [] } }],
    ["holding a bare message as a hit", { hits: [message] }],
    ["holding a hit without highlights", { hits: [{ message }] }],
    ["holding a hit whose highlights are not a list", { hits: [{ message, highlights: [0, 5] }] }],
    ["holding a hit without its message", { hits: [{ highlights: [] }] }],
    ["holding a hit whose message has seq 0", { hits: [{ message: { ...message, seq: 0 }, highlights: [] }] }],
    [
      "holding a hit whose message has no text",
      { hits: [{ message: { ...message, text: undefined }, highlights: [] }] },
    ],
    ["without hasMore", { hasMore: undefined }],
    ["whose hasMore is a string", { hasMore: "true" }],
  ])("refuses results %s", (_, changes) => {
    expect(parseServerFrame(changed(FRAMES.results, changes))).toBeNull();
  });
});

describe("parseServerFrame: read positions", () => {
  it("accepts a welcome that carries the user's read position", () => {
    const frame = { ...FRAMES.welcome, read: 5 };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts a welcome without a read position, for a user the room has none for", () => {
    expect(FRAMES.welcome).not.toHaveProperty("read");
    expect(parseServerFrame(JSON.stringify(FRAMES.welcome))).toStrictEqual(FRAMES.welcome);
  });

  it.each([
    ["a negative", -1],
    ["a fractional", 1.5],
    ["a string", "5"],
    ["a null", null],
    ["an unsafe", 2 ** 53],
  ])("refuses a welcome with %s read position", (_, read) => {
    expect(parseServerFrame(changed(FRAMES.welcome, { read }))).toBeNull();
  });

  it.each([
    ["without a seq", { seq: undefined }],
    ["with a negative seq", { seq: -1 }],
    ["with a fractional seq", { seq: 7.5 }],
    ["with a string seq", { seq: "7" }],
    ["with a seq beyond the safe integers", { seq: 2 ** 53 }],
  ])("refuses a read frame %s", (_, changes) => {
    expect(parseServerFrame(changed(FRAMES.read, changes))).toBeNull();
  });

  it("knows results and read frames, so does not take them for a newer server's", () => {
    expect(isFrameOfUnknownType('{"type":"results","ref":1}')).toBe(false);
    expect(isFrameOfUnknownType('{"type":"read","seq":"x"}')).toBe(false);
  });
});

describe("parseServerFrame: rooms with owners", () => {
  it("accepts a welcome to an owned room: the role, the settings, a mute's end and a refused key", () => {
    const frame = { ...FRAMES.welcome, role: "member", settings, mutedUntil: later, keyRefused: "expired" };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts a welcome whose history holds settings and moderation events", () => {
    const frame = { ...FRAMES.welcome, lastSeq: 12, history: [FRAMES.settings, FRAMES.moderation] };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it("accepts the settings event the claim stores, which names nobody", () => {
    const frame = changed(FRAMES.settings, {
      user: undefined,
      changed: ["topic", "read", "write", "slowMode", "locked"],
    });
    expect(parseServerFrame(frame)).toStrictEqual(JSON.parse(frame));
  });

  it.each([
    [
      "a revocation of a key",
      { action: "revoke", subject: undefined, until: undefined, key: "b7c2xq4m", role: "member" },
    ],
    ["a role given", { action: "role", until: undefined, role: "moderator", reason: "helps a lot" }],
    ["a ban that bars addresses", { action: "ban", until: undefined, addressUntil: later + 3_600_000 }],
    ["a kick", { action: "kick", until: undefined }],
  ])("accepts a moderation event: %s", (_, changes) => {
    const frame = changed(FRAMES.moderation, changes);
    expect(parseServerFrame(frame)).toStrictEqual(JSON.parse(frame));
  });

  it("accepts a moderator's deletion with its reason", () => {
    const frame = { ...FRAMES.delete, reason: "off topic" };
    expect(parseServerFrame(JSON.stringify(frame))).toStrictEqual(frame);
  });

  it.each([
    ["welcome with a role outside the contract", FRAMES.welcome, { role: "admin" }],
    ["welcome whose settings lack `locked`", FRAMES.welcome, { settings: { ...settings, locked: undefined } }],
    ["welcome whose settings read `everyone`", FRAMES.welcome, { settings: { ...settings, read: "everyone" } }],
    ["welcome with slow mode past its limit", FRAMES.welcome, { settings: { ...settings, slowMode: 21_601 } }],
    ["welcome with a fractional mute end", FRAMES.welcome, { mutedUntil: 1.5 }],
    ["welcome whose key was refused for no known reason", FRAMES.welcome, { keyRefused: "stolen" }],
    ["settings event without its settings", FRAMES.settings, { settings: undefined }],
    ["settings event that changed nothing", FRAMES.settings, { changed: [] }],
    ["settings event naming an unknown setting", FRAMES.settings, { changed: ["colour"] }],
    ["settings event with a negative slow mode", FRAMES.settings, { settings: { ...settings, slowMode: -1 } }],
    ["moderation event of an unknown action", FRAMES.moderation, { action: "warn" }],
    ["moderation event without who took it", FRAMES.moderation, { user: undefined }],
    ["mute without its end", FRAMES.moderation, { until: undefined }],
    ["mute without its subject", FRAMES.moderation, { subject: undefined }],
    ["role change without the role", FRAMES.moderation, { action: "role", until: undefined }],
    ["revocation without the key", FRAMES.moderation, { action: "revoke", subject: undefined, role: "member" }],
    ["revocation naming a key itself", FRAMES.moderation, { action: "revoke", key: secret, role: "member" }],
    ["moderation event whose reason is a number", FRAMES.moderation, { reason: 7 }],
    ["delete whose reason is not text", FRAMES.delete, { reason: true }],
    ["minted frame without the key itself", FRAMES.minted, { secret: undefined }],
    ["minted frame whose key is not 32 base32 characters", FRAMES.minted, { secret: "Q7" }],
    ["minted frame for a guest key", FRAMES.minted, { key: { ...keyInfo, role: "guest" } }],
    ["minted frame without its ref", FRAMES.minted, { ref: undefined }],
    ["keys frame whose key's creator is a bare id", FRAMES.keys, { keys: [{ ...keyInfo, createdBy: "u2ada" }] }],
    ["keys frame whose key id is too short", FRAMES.keys, { keys: [{ ...keyInfo, id: "b7c2" }] }],
    ["keys frame with negative uses left", FRAMES.keys, { keys: [{ ...keyInfo, usesLeft: -1 }] }],
    ["audit page holding a message", FRAMES.audit, { events: [{ type: "message", ...message }] }],
    ["audit page without hasMore", FRAMES.audit, { hasMore: undefined }],
    ["members frame with a role outside the contract", FRAMES.members, { members: [{ user: ada, role: "king" }] }],
    [
      "members frame whose `banned` is false",
      FRAMES.members,
      { members: [{ user: ada, role: "guest", banned: false }] },
    ],
    ["members frame whose members are not a list", FRAMES.members, { members: { user: ada, role: "owner" } }],
  ])("refuses a %s", (_, frame, changes) => {
    expect(parseServerFrame(changed(frame, changes))).toBeNull();
  });

  it("knows the frames of rooms with owners, so does not take a broken one for a newer server's", () => {
    for (const type of ["settings", "moderation", "minted", "keys", "audit", "members"]) {
      expect(isFrameOfUnknownType(JSON.stringify({ type }))).toBe(false);
    }
  });
});

describe("parseServerFrames", () => {
  const messageFrame: ServerFrame = { type: "message", ...message };
  const join: ServerFrame = { type: "join", user: bob, online: 2 };
  const batch = (frames: unknown[]) => JSON.stringify({ type: "batch", frames });

  it("reads a batch as its frames, in order", () => {
    expect(parseServerFrames(batch([messageFrame, join]))).toEqual([messageFrame, join]);
  });

  it("reads what encodeBatch writes as the frames it was written from, and one frame as itself", () => {
    expect(parseServerFrames(encodeBatch([encodeFrame(messageFrame), encodeFrame(join)]))).toEqual([
      messageFrame,
      join,
    ]);
    expect(encodeBatch([encodeFrame(join)])).toBe(encodeFrame(join));
  });

  it("reads any other frame as itself alone", () => {
    expect(parseServerFrames(JSON.stringify(join))).toEqual([join]);
  });

  it.each([
    ["a batch of one frame", batch([join])],
    ["an empty batch", batch([])],
    ["a batch in a batch", batch([join, { type: "batch", frames: [join, join] }])],
    ["a batch with a frame that breaks the contract", batch([join, { type: "message", seq: "one" }])],
    ["a batch whose frames are not a list", JSON.stringify({ type: "batch", frames: { 0: join, 1: join } })],
    ["a frame of an unknown type", '{"type":"relay","frames":[]}'],
    ["not JSON", "batch"],
  ])("is null for %s", (_, raw) => {
    expect(parseServerFrames(raw)).toBeNull();
  });

  it("never reads a batch as one frame", () => {
    expect(parseServerFrame(batch([messageFrame, join]))).toBeNull();
  });
});
