/**
 * The room view on its own: messages in their current state, and the as-of
 * rule that makes an event already reflected change nothing.
 */
import { describe, expect, it } from "vitest";
import { RoomView } from "../../../client/sdk/room-view.ts";
import { ALICE, BOB, deleteFrame, editFrame, message, reactionFrame } from "./support/frames.ts";

function viewOf(...held: [ReturnType<typeof message>, number][]): RoomView {
  const view = new RoomView(() => ALICE);
  for (const [each, asOf] of held) view.put(each, asOf);
  return view;
}

describe("the as-of rule", () => {
  it("applies an event newer than the message's state", () => {
    const view = viewOf([message(1), 1]);
    view.apply(editFrame(2, 1, "fixed"));
    expect(view.get(1)).toMatchObject({ text: "fixed", editedAt: editFrame(2, 1, "").ts });
  });

  it("changes nothing when the same event is applied twice", () => {
    const view = viewOf([message(1), 1]);
    view.apply(reactionFrame(2, 1, "👍", true));
    view.apply(reactionFrame(2, 1, "👍", true));
    expect(view.get(1)?.reactions).toEqual([{ emoji: "👍", count: 1, users: [BOB.id] }]);
  });

  it("changes nothing with an event the message's state already reflects", () => {
    const current = message(1, { reactions: [{ emoji: "👍", count: 1, users: [BOB.id] }] });
    const view = viewOf([current, 5]);
    view.apply(reactionFrame(4, 1, "👍", true));
    view.apply(editFrame(5, 1, "older text"));
    expect(view.get(1)).toEqual(current);
  });

  it("keeps a newer state when an older one of the same message arrives", () => {
    const view = viewOf([message(1, { text: "new" }), 9], [message(1, { text: "old" }), 3]);
    expect(view.get(1)?.text).toBe("new");
  });

  it("ignores events about messages it does not hold", () => {
    const view = viewOf([message(2), 2]);
    expect(view.apply(editFrame(3, 1, "fixed"))).toEqual({ message: null, replies: [] });
    expect(view.all()).toEqual([message(2)]);
  });
});

describe("an edit", () => {
  it("replaces the text and the mentions, and stamps the edit's time", () => {
    const view = viewOf([message(1, { mentions: [ALICE] }), 1]);
    view.apply(editFrame(2, 1, "now naming bob", { mentions: [BOB] }));
    expect(view.get(1)).toEqual({
      ...message(1),
      text: "now naming bob",
      mentions: [BOB],
      editedAt: editFrame(2, 1, "").ts,
    });
  });

  it("without mentions leaves the message naming nobody", () => {
    const view = viewOf([message(1, { mentions: [ALICE] }), 1]);
    view.apply(editFrame(2, 1, "fixed"));
    expect(view.get(1)).not.toHaveProperty("mentions");
  });

  it("updates the previews of replies to the message, to its first 200 code points", () => {
    const preview = { seq: 1, user: BOB, text: "message 1" };
    const view = viewOf([message(1), 1], [message(2, { replyTo: preview }), 2], [message(3), 3]);
    const long = "😀".repeat(250);
    const change = view.apply(editFrame(4, 1, long));
    const expected = { ...preview, text: "😀".repeat(200) };
    expect(view.get(2)?.replyTo).toEqual(expected);
    expect(change.replies).toEqual([{ ...message(2), replyTo: expected }]);
  });

  it("of a deleted message changes nothing", () => {
    const view = viewOf([message(1), 1]);
    view.apply(deleteFrame(2, 1));
    view.apply(editFrame(3, 1, "back?"));
    expect(view.get(1)).toEqual({ seq: 1, id: "client-1", user: BOB, text: "", ts: message(1).ts, deleted: true });
  });
});

describe("a deletion", () => {
  it("empties the message and drops its reply preview, mentions, reactions and edit time", () => {
    const full = message(2, {
      replyTo: { seq: 1, user: BOB, text: "message 1" },
      mentions: [ALICE],
      editedAt: 5,
      reactions: [{ emoji: "👍", count: 1, users: [ALICE.id] }],
    });
    const view = viewOf([full, 2]);
    view.apply(deleteFrame(3, 2));
    expect(view.get(2)).toEqual({ seq: 2, id: "client-2", user: BOB, text: "", ts: full.ts, deleted: true });
  });

  it("marks the previews of replies to it deleted", () => {
    const view = viewOf([message(1), 1], [message(2, { replyTo: { seq: 1, user: BOB, text: "message 1" } }), 2]);
    const change = view.apply(deleteFrame(3, 1));
    expect(view.get(2)?.replyTo).toEqual({ seq: 1, user: BOB, text: "", deleted: true });
    expect(change.replies).toHaveLength(1);
  });

  it("leaves alone the preview of a reply whose state already reflects it", () => {
    const reply = message(2, { replyTo: { seq: 1, user: BOB, text: "message 1" } });
    const view = viewOf([message(1), 1], [reply, 7]);
    view.apply(deleteFrame(5, 1));
    expect(view.get(2)).toEqual(reply);
  });
});

describe("the view", () => {
  it("lists messages oldest first, whatever order they came in", () => {
    const view = viewOf([message(5), 5], [message(2), 9], [message(3), 9]);
    expect(view.all().map((each) => each.seq)).toEqual([2, 3, 5]);
  });

  it("finds the user's own message by its client id", () => {
    const view = viewOf([message(4, { id: "mine", user: ALICE }), 4], [message(5, { id: "mine" }), 5]);
    expect(view.ownSeqOf("mine")).toBe(4);
    expect(view.ownSeqOf("other")).toBeNull();
  });
});
