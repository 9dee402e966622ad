/**
 * The frames of rooms with owners at the boundary: every field rule of
 * `settings`, `moderate`, `revoke`, `mint`, `keys`, `audit`, `members` and
 * a `delete`'s reason, through parseClientFrame as a socket's frame goes,
 * and the shapes of keys and key ids. A refusal is `bad_request` and echoes
 * the frame's `id` (frames that store an event) or `ref` (requests).
 */
import { describe, expect, it } from "vitest";
import { type ClientFrame, DEFAULT_LIMITS, FRAME_LIMITS, ROLES } from "../../protocol/frames.ts";
import { type FrameRefusal, parseClientFrame } from "../../protocol/parse-client.ts";
import {
  isKey,
  isKeyId,
  isRole,
  parseAuditPage,
  parseKeyRequest,
  parseModeration,
  parseSettingChanges,
} from "../../protocol/parse-owners.ts";

const USER = "k2m7q4xwr3t5bnda";
const KEY_ID = "b7c2xq4m";
const KEY = "q7b2c3d4e5f6g7h2i3j4k5l6m7n2o3p4";
const DAY = 24 * 60 * 60 * 1000;

function frameOf(value: Record<string, unknown>): ClientFrame {
  const result = parseClientFrame(JSON.stringify(value), DEFAULT_LIMITS.maxFrameBytes);
  if (!result.ok) throw new Error(`expected a frame, got ${result.code}: ${result.message}`);
  return result.frame;
}

function refusalOf(value: Record<string, unknown>): FrameRefusal {
  const result = parseClientFrame(JSON.stringify(value), DEFAULT_LIMITS.maxFrameBytes);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.frame)}`);
  return result;
}

/** A bad_request refusal that echoes exactly `echo`. */
function badRequest(echo: { id?: string; ref?: string } = {}): FrameRefusal {
  return { ok: false, code: "bad_request", message: expect.stringMatching(/\S/), ...echo };
}

describe("settings", () => {
  const settings = (fields: Record<string, unknown>) => ({ type: "settings", id: "s1", ...fields });

  it.each([
    [{ topic: "release week" }],
    [{ topic: "" }],
    [{ read: "anyone" }],
    [{ read: "keys" }],
    [{ write: "anyone" }],
    [{ write: "members" }],
    [{ write: "moderators" }],
    [{ slowMode: 0 }],
    [{ slowMode: FRAME_LIMITS.maxSlowModeSeconds }],
    [{ locked: true }],
    [{ locked: false }],
    [{ topic: "all at once", read: "keys", write: "members", slowMode: 30, locked: true }],
  ])("accepts %j", (fields) => {
    expect(frameOf(settings(fields))).toStrictEqual({ type: "settings", id: "s1", ...fields });
  });

  it("trims and NFC-normalises the topic", () => {
    expect(frameOf(settings({ topic: "  Jose\u0301 is on call\n" }))).toMatchObject({ topic: "Jos\u00e9 is on call" });
  });

  it("takes a topic of 200 code points, counting each emoji as one", () => {
    const topic = "🎉".repeat(FRAME_LIMITS.maxTopicLength);
    expect(frameOf(settings({ topic }))).toMatchObject({ topic });
  });

  it.each([
    ["no setting", {}],
    ["a topic of 201 code points", { topic: "🎉".repeat(FRAME_LIMITS.maxTopicLength + 1) }],
    ["a topic with a line break inside", { topic: "two\nlines" }],
    ["a topic with a line separator inside", { topic: "two\u2028lines" }],
    ["a topic with a paragraph separator inside", { topic: "two\u2029lines" }],
    ["a topic with a control character", { topic: "bell\u0007" }],
    ["a topic of a lone surrogate", { topic: "broken \ud800 text" }],
    ["a topic that is not a string", { topic: 42 }],
    ["a read setting that does not exist", { read: "everyone" }],
    ["a write setting that does not exist", { write: "readers" }],
    ["a write setting of the wrong case", { write: "Members" }],
    ["a negative slow mode", { slowMode: -1 }],
    ["a slow mode over 6 hours", { slowMode: FRAME_LIMITS.maxSlowModeSeconds + 1 }],
    ["a fractional slow mode", { slowMode: 1.5 }],
    ["a slow mode as a string", { slowMode: "30" }],
    ["locked as a string", { locked: "true" }],
    ["locked as a number", { locked: 1 }],
    ["an extra field", { topic: "x", owner: true }],
  ])("refuses %s, echoing the id", (_, fields) => {
    expect(refusalOf(settings(fields))).toStrictEqual(badRequest({ id: "s1" }));
  });

  it.each([
    ["no id", { type: "settings", topic: "x" }],
    ["an empty id", { type: "settings", id: "", topic: "x" }],
    ["an id of 65 characters", { type: "settings", id: "x".repeat(65), topic: "x" }],
  ])("refuses %s, echoing nothing", (_, frame) => {
    expect(refusalOf(frame)).toStrictEqual(badRequest());
  });

  it("parses a PATCH body's changes by the same rules, with no id to echo", () => {
    expect(parseSettingChanges({ topic: " x ", slowMode: 30 })).toStrictEqual({
      ok: true,
      value: { topic: "x", slowMode: 30 },
    });
    expect(parseSettingChanges({ slowMode: -1 })).toStrictEqual(badRequest());
    expect(parseSettingChanges({})).toStrictEqual(badRequest());
  });
});

describe("moderate", () => {
  const moderate = (fields: Record<string, unknown>) => ({ type: "moderate", id: "m1", user: USER, ...fields });

  it.each<[Record<string, unknown>]>([
    [{ action: "mute", duration: FRAME_LIMITS.minDurationMs }],
    [{ action: "mute", duration: FRAME_LIMITS.maxMuteMs }],
    [{ action: "unmute" }],
    [{ action: "kick" }],
    [{ action: "ban" }],
    [{ action: "ban", addressFor: FRAME_LIMITS.minDurationMs }],
    [{ action: "ban", addressFor: FRAME_LIMITS.maxAddressBarMs }],
    [{ action: "unban" }],
    ...ROLES.map((role): [Record<string, unknown>] => [{ action: "role", role }]),
    [{ action: "kick", reason: "spam" }],
  ])("accepts %j", (fields) => {
    expect(frameOf(moderate(fields))).toStrictEqual({ type: "moderate", id: "m1", user: USER, ...fields });
  });

  it("trims and NFC-normalises the reason", () => {
    expect(frameOf(moderate({ action: "kick", reason: "  Jose\u0301 asked  " }))).toMatchObject({
      reason: "Jos\u00e9 asked",
    });
  });

  it("takes a reason of 200 code points", () => {
    const reason = "技".repeat(FRAME_LIMITS.maxReasonLength);
    expect(frameOf(moderate({ action: "kick", reason }))).toMatchObject({ reason });
  });

  it.each([
    ["no action", {}],
    ["an unknown action", { action: "shout" }],
    ["revoke, which is a frame of its own", { action: "revoke" }],
    ["a mute without a duration", { action: "mute" }],
    ["a mute under 1 s", { action: "mute", duration: FRAME_LIMITS.minDurationMs - 1 }],
    ["a mute over 30 days", { action: "mute", duration: FRAME_LIMITS.maxMuteMs + 1 }],
    ["a fractional mute", { action: "mute", duration: 1500.5 }],
    ["a mute duration as a string", { action: "mute", duration: "60000" }],
    ["an address bar under 1 s", { action: "ban", addressFor: FRAME_LIMITS.minDurationMs - 1 }],
    ["an address bar over 7 days", { action: "ban", addressFor: FRAME_LIMITS.maxAddressBarMs + 1 }],
    ["a role action without a role", { action: "role" }],
    ["a role that does not exist", { action: "role", role: "admin" }],
    ["a duration on a kick", { action: "kick", duration: 60_000 }],
    ["a duration on a ban", { action: "ban", duration: 60_000 }],
    ["an address bar on a mute", { action: "mute", duration: 60_000, addressFor: 60_000 }],
    ["an address bar on a kick", { action: "kick", addressFor: 60_000 }],
    ["a role on a ban", { action: "ban", role: "guest" }],
    ["an empty reason", { action: "kick", reason: "" }],
    ["a blank reason", { action: "kick", reason: "   " }],
    ["a reason of 201 code points", { action: "kick", reason: "技".repeat(FRAME_LIMITS.maxReasonLength + 1) }],
    ["a reason of two lines", { action: "kick", reason: "two\nlines" }],
    ["a reason that is not a string", { action: "kick", reason: 7 }],
    ["an extra field", { action: "kick", key: KEY_ID }],
  ])("refuses %s, echoing the id", (_, fields) => {
    expect(refusalOf(moderate(fields))).toStrictEqual(badRequest({ id: "m1" }));
  });

  it.each([
    ["upper case", "K2M7Q4XWR3T5BNDA"],
    ["15 characters", "k2m7q4xwr3t5bnd"],
    ["17 characters", "k2m7q4xwr3t5bndaa"],
    ["characters outside base32", "k2m7q4xwr3t5bnd1"],
    ["a number", 42],
  ])("refuses a user that is not a user id: %s", (_, user) => {
    expect(refusalOf({ type: "moderate", id: "m1", action: "kick", user })).toStrictEqual(badRequest({ id: "m1" }));
  });

  it("parses a moderation body by the same rules, with no id to echo", () => {
    expect(parseModeration({ action: "mute", user: USER, duration: 60_000 })).toStrictEqual({
      ok: true,
      value: { action: "mute", user: USER, duration: 60_000 },
    });
    expect(parseModeration({ action: "mute", user: USER })).toStrictEqual(badRequest());
  });
});

describe("revoke", () => {
  it("accepts a key id", () => {
    expect(frameOf({ type: "revoke", id: "r1", key: KEY_ID })).toStrictEqual({ type: "revoke", id: "r1", key: KEY_ID });
  });

  it.each([
    ["7 characters", "b7c2xq4"],
    ["9 characters", "b7c2xq4mm"],
    ["upper case", "B7C2XQ4M"],
    ["characters outside base32", "b7c2xq41"],
    ["a key itself rather than its id", KEY],
    ["no key", undefined],
  ])("refuses a key that is not a key id: %s, echoing the id", (_, key) => {
    expect(refusalOf({ type: "revoke", id: "r1", key })).toStrictEqual(badRequest({ id: "r1" }));
  });

  it("refuses an extra field, echoing the id", () => {
    expect(refusalOf({ type: "revoke", id: "r1", key: KEY_ID, role: "member" })).toStrictEqual(
      badRequest({ id: "r1" }),
    );
  });
});

describe("mint", () => {
  const mint = (fields: Record<string, unknown>) => ({ type: "mint", ref: "k1", role: "member", ...fields });

  it.each([
    [{ role: "owner" }],
    [{ role: "moderator" }],
    [{ role: "member" }],
    [{ role: "reader" }],
    [{ expiresIn: FRAME_LIMITS.minKeyLifetimeMs }],
    [{ expiresIn: FRAME_LIMITS.maxKeyLifetimeMs }],
    [{ uses: 1 }],
    [{ uses: FRAME_LIMITS.maxKeyUses }],
    [{ label: "t" }],
    [{ label: "l".repeat(FRAME_LIMITS.maxKeyLabelLength) }],
    [{ expiresIn: DAY, uses: 20, label: "team" }],
  ])("accepts %j", (fields) => {
    expect(frameOf(mint(fields))).toStrictEqual({ type: "mint", ref: "k1", role: "member", ...fields });
  });

  it("trims the label", () => {
    expect(frameOf(mint({ label: "  team  " }))).toMatchObject({ label: "team" });
  });

  it.each([
    ["a guest key, which grants nothing", { role: "guest" }],
    ["a role that does not exist", { role: "admin" }],
    ["no role", { role: undefined }],
    ["a lifetime under a minute", { expiresIn: FRAME_LIMITS.minKeyLifetimeMs - 1 }],
    ["a lifetime over a year", { expiresIn: FRAME_LIMITS.maxKeyLifetimeMs + 1 }],
    ["a fractional lifetime", { expiresIn: 60_000.5 }],
    ["no uses", { uses: 0 }],
    ["over 10,000 uses", { uses: FRAME_LIMITS.maxKeyUses + 1 }],
    ["fractional uses", { uses: 1.5 }],
    ["an empty label", { label: "" }],
    ["a blank label", { label: "  " }],
    ["a label of 65 code points", { label: "l".repeat(FRAME_LIMITS.maxKeyLabelLength + 1) }],
    ["a label of two lines", { label: "two\nlines" }],
    ["an extra field", { secret: KEY }],
  ])("refuses %s, echoing the ref", (_, fields) => {
    expect(refusalOf(mint(fields))).toStrictEqual(badRequest({ ref: "k1" }));
  });

  it.each([
    ["no ref", { type: "mint", role: "member" }],
    ["an empty ref", { type: "mint", ref: "", role: "member" }],
    ["a ref of 65 characters", { type: "mint", ref: "r".repeat(65), role: "member" }],
  ])("refuses %s, echoing nothing", (_, frame) => {
    expect(refusalOf(frame)).toStrictEqual(badRequest());
  });

  it("parses a POST .../keys body by the same rules", () => {
    expect(parseKeyRequest({ role: "reader", uses: 3 })).toStrictEqual({
      ok: true,
      value: { role: "reader", uses: 3 },
    });
    expect(parseKeyRequest({ role: "guest" })).toStrictEqual(badRequest());
  });
});

describe("keys and members", () => {
  it.each(["keys", "members"])("a %s request takes a ref only", (type) => {
    expect(frameOf({ type, ref: "q1" })).toStrictEqual({ type, ref: "q1" });
    expect(refusalOf({ type, ref: "q1", role: "member" })).toStrictEqual(badRequest({ ref: "q1" }));
    expect(refusalOf({ type })).toStrictEqual(badRequest());
  });
});

describe("audit", () => {
  it.each([
    [{}],
    [{ before: 0 }],
    [{ before: 90 }],
    [{ limit: 1 }],
    [{ limit: FRAME_LIMITS.auditPageMax }],
    [{ before: 90, limit: 20 }],
  ])("accepts %j", (fields) => {
    expect(frameOf({ type: "audit", ref: "a1", ...fields })).toStrictEqual({ type: "audit", ref: "a1", ...fields });
  });

  it.each([
    ["a negative before", { before: -1 }],
    ["a fractional before", { before: 1.5 }],
    ["a limit of 0", { limit: 0 }],
    ["a limit over 100", { limit: FRAME_LIMITS.auditPageMax + 1 }],
    ["a limit as a string", { limit: "20" }],
    ["an extra field", { after: 3 }],
  ])("refuses %s, echoing the ref", (_, fields) => {
    expect(refusalOf({ type: "audit", ref: "a1", ...fields })).toStrictEqual(badRequest({ ref: "a1" }));
  });

  it("parses an audit query's page by the same rules", () => {
    expect(parseAuditPage({ limit: 20 })).toStrictEqual({ ok: true, value: { limit: 20 } });
    expect(parseAuditPage({ limit: 0 })).toStrictEqual(badRequest());
  });
});

describe("delete with a reason", () => {
  it("keeps a moderator's reason, trimmed", () => {
    expect(frameOf({ type: "delete", id: "d1", target: 4, reason: " spam " })).toStrictEqual({
      type: "delete",
      id: "d1",
      target: 4,
      reason: "spam",
    });
  });

  it.each([
    ["an empty reason", ""],
    ["a reason of 201 code points", "x".repeat(FRAME_LIMITS.maxReasonLength + 1)],
    ["a reason of two lines", "two\nlines"],
  ])("refuses %s, echoing the id", (_, reason) => {
    expect(refusalOf({ type: "delete", id: "d1", target: 4, reason })).toStrictEqual(badRequest({ id: "d1" }));
  });
});

describe("the shapes of keys, key ids and roles", () => {
  it("a key is 32 characters of lower-case base32", () => {
    expect(isKey(KEY)).toBe(true);
    expect(isKey(KEY.slice(1))).toBe(false);
    expect(isKey(`${KEY}a`)).toBe(false);
    expect(isKey(KEY.toUpperCase())).toBe(false);
    expect(isKey(`${KEY.slice(1)}1`)).toBe(false);
    expect(isKey(42)).toBe(false);
  });

  it("a key id is 8 characters of lower-case base32", () => {
    expect(isKeyId(KEY_ID)).toBe(true);
    expect(isKeyId(KEY)).toBe(false);
    expect(isKeyId("b7c2xq48")).toBe(false);
  });

  it("the roles are owner, moderator, member, reader and guest", () => {
    expect(ROLES.filter(isRole)).toEqual(["owner", "moderator", "member", "reader", "guest"]);
    expect(isRole("admin")).toBe(false);
    expect(isRole("Owner")).toBe(false);
  });
});
