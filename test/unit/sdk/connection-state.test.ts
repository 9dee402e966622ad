import { describe, expect, it } from "vitest";
import { BlockedSocket } from "./support/fake-socket.ts";
import {
  BACKOFF,
  connect,
  connectOnline,
  dropAndReconnect,
  record,
  timeToNextSocket,
  welcomeLatest,
} from "./support/harness.ts";

describe("connection state", () => {
  it("is connecting until the first welcome, then online", () => {
    const harness = connect();
    const states = record(harness.connection, "state");
    expect(harness.connection.state).toBe("connecting");
    harness.network.latest.open();
    expect(harness.connection.state).toBe("connecting");
    welcomeLatest(harness);
    expect(harness.connection.state).toBe("online");
    expect(states).toEqual(["online"]);
  });

  it("goes reconnecting when the link drops, and online after the next welcome", () => {
    const harness = connectOnline();
    const states = record(harness.connection, "state");
    dropAndReconnect(harness);
    expect(harness.connection.state).toBe("reconnecting");
    welcomeLatest(harness);
    expect(states).toEqual(["reconnecting", "online"]);
  });

  it("goes reconnecting when the first attempt fails", () => {
    const { connection, network } = connect();
    network.latest.drop();
    expect(connection.state).toBe("reconnecting");
  });

  it("goes reconnecting when an attempt fails with an error and no close, as Node reports a refused connection", () => {
    const harness = connect();
    harness.network.latest.fail();
    expect(harness.connection.state).toBe("reconnecting");
    harness.clock.advance(BACKOFF.maxMs);
    expect(harness.network.sockets).toHaveLength(2);
  });

  it("counts an error followed by a close, as browsers report a failure, as one failed attempt", () => {
    const harness = connect();
    harness.network.latest.fail();
    harness.network.latest.drop();
    harness.clock.advance(BACKOFF.maxMs);
    expect(harness.network.sockets).toHaveLength(2);
  });

  it("reconnects after a close frame from the room other than 1008", () => {
    const harness = connectOnline();
    dropAndReconnect(harness, 1001);
    expect(harness.network.sockets).toHaveLength(2);
  });

  it("waits a jittered, doubling, capped delay between failed attempts", () => {
    const harness = connect();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      harness.network.latest.drop();
      waits.push(timeToNextSocket(harness));
    }
    // random() is 0.5, so each wait is half the ceiling: 100, 200, 400, 800, then the cap of 1000.
    expect(waits).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it("starts the backoff over after a welcome", () => {
    const harness = connect();
    harness.network.latest.drop();
    harness.clock.advance(BACKOFF.baseMs);
    harness.network.latest.drop();
    harness.clock.advance(2 * BACKOFF.baseMs);
    welcomeLatest(harness);
    harness.network.latest.drop();
    expect(timeToNextSocket(harness)).toBe(BACKOFF.baseMs / 2);
  });

  it("stops reconnecting on a close with 1008 and reports it", () => {
    const harness = connectOnline();
    const errors = record(harness.connection, "error");
    harness.network.latest.drop(1008, "too many refused frames");
    harness.clock.advance(60_000);
    expect(harness.connection.state).toBe("offline");
    expect(harness.network.sockets).toHaveLength(1);
    expect(errors).toEqual([{ kind: "policy_close", reason: "too many refused frames" }]);
  });

  it("gives up and goes offline after maxRetries failed attempts in a row", () => {
    const { connection, network, clock } = connect({ maxRetries: 2 });
    for (let attempt = 0; attempt < 3; attempt++) {
      network.latest.drop();
      clock.advance(BACKOFF.maxMs);
    }
    expect(network.sockets).toHaveLength(3);
    expect(connection.state).toBe("offline");
  });

  it("is closed after close(), closes its socket and never reconnects", () => {
    const harness = connectOnline();
    harness.connection.close();
    harness.clock.advance(60_000);
    expect(harness.connection.state).toBe("closed");
    expect(harness.network.latest.closedWith).toBe(1000);
    expect(harness.network.sockets).toHaveLength(1);
  });

  it("counts a WebSocket constructor that throws as a failed attempt", () => {
    const { connection, clock } = connect({ WebSocket: BlockedSocket });
    clock.advance(0);
    expect(connection.state).toBe("reconnecting");
  });

  it("stays closed when closed before a failed attempt is reported", () => {
    const { connection, clock } = connect({ WebSocket: BlockedSocket });
    connection.close();
    clock.advance(60_000);
    expect(connection.state).toBe("closed");
  });

  it("retries at once when the browser says the network is back", () => {
    const onlineEvents = new EventTarget();
    const { network } = connect({ onlineEvents });
    network.latest.drop();
    onlineEvents.dispatchEvent(new Event("online"));
    expect(network.sockets).toHaveLength(2);
  });
});

describe("heartbeat", () => {
  it("sends ping every interval while the link is open", () => {
    const harness = connectOnline();
    harness.clock.advance(5000);
    harness.network.latest.receive("pong");
    harness.clock.advance(5000);
    expect(harness.network.latest.pings()).toBe(2);
  });

  it("keeps a link that answers with pong", () => {
    const harness = connectOnline();
    for (let beat = 0; beat < 5; beat++) {
      harness.clock.advance(5000);
      harness.network.latest.receive("pong");
    }
    expect(harness.connection.state).toBe("online");
    expect(harness.network.sockets).toHaveLength(1);
  });

  it("counts any frame as an answer", () => {
    const harness = connectOnline();
    harness.clock.advance(5000);
    harness.network.latest.receive({ type: "occupancy", online: 3 });
    harness.clock.advance(2000);
    expect(harness.connection.state).toBe("online");
  });

  it("treats a link with no answer within the timeout as dead and reconnects", () => {
    const harness = connectOnline();
    harness.clock.advance(5000 + 2000);
    expect(harness.connection.state).toBe("reconnecting");
    expect(harness.network.sockets[0]?.closedWith).toBe(1000);
    harness.clock.advance(BACKOFF.maxMs);
    expect(harness.network.sockets).toHaveLength(2);
  });

  it("gives up on a socket that is not welcomed within the timeout", () => {
    const { connection, network, clock } = connect();
    network.latest.open();
    clock.advance(2000);
    expect(connection.state).toBe("reconnecting");
  });

  it("ignores a socket once it was given up on", () => {
    const harness = connectOnline();
    const stale = harness.network.latest;
    harness.clock.advance(7000);
    stale.receive({ type: "occupancy", online: 9 });
    stale.drop();
    expect(harness.connection.state).toBe("reconnecting");
  });
});
