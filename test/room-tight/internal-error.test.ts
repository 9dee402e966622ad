/**
 * A frame is handled in one storage transaction (HISTORY_LIMIT 5 here, so
 * the sixth message also trims the oldest): when the trim fails after the
 * insert succeeded, the insert is rolled back with it, and the room's seq
 * does not move past a message it does not have.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { connect, freshRoom } from "../room/support/client.ts";
import { failNextStatement } from "../room/support/faults.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a frame whose handling fails half-way", () => {
  it("leaves nothing of it stored: a failed trim takes its insert with it", async () => {
    const room = freshRoom();
    const writer = await connect(room, { name: "writer" });
    for (let i = 1; i <= 5; i++) {
      writer.send({ type: "send", id: `m${i}`, text: `text ${i}` });
      await writer.waitFor("ack");
    }
    vi.spyOn(console, "error").mockImplementation(() => {});
    await failNextStatement(room, "DELETE FROM messages");

    writer.send({ type: "send", id: "m6", text: "text 6" });
    expect(await writer.waitFor("error")).toMatchObject({ code: "internal_error", id: "m6" });
    const reader = await connect(room, { since: 0 });
    expect(reader.welcome.lastSeq).toBe(5);

    writer.send({ type: "send", id: "m7", text: "text 7" });
    expect(await writer.waitFor("ack")).toMatchObject({ id: "m7", seq: 6 });
    expect(await reader.next("message")).toMatchObject({ seq: 6, text: "text 7" });
  });
});
