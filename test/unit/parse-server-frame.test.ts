import { describe, expect, it } from "vitest";
import type { Message, ServerFrame } from "../../protocol/frames.ts";
import { isFrameOfUnknownType, parseServerFrame } from "../../protocol/parse-server.ts";

const ada = { id: "u2ada", name: "Ada" };
const bob = { id: "u2bob", name: "Bob 🎉" };
const message: Message = { seq: 7, id: "m1", user: ada, text: "hello", ts: 1_760_000_000_000 };

/** One frame of every server type, as the contract shapes it. */
const FRAMES: Record<ServerFrame["type"], ServerFrame> = {
  welcome: {
    type: "welcome",
    room: "general",
    you: ada,
    token: "u2ada.sig",
    online: [ada, bob],
    onlineCount: 2,
    lastSeq: 7,
    history: [message],
  },
  message: { type: "message", ...message },
  ack: { type: "ack", id: "m1", seq: 7, ts: message.ts },
  join: { type: "join", user: bob, online: 2 },
  leave: { type: "leave", user: bob, online: 1 },
  presence: { type: "presence", online: [ada], onlineCount: 1 },
  rename: { type: "rename", user: ada, previous: "guest-abcd" },
  typing: { type: "typing", user: bob },
  occupancy: { type: "occupancy", online: 250 },
  history: { type: "history", messages: [message, { ...message, seq: 8, id: "m2" }], hasMore: true },
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
    ["welcome whose history holds a broken message", FRAMES.welcome, { history: [{ ...message, text: 1 }] }],
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

describe("isFrameOfUnknownType", () => {
  it("is true for an object whose type the contract does not name", () => {
    expect(isFrameOfUnknownType('{"type":"edit","seq":3}')).toBe(true);
    expect(isFrameOfUnknownType('{"type":"batch","frames":[]}')).toBe(true);
  });

  it.each([
    ["a known type with a broken shape", '{"type":"message","seq":"one"}'],
    ["no type", '{"seq":1}'],
    ["a type that is not a string", '{"type":7}'],
    ["an array", '[{"type":"edit"}]'],
    ["not JSON", "edit"],
  ])("is false for %s", (_, raw) => {
    expect(isFrameOfUnknownType(raw)).toBe(false);
  });
});
