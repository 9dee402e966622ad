/**
 * Where the Worker opens a listener's connection once its room is above
 * RELAY_THRESHOLD: on one of RELAY_SHARDS relays of the listener's region
 * (from `request.cf`), picked by a hash of its address so that a client
 * that reconnects finds the same relay, and created with a location hint
 * for that region, so that it runs near its listeners.
 */
import { readConfig } from "./config.ts";
import { clientAddressOf } from "./http.ts";

/** Where the Worker sends the upgrades it forwards to a relay; the host is never resolved. */
export const RELAY_ORIGIN = "https://relay.edgechat";

/**
 * How long the Worker remembers that a room said to relay: its newcomers
 * go to a relay meanwhile without asking the room, so a storm of them
 * costs the room their admissions only.
 */
const REMEMBER_RELAYED_MS = 5000;
/** Rooms remembered at once, per isolate; the oldest is forgotten first. */
const MAX_REMEMBERED = 10_000;
const relayedUntil = new Map<string, number>();

/** Whether `room` said to relay within the last REMEMBER_RELAYED_MS. */
export function isKnownRelayed(room: string, now: number): boolean {
  const until = relayedUntil.get(room);
  if (until === undefined) return false;
  if (until > now) return true;
  relayedUntil.delete(room);
  return false;
}

/** `room` just said to relay. */
export function rememberRelayed(room: string, now: number): void {
  relayedUntil.delete(room);
  if (relayedUntil.size >= MAX_REMEMBERED) {
    const oldest = relayedUntil.keys().next().value;
    if (oldest !== undefined) relayedUntil.delete(oldest);
  }
  relayedUntil.set(room, now + REMEMBER_RELAYED_MS);
}

/** The location hint of each continent Cloudflare reports in `request.cf.continent`. */
const HINT_OF_CONTINENT: Readonly<Record<string, DurableObjectLocationHint>> = {
  AF: "afr",
  AS: "apac",
  EU: "weur",
  NA: "enam",
  OC: "oc",
  SA: "sam",
};

/** The relay a listener of `room` is given: its name (`<room>/<region>/<shard>`) and the hint it is created with. */
export function relayFor(
  room: string,
  request: Request,
  shards: number,
): { name: string; locationHint: DurableObjectLocationHint | undefined } {
  const continent = request.cf?.continent;
  const region = typeof continent === "string" && Object.hasOwn(HINT_OF_CONTINENT, continent) ? continent : "any";
  const shard = fnv1a(clientAddressOf(request)) % shards;
  return { name: `${room}/${region}/${shard}`, locationHint: HINT_OF_CONTINENT[region] };
}

/** Opens the upgrade `request` for `room` on a relay; `search` is the request's query, passed on as it is. */
export function connectThroughRelay(request: Request, env: Env, room: string, search: string): Promise<Response> {
  return openOnRelay(request, env, relayFor(room, request, readConfig(env).relayShards), search);
}

/** Opens the upgrade `request` on the relay `name`, created near `locationHint` when it is new. */
export function openOnRelay(
  request: Request,
  env: Env,
  { name, locationHint }: { name: string; locationHint: DurableObjectLocationHint | undefined },
  search: string,
): Promise<Response> {
  const relay = env.RELAY.getByName(name, locationHint === undefined ? {} : { locationHint });
  return relay.fetch(new Request(`${RELAY_ORIGIN}/ws${search}`, request));
}

/** FNV-1a, 32 bits: a cheap, stable spread of addresses over shards. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
