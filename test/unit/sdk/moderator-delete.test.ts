/**
 * A moderator deletes someone else's message through the SDK, with a reason
 * everyone sees; anyone else is still refused before anything is sent.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type Role } from "../../../protocol/frames.ts";
import { BOB, message, welcome } from "./support/frames.ts";
import { connect, welcomeLatest } from "./support/harness.ts";

/** Alice in an owned room with `role`, seeing one message of bob's at seq 7. */
function inOwnedRoom(role: Role) {
  const harness = connect();
  welcomeLatest(harness, welcome([message(7, { user: BOB })], { role, settings: DEFAULT_SETTINGS }));
  return harness;
}

describe("deleting someone else's message", () => {
  it("sends a moderator's deletion with its reason", () => {
    const { connection, network } = inOwnedRoom("moderator");
    expect(connection.delete(7, { reason: "spam" })).toMatchObject({ ok: true });
    expect(network.latest.frames()).toEqual([{ type: "delete", id: "id-1", target: 7, reason: "spam" }]);
  });

  it("refuses a member before sending anything", () => {
    const { connection, network } = inOwnedRoom("member");
    expect(connection.delete(7)).toMatchObject({ ok: false, code: "forbidden" });
    expect(network.latest.frames()).toEqual([]);
  });

  it("refuses it in a room without owners, where nobody moderates", () => {
    const harness = connect();
    welcomeLatest(harness, welcome([message(7, { user: BOB })]));
    expect(harness.connection.delete(7)).toMatchObject({ ok: false, code: "forbidden" });
  });
});
