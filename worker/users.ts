/**
 * The room's users: who a token proves (TokenSigner), fresh user ids and
 * guest names, and the last display name of each user the room has seen
 * (UserDirectory), so that a returning user without `?name=` keeps theirs.
 */
import { isUserId } from "../protocol/parse-client.ts";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const KEY_NAME = "identity-hmac-sha256";
const encoder = new TextEncoder();
/** Verified tokens remembered in memory; past this the memory starts over. */
const MAX_VERIFIED_TOKENS = 10_000;

/**
 * Identity tokens. A token is `<user id>.<HMAC-SHA256 of the user id>`,
 * signed with a 256-bit key the room generates on first use and keeps in its
 * own storage. Only that room can issue or verify its tokens, so a token is
 * scoped to one room, there is no deployment secret to configure or leak, and
 * no client can forge a token for another user's id.
 */
export class TokenSigner {
  readonly #sql: SqlStorage;
  /** Tokens already verified, by token; bounded like the room's other caches. */
  readonly #verified = new Map<string, string>();
  #key: Promise<CryptoKey> | undefined;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The token that proves `userId` in this room. */
  async tokenFor(userId: string): Promise<string> {
    const signature = await crypto.subtle.sign("HMAC", await this.#signingKey(), encoder.encode(userId));
    return `${userId}.${toBase64Url(new Uint8Array(signature))}`;
  }

  /** The user id a token proves, or null for a forged, truncated or foreign token. */
  async userOf(token: string): Promise<string | null> {
    const known = this.#verified.get(token);
    if (known !== undefined) return known;
    const dot = token.indexOf(".");
    const userId = token.slice(0, dot);
    const signature = fromBase64Url(token.slice(dot + 1));
    if (dot < 0 || !isUserId(userId) || signature === null) return null;
    const valid = await crypto.subtle.verify("HMAC", await this.#signingKey(), signature, encoder.encode(userId));
    if (!valid) return null;
    // A token's signature never changes, so a verified one stays verified: a reconnect needs no HMAC.
    if (this.#verified.size >= MAX_VERIFIED_TOKENS) this.#verified.clear();
    this.#verified.set(token, userId);
    return userId;
  }

  /**
   * A read ticket for an event stream: `<reader>.<expires at>.<signature>`,
   * the reader being `u-<user id>` or `k-<key id>`. It is signed under the
   * same key as tokens but over a different message (`ticket:` first), so
   * neither can pass for the other; and a ticket never parses as a token,
   * whose first part is a bare user id.
   */
  async ticketFor(reader: TicketReader, expiresAt: number): Promise<string> {
    const body = `${readerText(reader)}.${expiresAt}`;
    const signature = await crypto.subtle.sign("HMAC", await this.#signingKey(), encoder.encode(`ticket:${body}`));
    return `${body}.${toBase64Url(new Uint8Array(signature))}`;
  }

  /** Whom a ticket was made for, while it still opens streams; null for an expired, forged or foreign one. */
  async readerOfTicket(ticket: string, now: number): Promise<TicketReader | null> {
    const match = /^(u-[a-z2-7]{16}|k-[a-z2-7]{8})\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
    if (match === null) return null;
    const [, reader = "", expires = "", signed = ""] = match;
    if (Number(expires) <= now) return null;
    const signature = fromBase64Url(signed);
    if (signature === null) return null;
    const body = `${reader}.${expires}`;
    const key = await this.#signingKey();
    if (!(await crypto.subtle.verify("HMAC", key, signature, encoder.encode(`ticket:${body}`)))) return null;
    return reader.startsWith("u-") ? { userId: reader.slice(2) } : { keyId: reader.slice(2) };
  }

  #signingKey(): Promise<CryptoKey> {
    this.#key ??= crypto.subtle.importKey("raw", this.#rawKey(), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    return this.#key;
  }

  #rawKey(): ArrayBuffer {
    const row = this.#sql
      .exec<{ value: ArrayBuffer }>("SELECT value FROM secrets WHERE name = ?", KEY_NAME)
      .toArray()[0];
    if (row !== undefined) return row.value;
    const key = crypto.getRandomValues(new Uint8Array(32));
    this.#sql.exec("INSERT INTO secrets (name, value) VALUES (?, ?)", KEY_NAME, key.buffer);
    return key.buffer;
  }
}

/** Whom a read ticket was made for: a user, or a key presented without one. */
export type TicketReader = { userId: string } | { keyId: string };

function readerText(reader: TicketReader): string {
  return "userId" in reader ? `u-${reader.userId}` : `k-${reader.keyId}`;
}

/** A fresh user id: 80 random bits in 16 base32 characters. */
export function newUserId(): string {
  return randomBase32(16);
}

/**
 * The name the server gives someone who never gave one: `guest-` and the
 * first 4 characters of their (random) user id. Derived, not stored, so a
 * guest keeps it across reconnects without the room writing anything.
 */
export function guestName(userId: string): string {
  return `guest-${userId.slice(0, 4)}`;
}

/** `length` random base32 characters, 5 bits each. */
export function randomBase32(length: number): string {
  let out = "";
  for (const byte of randomBytes(length)) out += BASE32[byte & 31];
  return out;
}

/**
 * Random bytes are drawn from the platform's CSPRNG a few kilobytes at a
 * time and each is used once: one `getRandomValues` call costs the runtime
 * about as much as a connection's whole admission, and a storm of
 * newcomers needs one id each.
 */
const RANDOM_POOL_BYTES = 4096;
let randomPool = new Uint8Array(0);
let randomUsed = 0;

function randomBytes(length: number): Uint8Array {
  if (length > RANDOM_POOL_BYTES) return crypto.getRandomValues(new Uint8Array(length));
  if (randomUsed + length > randomPool.length) {
    randomPool = crypto.getRandomValues(new Uint8Array(RANDOM_POOL_BYTES));
    randomUsed = 0;
  }
  const bytes = randomPool.subarray(randomUsed, randomUsed + length);
  randomUsed += length;
  return bytes;
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * The 32 bytes of a signature, or null. Only the one spelling `toBase64Url`
 * writes is accepted: the 43rd character carries 2 unused bits, and a token
 * that differs in them alone is not the token the room issued.
 */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return toBase64Url(bytes) === text ? bytes : null;
}

/** Users unseen for 90 days are forgotten. */
const FORGET_AFTER_MS = 90 * 24 * 60 * 60 * 1000;
/** A returning user's `seen_at` is refreshed at most this often: forgetting needs days, not milliseconds. */
const SEEN_RESOLUTION_MS = 24 * 60 * 60 * 1000;
/** Users remembered in memory between writes; past this the memory starts over from storage. */
const MAX_CACHED_USERS = 10_000;

interface KnownUser {
  name: string;
  seenAt: number;
}

export class UserDirectory {
  readonly #sql: SqlStorage;
  readonly #known = new Map<string, KnownUser | null>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The name this user had when last seen, if the room remembers them. */
  lastName(userId: string): string | null {
    return this.#recall(userId)?.name ?? null;
  }

  /** Records the user's current name and that they were seen now, writing only what changed. */
  remember(userId: string, name: string, now: number): void {
    const known = this.#recall(userId);
    if (known !== null && known.name === name && now - known.seenAt < SEEN_RESOLUTION_MS) return;
    this.#sql.exec(
      `INSERT INTO users (id, name, seen_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at`,
      userId,
      name,
      now,
    );
    this.#known.set(userId, { name, seenAt: now });
  }

  /** Forgets users unseen for 90 days: an index range scan, once each time the room starts. */
  forgetStale(now: number): void {
    this.#sql.exec("DELETE FROM users WHERE seen_at < ?", now - FORGET_AFTER_MS);
  }

  #recall(userId: string): KnownUser | null {
    const cached = this.#known.get(userId);
    if (cached !== undefined) return cached;
    const row = this.#sql
      .exec<{ name: string; seen_at: number }>("SELECT name, seen_at FROM users WHERE id = ?", userId)
      .toArray()[0];
    const known = row === undefined ? null : { name: row.name, seenAt: row.seen_at };
    if (this.#known.size >= MAX_CACHED_USERS) this.#known.clear();
    this.#known.set(userId, known);
    return known;
  }
}
