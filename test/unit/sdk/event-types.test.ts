/**
 * Type tests: checked by `tsc -p test`, where each `@ts-expect-error` must
 * sit on a line that really fails to compile. At run time they only register
 * handlers on a connection over the fake transport.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type {
  ChangeResult,
  ConnectionState,
  HistoryPage,
  MessageChange,
  PendingMessage,
  ReactionChange,
  RoomError,
  Truncation,
} from "../../../client/sdk.ts";
import type {
  AckFrame,
  DeleteEventFrame,
  EditEventFrame,
  JoinFrame,
  Message,
  OccupancyFrame,
  ReactionFrame,
  StoredAck,
} from "../../../protocol/frames.ts";
import { connect } from "./support/harness.ts";

describe("the event map", () => {
  it("types each event's payload", () => {
    const { connection } = connect();
    connection.on("message", (message) => expectTypeOf(message).toEqualTypeOf<Message>());
    connection.on("state", (state) => expectTypeOf(state).toEqualTypeOf<ConnectionState>());
    connection.on("join", (join) => expectTypeOf(join).toEqualTypeOf<JoinFrame>());
    connection.on("occupancy", (frame) => expectTypeOf(frame).toEqualTypeOf<OccupancyFrame>());
    connection.on("ack", (ack) => expectTypeOf(ack).toEqualTypeOf<AckFrame>());
    connection.on("truncated", (truncation) => expectTypeOf(truncation).toEqualTypeOf<Truncation>());
    connection.on("outbox", (outbox) => expectTypeOf(outbox).toEqualTypeOf<readonly PendingMessage[]>());
    connection.on("error", (error) => expectTypeOf(error).toEqualTypeOf<RoomError>());
    connection.on("edit", (change) => expectTypeOf(change).toEqualTypeOf<MessageChange<EditEventFrame>>());
    connection.on("delete", (change) => expectTypeOf(change).toEqualTypeOf<MessageChange<DeleteEventFrame>>());
    connection.on("reaction", (change) => expectTypeOf(change).toEqualTypeOf<ReactionChange>());
    expect(connection.state).toBe("connecting");
  });

  it("types the changes an event carries", () => {
    const { connection } = connect();
    connection.on("edit", ({ event, message, replies }) => {
      expectTypeOf(event.text).toBeString();
      expectTypeOf(message).toEqualTypeOf<Message | null>();
      expectTypeOf(replies).toEqualTypeOf<readonly Message[]>();
    });
    connection.on("reaction", ({ event }) => {
      expectTypeOf(event).toEqualTypeOf<ReactionFrame | null>();
      // @ts-expect-error the user's own reaction not stored yet has no event, so it must be checked.
      void event.emoji;
    });
    connection.on("ack", (ack) => {
      // @ts-expect-error an unchanged ack has no seq: narrow first.
      void ack.seq;
      if ("seq" in ack) expectTypeOf(ack).toEqualTypeOf<StoredAck>();
    });
  });

  it("refuses an unknown event name", () => {
    const { connection } = connect();
    // @ts-expect-error `messages` is not an event; `message` is.
    connection.on("messages", () => undefined);
    // @ts-expect-error the `history` frame answers `history()` and is not an event.
    connection.on("history", () => undefined);
  });

  it("refuses a handler for another event's payload", () => {
    const { connection } = connect();
    // @ts-expect-error a `message` handler receives a Message, not an ack.
    connection.on("message", (ack: AckFrame) => ack.id);
    // @ts-expect-error a join carries no `previous` name; a rename does.
    connection.on("join", (join) => join.previous);
  });

  it("narrows errors by kind", () => {
    const { connection } = connect();
    connection.on("error", (error) => {
      if (error.kind === "refused") expectTypeOf(error.frame.code).toBeString();
      // @ts-expect-error only a refusal carries the error frame.
      if (error.kind === "bad_frame") void error.frame;
    });
  });

  it("types the methods", () => {
    const { connection } = connect();
    expectTypeOf(connection.send("hi")).toEqualTypeOf<string>();
    const page = connection.history({ before: 10 });
    expectTypeOf(page).toEqualTypeOf<Promise<HistoryPage>>();
    void page.catch(() => undefined);
    // @ts-expect-error a page is read before or after a seq, not both.
    void connection.history({ before: 10, after: 2 }).catch(() => undefined);
    // @ts-expect-error seqs are numbers.
    void connection.history({ before: "10" }).catch(() => undefined);
    expectTypeOf(connection.send("hi", { replyTo: 3, mentions: ["bobbbbbbbbbbbbbb"] })).toEqualTypeOf<string>();
    expectTypeOf(connection.reply(3, "yes")).toEqualTypeOf<string>();
    expectTypeOf(connection.edit(3, "fixed")).toEqualTypeOf<ChangeResult>();
    expectTypeOf(connection.edit("client-id", "fixed", { mentions: [] })).toEqualTypeOf<ChangeResult>();
    expectTypeOf(connection.delete(3)).toEqualTypeOf<ChangeResult>();
    expectTypeOf(connection.react(3, "👍")).toEqualTypeOf<ChangeResult>();
    expectTypeOf(connection.message(3)).toEqualTypeOf<Message | null>();
    // @ts-expect-error a reaction is added or removed: `on` is a boolean.
    connection.react(3, "👍", "on");
    // @ts-expect-error a reply answers a message by its seq.
    connection.reply("3", "yes");
    const result = connection.delete(3);
    // @ts-expect-error only a refusal carries a code: narrow on `ok` first.
    void result.code;
    if (!result.ok) expectTypeOf(result.code).toBeString();
    connection.close();
  });
});
