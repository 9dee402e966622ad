/**
 * The ICE servers a caller's RTCPeerConnection is given: the STUN and TURN
 * servers of the `ICE_SERVERS` var, as they are, and, with Cloudflare's
 * TURN service configured (`TURN_KEY_ID` and `TURN_KEY_API_TOKEN` as
 * secrets), credentials minted for this caller that expire after
 * `TURN_CREDENTIAL_TTL_SECONDS`. With neither, none: peers then reach each
 * other by host candidates alone, on one machine or one network.
 */
import { ConfigError } from "./config.ts";
import { HttpError } from "./http.ts";

/** An RTCIceServer as the browser takes it. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** The secrets of Cloudflare's TURN service, when the deployment set them. */
interface TurnSecrets {
  TURN_KEY_ID?: string;
  TURN_KEY_API_TOKEN?: string;
}

const ICE_URL = /^(stun|stuns|turn|turns):[^\s]+$/;
const TURN_API = "https://rtc.live.cloudflare.com/v1/turn/keys";
const DEFAULT_TTL_SECONDS = 3600;

/** The ICE servers for one caller, and when minted credentials among them expire. */
export async function iceServersFor(env: Env): Promise<{ iceServers: IceServer[]; expiresAt?: number }> {
  const configured = readIceServers(env.ICE_SERVERS);
  const { TURN_KEY_ID: keyId, TURN_KEY_API_TOKEN: token } = env as Env & TurnSecrets;
  if (keyId === undefined || token === undefined || keyId === "" || token === "") return { iceServers: configured };
  const ttl = readTtl(env.TURN_CREDENTIAL_TTL_SECONDS);
  const response = await fetch(`${TURN_API}/${encodeURIComponent(keyId)}/credentials/generate-ice-servers`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ ttl }),
  });
  if (!response.ok) {
    // The TURN service's answer is not passed on: it may name the key.
    throw new HttpError("internal_error", `the TURN service refused to mint credentials (${response.status})`);
  }
  const minted: unknown = await response.json();
  const servers = isRecord(minted) && Array.isArray(minted.iceServers) ? minted.iceServers.filter(isIceServer) : [];
  return { iceServers: [...configured, ...servers], expiresAt: Date.now() + ttl * 1000 };
}

/** `ICE_SERVERS`: a JSON array of RTCIceServer objects; anything else is a configuration error naming the var. */
export function readIceServers(raw: unknown): IceServer[] {
  if (raw === undefined || raw === "") return [];
  let parsed: unknown;
  try {
    parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    // Reported below, naming the var and not its content, which may hold a TURN password.
    parsed = null;
  }
  if (!Array.isArray(parsed) || !parsed.every(isIceServer)) {
    throw new ConfigError(
      'var ICE_SERVERS must be a JSON array of {"urls","username"?,"credential"?} with stun: or turn: URLs',
    );
  }
  return parsed;
}

function readTtl(raw: unknown): number {
  if (raw === undefined || raw === "") return DEFAULT_TTL_SECONDS;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 60 || value > 48 * 3600) {
    throw new ConfigError("var TURN_CREDENTIAL_TTL_SECONDS must be a whole number of seconds from 60 to 172800");
  }
  return value;
}

function isIceServer(value: unknown): value is IceServer {
  if (!isRecord(value)) return false;
  const { urls, username, credential } = value;
  const list = typeof urls === "string" ? [urls] : urls;
  if (!Array.isArray(list) || list.length === 0 || !list.every((url) => typeof url === "string" && ICE_URL.test(url))) {
    return false;
  }
  return (
    (username === undefined || typeof username === "string") &&
    (credential === undefined || typeof credential === "string")
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
