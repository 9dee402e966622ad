import { describe, expect, it } from "vitest";
import { searchFrame } from "../../../client/sdk/search-requests.ts";
import type { SearchAnswer } from "../../../client/sdk.ts";
import type { SearchResultsFrame } from "../../../protocol/frames.ts";
import { message, messages } from "./support/frames.ts";
import { connect, connectOnline, dropAndReconnect, record, welcomeLatest } from "./support/harness.ts";

/** What a search for "deploy" finds: two messages, newest first, with where each matched. */
const ANSWER: SearchAnswer = {
  hits: [
    { message: message(9, { text: "deploy again" }), highlights: [[0, 6]] },
    { message: message(4, { text: "the deployment failed" }), highlights: [[4, 10]] },
  ],
  hasMore: true,
};

function results(ref: string, answer: SearchAnswer = ANSWER): SearchResultsFrame {
  return { type: "results", ref, ...answer };
}

/** Whether `promise` has settled, after the microtasks queued so far. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe("search()", () => {
  it("sends a search with a ref and resolves with the results that name it", async () => {
    const { connection, network } = connectOnline();
    const found = connection.search("deploy", { before: 12, limit: 2 });
    expect(network.latest.searchRequests()).toEqual([{ type: "search", ref: "q1", q: "deploy", before: 12, limit: 2 }]);
    network.latest.receive(results("q1"));
    await expect(found).resolves.toEqual(ANSWER);
  });

  it("sends the query trimmed, and no page fields when none are given", () => {
    const { connection, network } = connectOnline();
    void connection.search("  deploy fail \n");
    expect(network.latest.searchRequests()).toEqual([{ type: "search", ref: "q1", q: "deploy fail" }]);
  });

  it("gives each search its own ref and answers each with the results that name it, whatever their order", async () => {
    const { connection, network } = connectOnline();
    const first = connection.search("deploy");
    const second = connection.search("fail");
    expect(network.latest.searchRequests().map((frame) => frame.ref)).toEqual(["q1", "q2"]);
    const failAnswer: SearchAnswer = { hits: [], hasMore: false };
    network.latest.receive(results("q2", failAnswer));
    network.latest.receive(results("q1"));
    await expect(second).resolves.toEqual(failAnswer);
    await expect(first).resolves.toEqual(ANSWER);
  });

  it("is answered by its results while a history request is also waiting, and the page goes to the history request", async () => {
    const { connection, network } = connectOnline();
    const page = connection.history({ before: 4 }, 3);
    const found = connection.search("deploy");
    expect(network.latest.historyRequests().map((frame) => frame.ref)).toEqual(["h1"]);
    expect(network.latest.searchRequests().map((frame) => frame.ref)).toEqual(["q1"]);
    network.latest.receive(results("q1"));
    await expect(found).resolves.toEqual(ANSWER);
    expect(await settled(page)).toBe(false);
    network.latest.receive({ type: "history", ref: "h1", messages: messages(1, 3), hasMore: false });
    await expect(page).resolves.toEqual({ messages: messages(1, 3), hasMore: false });
  });

  it("is not answered by a history page, even one without a ref", async () => {
    const { connection, network } = connectOnline();
    const page = connection.history({ before: 4 }, 3);
    const found = connection.search("deploy");
    network.latest.receive({ type: "history", messages: messages(1, 3), hasMore: false });
    await expect(page).resolves.toEqual({ messages: messages(1, 3), hasMore: false });
    expect(await settled(found)).toBe(false);
    network.latest.receive(results("q1"));
    await expect(found).resolves.toEqual(ANSWER);
  });

  it("rejects on a refusal that names it, leaving a waiting history request alone", async () => {
    const { connection, network } = connectOnline();
    const page = connection.history({ before: 4 }, 3);
    const found = connection.search("deploy");
    const errors = record(connection, "error");
    network.latest.receive({
      type: "error",
      code: "bad_request",
      message: "`q` must be 1 to 200 characters",
      ref: "q1",
    });
    await expect(found).rejects.toThrow("refused");
    expect(errors).toEqual([]);
    network.latest.receive({ type: "history", ref: "h1", messages: messages(1, 3), hasMore: false });
    await expect(page).resolves.toEqual({ messages: messages(1, 3), hasMore: false });
  });

  it("is not rejected by the refusal of a history request", async () => {
    const { connection, network } = connectOnline();
    const page = connection.history({ before: 4 }, 3);
    const found = connection.search("deploy");
    network.latest.receive({ type: "error", code: "bad_request", message: "no", ref: "h1" });
    await expect(page).rejects.toThrow("refused");
    expect(await settled(found)).toBe(false);
    network.latest.receive(results("q1"));
    await expect(found).resolves.toEqual(ANSWER);
  });

  it("is asked again once retryAfter has passed when refused for the rate, and resolves with the answer", async () => {
    const { connection, network, clock } = connectOnline();
    const found = connection.search("deploy", { limit: 5 });
    const errors = record(connection, "error");
    network.latest.receive({ type: "error", code: "rate_limited", message: "slow down", ref: "q1", retryAfter: 300 });
    clock.advance(299);
    expect(network.latest.searchRequests()).toHaveLength(1);
    clock.advance(1);
    const asked = { type: "search", ref: "q1", q: "deploy", limit: 5 };
    expect(network.latest.searchRequests()).toEqual([asked, asked]);
    expect(await settled(found)).toBe(false);
    network.latest.receive(results("q1"));
    await expect(found).resolves.toEqual(ANSWER);
    expect(errors).toEqual([]);
  });

  it("waits a second before asking again when a rate refusal gives no retryAfter", () => {
    const { connection, network, clock } = connectOnline();
    void connection.search("deploy");
    network.latest.receive({ type: "error", code: "rate_limited", message: "slow down", ref: "q1" });
    clock.advance(999);
    expect(network.latest.searchRequests()).toHaveLength(1);
    clock.advance(1);
    expect(network.latest.searchRequests()).toHaveLength(2);
  });

  it("is not asked again after a rate refusal once it is cancelled", async () => {
    const { connection, network, clock } = connectOnline();
    const controller = new AbortController();
    const found = connection.search("deploy", { signal: controller.signal });
    network.latest.receive({ type: "error", code: "rate_limited", message: "slow down", ref: "q1", retryAfter: 300 });
    controller.abort();
    await expect(found).rejects.toMatchObject({ name: "AbortError" });
    clock.advance(300);
    expect(network.latest.searchRequests()).toHaveLength(1);
  });

  it("rejects with an AbortError and sends nothing when its signal is already aborted", async () => {
    const { connection, network } = connectOnline();
    const found = connection.search("deploy", { signal: AbortSignal.abort() });
    await expect(found).rejects.toMatchObject({ name: "AbortError" });
    expect(network.latest.searchRequests()).toEqual([]);
  });

  it("rejects with an AbortError when cancelled after it was sent, and drops the late answer", async () => {
    const { connection, network } = connectOnline();
    const controller = new AbortController();
    const found = connection.search("deploy", { signal: controller.signal });
    expect(network.latest.searchRequests()).toHaveLength(1);
    controller.abort();
    await expect(found).rejects.toMatchObject({ name: "AbortError" });
    const errors = record(connection, "error");
    network.latest.receive(results("q1"));
    expect(errors).toEqual([]);
  });

  it("drops a late refusal of a cancelled search without reporting it", async () => {
    const { connection, network } = connectOnline();
    const controller = new AbortController();
    const found = connection.search("deploy", { signal: controller.signal });
    controller.abort();
    await expect(found).rejects.toMatchObject({ name: "AbortError" });
    const errors = record(connection, "error");
    network.latest.receive({ type: "error", code: "rate_limited", message: "slow down", ref: "q1", retryAfter: 10 });
    expect(errors).toEqual([]);
  });

  it("answers the next search after one was cancelled", async () => {
    const { connection, network } = connectOnline();
    const controller = new AbortController();
    const cancelled = connection.search("depl", { signal: controller.signal });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: "AbortError" });
    const found = connection.search("deploy");
    network.latest.receive(results("q1", { hits: [], hasMore: false }));
    network.latest.receive(results("q2"));
    await expect(found).resolves.toEqual(ANSWER);
  });

  it("stays resolved when its signal is aborted after the answer", async () => {
    const { connection, network } = connectOnline();
    const controller = new AbortController();
    const found = connection.search("deploy", { signal: controller.signal });
    network.latest.receive(results("q1"));
    controller.abort();
    await expect(found).resolves.toEqual(ANSWER);
  });

  it("rejects when the link drops before the answer, and is not asked again on the next link", async () => {
    const harness = connectOnline();
    const found = harness.connection.search("deploy");
    const next = dropAndReconnect(harness);
    await expect(found).rejects.toThrow("dropped");
    welcomeLatest(harness);
    expect(next.searchRequests()).toEqual([]);
  });

  it("is not asked again after a rate refusal when the link dropped meanwhile", async () => {
    const harness = connectOnline();
    const found = harness.connection.search("deploy");
    harness.network.latest.receive({
      type: "error",
      code: "rate_limited",
      message: "slow down",
      ref: "q1",
      retryAfter: 5000,
    });
    const next = dropAndReconnect(harness);
    await expect(found).rejects.toThrow("dropped");
    welcomeLatest(harness);
    harness.clock.advance(5000);
    expect(next.searchRequests()).toEqual([]);
  });

  it("rejects what is waiting when the connection is closed", async () => {
    const { connection } = connectOnline();
    const found = connection.search("deploy");
    connection.close();
    await expect(found).rejects.toThrow(Error);
  });

  it("rejects while the connection is not online, sending nothing", async () => {
    const harness = connect();
    await expect(harness.connection.search("deploy")).rejects.toThrow("connecting");
    const socket = welcomeLatest(harness);
    socket.drop();
    expect(harness.connection.state).toBe("reconnecting");
    await expect(harness.connection.search("deploy")).rejects.toThrow("reconnecting");
    harness.connection.close();
    await expect(harness.connection.search("deploy")).rejects.toThrow("closed");
    expect(harness.network.sockets.flatMap((each) => each.searchRequests())).toEqual([]);
  });

  it.each([
    ["an empty query", "", {}],
    ["a blank query", " \t\n", {}],
    ["a query of 201 code points", "🎉".repeat(201), {}],
    ["a query holding a lone surrogate", "deploy\ud800", {}],
    ["a limit of 0", "deploy", { limit: 0 }],
    ["a limit of 51", "deploy", { limit: 51 }],
    ["a fractional limit", "deploy", { limit: 2.5 }],
    ["a negative before", "deploy", { before: -1 }],
    ["a fractional before", "deploy", { before: 1.5 }],
  ])("rejects %s with a RangeError, sending nothing", async (_, q, options) => {
    const { connection, network } = connectOnline();
    await expect(connection.search(q, options)).rejects.toThrow(RangeError);
    expect(network.latest.searchRequests()).toEqual([]);
  });
});

describe("searchFrame", () => {
  it("builds the frame the room accepts, with the page fields only when given", () => {
    expect(searchFrame(" deploy ", {}, "q7")).toEqual({ type: "search", ref: "q7", q: "deploy" });
    expect(searchFrame("deploy", { before: 0, limit: 50 }, "q7")).toEqual({
      type: "search",
      ref: "q7",
      q: "deploy",
      before: 0,
      limit: 50,
    });
  });

  it("accepts a query of 200 code points", () => {
    expect(searchFrame("技".repeat(200), {}, "q1")).toMatchObject({ q: "技".repeat(200) });
  });

  it("is a RangeError for a query or a page the room would refuse", () => {
    expect(searchFrame("技".repeat(201), {}, "q1")).toBeInstanceOf(RangeError);
    expect(searchFrame("deploy", { limit: 51 }, "q1")).toBeInstanceOf(RangeError);
    expect(searchFrame("deploy", { before: 2 ** 53 }, "q1")).toBeInstanceOf(RangeError);
  });
});
