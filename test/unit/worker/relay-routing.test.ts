import { describe, expect, it } from "vitest";
import { relayFor } from "../../../worker/relay-routing.ts";

/** An upgrade as the Worker sees it: from `address`, with Cloudflare's `cf.continent` when given. */
function upgradeFrom(address: string, continent?: string): Request {
  const request = new Request("https://chat.example/api/rooms/general/ws", {
    headers: { Upgrade: "websocket", "CF-Connecting-IP": address },
  });
  if (continent !== undefined) Object.defineProperty(request, "cf", { value: { continent } });
  return request;
}

describe("relayFor", () => {
  it("names a relay of the room, the listener's region and a shard, with that region's location hint", () => {
    expect(relayFor("general", upgradeFrom("198.51.100.1", "EU"), 4)).toEqual({
      name: expect.stringMatching(/^general\/EU\/[0-3]$/),
      locationHint: "weur",
    });
    expect(relayFor("general", upgradeFrom("198.51.100.1", "AS"), 4).locationHint).toBe("apac");
    expect(relayFor("general", upgradeFrom("198.51.100.1", "NA"), 4).locationHint).toBe("enam");
  });

  it("puts a listener without a known continent in region `any`, with no hint", () => {
    expect(relayFor("general", upgradeFrom("198.51.100.1"), 4)).toEqual({
      name: expect.stringMatching(/^general\/any\/[0-3]$/),
      locationHint: undefined,
    });
    expect(relayFor("general", upgradeFrom("198.51.100.1", "AN"), 4).locationHint).toBeUndefined();
  });

  it("gives the same address the same relay every time, so a reconnect finds it", () => {
    const first = relayFor("general", upgradeFrom("203.0.113.7", "EU"), 4).name;
    for (let i = 0; i < 5; i++) expect(relayFor("general", upgradeFrom("203.0.113.7", "EU"), 4).name).toBe(first);
  });

  it("spreads addresses over every shard", () => {
    const shards = new Set<string>();
    for (let i = 0; i < 200; i++) shards.add(relayFor("general", upgradeFrom(`198.51.100.${i}`, "EU"), 4).name);
    expect([...shards].sort()).toEqual(["general/EU/0", "general/EU/1", "general/EU/2", "general/EU/3"]);
  });
});
