/**
 * The room's budgets: what each user, connection and address may spend.
 * - Token-bucket arithmetic, pure so the rules can be tested alone.
 * - The per-user send rate (SendRate), kept in the user's socket
 *   attachments while they are connected and in storage otherwise, and the
 *   per-address rate at which new identities may be made (StoredBuckets).
 * - The per-connection frame budget (FrameLimiter), whatever the frame type,
 *   and the per-connection budget of bytes answered to `history` (ByteBudget).
 * - The abuse window (recordError) and the cool-downs that follow an abuse
 *   close (Cooldowns).
 */

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface BucketRate {
  ratePerSecond: number;
  burst: number;
}

export type Take = { ok: true; bucket: Bucket } | { ok: false; retryAfter: number };

/** Takes one token from `bucket` at time `now`; an unknown user starts with a full bucket. */
export function takeToken(bucket: Bucket | undefined, now: number, { ratePerSecond, burst }: BucketRate): Take {
  const elapsed = bucket === undefined ? 0 : Math.max(0, now - bucket.updatedAt);
  const tokens = bucket === undefined ? burst : Math.min(burst, bucket.tokens + (elapsed * ratePerSecond) / 1000);
  // A clock that steps back (a room restarted on another machine) must not move the bucket back, or it refills twice.
  const updatedAt = bucket === undefined ? now : Math.max(now, bucket.updatedAt);
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, updatedAt } };
  return { ok: false, retryAfter: Math.ceil(((1 - tokens) * 1000) / ratePerSecond) };
}

/** How long an untouched bucket takes to refill completely, in milliseconds. */
export function refillTimeMs({ ratePerSecond, burst }: BucketRate): number {
  return (burst * 1000) / ratePerSecond;
}

/**
 * The sliding window behind "more than N error frames in T seconds closes
 * the connection".
 */
/**
 * Adds an error at `now` to the times still inside a window of `windowMs`,
 * keeping at most `limit + 1` entries; the limit is exceeded when the result
 * holds more than `limit`.
 */
export function recordError(times: readonly number[], now: number, limit: number, windowMs: number): number[] {
  return [...times.filter((time) => time > now - windowMs), now].slice(-(limit + 1));
}

/** The tables that keep token buckets, each keyed by one column; never built from input. */
const BUCKET_TABLES = {
  send: { table: "send_buckets", key: "user_id" },
  newIdentities: { table: "identity_buckets", key: "address" },
} as const;

/**
 * Token buckets kept in the room's storage, so that neither hibernation nor
 * a reconnect refills one early: the per-address rate of new identities,
 * and the send rate of users who have no socket to carry theirs.
 */
export class StoredBuckets {
  readonly #sql: SqlStorage;
  readonly #rate: BucketRate;
  readonly #table: (typeof BUCKET_TABLES)[keyof typeof BUCKET_TABLES];
  readonly #buckets = new Map<string, Bucket>();

  constructor(sql: SqlStorage, kind: keyof typeof BUCKET_TABLES, rate: BucketRate) {
    this.#sql = sql;
    this.#table = BUCKET_TABLES[kind];
    this.#rate = rate;
  }

  /** Spends one of the subject's tokens, or says how many milliseconds until one is free. */
  take(subject: string, now: number): { ok: true } | { ok: false; retryAfter: number } {
    const result = takeToken(this.read(subject), now, this.#rate);
    if (!result.ok) return result;
    this.write(subject, result.bucket);
    return { ok: true };
  }

  /** The subject's stored bucket; undefined for one the room does not keep (a full one). */
  read(subject: string): Bucket | undefined {
    const cached = this.#buckets.get(subject);
    if (cached !== undefined) return cached;
    const { table, key } = this.#table;
    const row = this.#sql
      .exec<{ tokens: number; updated_at: number }>(`SELECT tokens, updated_at FROM ${table} WHERE ${key} = ?`, subject)
      .toArray()[0];
    if (row === undefined) return undefined;
    const bucket = { tokens: row.tokens, updatedAt: row.updated_at };
    this.#buckets.set(subject, bucket);
    return bucket;
  }

  write(subject: string, bucket: Bucket): void {
    this.#buckets.set(subject, bucket);
    const { table, key } = this.#table;
    this.#sql.exec(
      `INSERT INTO ${table} (${key}, tokens, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (${key}) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
      subject,
      bucket.tokens,
      bucket.updatedAt,
    );
  }

  /** Forgets buckets that have refilled completely; they equal a new subject's. */
  prune(now: number): void {
    this.#sql.exec(`DELETE FROM ${this.#table.table} WHERE updated_at < ?`, now - refillTimeMs(this.#rate));
    this.#buckets.clear();
  }
}

/** Where a connected user's send bucket is kept besides memory: their sockets' attachments. */
export interface BucketMirror {
  /** The newest bucket any of the user's open connections carries. */
  bucketOf(userId: string): Bucket | undefined;
  /** Writes the bucket into every open connection of the user. */
  mirror(userId: string, bucket: Bucket): void;
}

/**
 * The per-user send rate, one bucket shared by a user's WebSocket
 * connections and HTTP posts. While a user is connected the bucket lives in
 * memory and in their sockets' attachments, which survive hibernation, so a
 * WebSocket send writes nothing to SQLite beyond its message. It goes to
 * storage when an HTTP post spends it (a post has no socket to carry it) and
 * when the user's last connection closes, so that neither a wake nor a
 * reconnect refills it early.
 */
export class SendRate {
  readonly #rate: BucketRate;
  readonly #stored: StoredBuckets;
  readonly #mirror: BucketMirror;
  readonly #buckets = new Map<string, Bucket>();

  constructor(sql: SqlStorage, rate: BucketRate, mirror: BucketMirror) {
    this.#rate = rate;
    this.#stored = new StoredBuckets(sql, "send", rate);
    this.#mirror = mirror;
  }

  /**
   * Spends one of the user's tokens, or says how many milliseconds until one
   * is free. `by` says where the spend came from: a socket (kept in the
   * user's attachments) or an HTTP post (kept in storage).
   */
  take(userId: string, now: number, by: "socket" | "post"): { ok: true } | { ok: false; retryAfter: number } {
    const result = takeToken(this.#bucket(userId), now, this.#rate);
    if (!result.ok) return result;
    this.#buckets.set(userId, result.bucket);
    if (by === "socket") this.#mirror.mirror(userId, result.bucket);
    else this.#stored.write(userId, result.bucket);
    return { ok: true };
  }

  /**
   * The user's last connection closed, carrying `lastSeen` in its
   * attachment: their bucket goes to storage, unless it has refilled
   * completely and so equals a new user's.
   */
  settle(userId: string, lastSeen: Bucket | null, now: number): void {
    const bucket = newest(this.#buckets.get(userId), lastSeen ?? undefined);
    if (bucket === undefined || now - bucket.updatedAt >= refillTimeMs(this.#rate)) return;
    const stored = this.#stored.read(userId);
    if (stored?.updatedAt !== bucket.updatedAt || stored.tokens !== bucket.tokens) this.#stored.write(userId, bucket);
  }

  /** Forgets buckets that have refilled completely. */
  prune(now: number): void {
    this.#stored.prune(now);
    this.#buckets.clear();
  }

  /** In memory, else the newest of what the user's sockets carry and what storage holds. */
  #bucket(userId: string): Bucket | undefined {
    const cached = this.#buckets.get(userId);
    if (cached !== undefined) return cached;
    const bucket = newest(this.#mirror.bucketOf(userId), this.#stored.read(userId));
    if (bucket !== undefined) this.#buckets.set(userId, bucket);
    return bucket;
  }
}

function newest(a: Bucket | undefined, b: Bucket | undefined): Bucket | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.updatedAt > a.updatedAt ? b : a;
}

/**
 * A budget of frames per connection, whatever their type, so that no frame
 * a client may send (a `typing` that is otherwise dropped without an error,
 * or a `history` whose answer can be large) can be flooded for free. Frames
 * over the budget are refused with `rate_limited`, which the abuse rule
 * counts, so a flood ends with the connection closed with 1008.
 *
 * The budget lives in memory: a room hibernates only after a quiet spell,
 * which refills every budget anyway.
 */

export class FrameLimiter {
  readonly #rate: BucketRate;
  readonly #buckets = new WeakMap<WebSocket, Bucket>();

  constructor(rate: BucketRate) {
    this.#rate = rate;
  }

  /** Spends one frame of `ws`'s budget, or says how many milliseconds until one is free. */
  take(ws: WebSocket, now: number): { ok: true } | { ok: false; retryAfter: number } {
    const result = takeToken(this.#buckets.get(ws), now, this.#rate);
    if (!result.ok) return result;
    this.#buckets.set(ws, result.bucket);
    return { ok: true };
  }
}

/**
 * A budget of bytes answered to one connection's `history` requests, so
 * that what the room sends out stays bounded whatever a client asks: a
 * request of 50 bytes can draw a page of 100 long messages. The answer's
 * size is only known once the page is read, so a page may overdraw the
 * budget; the next request is refused with `rate_limited` until it has
 * refilled. In memory, like the frame budget.
 */
export class ByteBudget {
  readonly #rate: BucketRate;
  readonly #buckets = new WeakMap<WebSocket, Bucket>();

  constructor(rate: BucketRate) {
    this.#rate = rate;
  }

  /** Whether `ws` may be answered now, or how many milliseconds until it may. */
  check(ws: WebSocket, now: number): { ok: true } | { ok: false; retryAfter: number } {
    const tokens = this.#tokens(ws, now);
    if (tokens >= 0) return { ok: true };
    return { ok: false, retryAfter: Math.ceil((-tokens * 1000) / this.#rate.ratePerSecond) };
  }

  /** Charges `bytes` just answered to `ws`. */
  spend(ws: WebSocket, bytes: number, now: number): void {
    this.#buckets.set(ws, { tokens: this.#tokens(ws, now) - bytes, updatedAt: now });
  }

  #tokens(ws: WebSocket, now: number): number {
    const bucket = this.#buckets.get(ws);
    if (bucket === undefined) return this.#rate.burst;
    const elapsed = Math.max(0, now - bucket.updatedAt);
    return Math.min(this.#rate.burst, bucket.tokens + (elapsed * this.#rate.ratePerSecond) / 1000);
  }
}

/**
 * Cool-downs after abuse. When the room closes a connection with 1008, it
 * bars that user, and new identities from the same client address, from
 * coming back for a while: without that, a flooder reconnects at once, and
 * each connection costs the room a welcome, a join, a leave and its share of
 * refusals before the abuse rule closes it again; or it reconnects without
 * its token, as a new user with a fresh send burst each time. A barred
 * attempt is refused before any of that work. Bars are kept in the room's
 * storage, so neither hibernation nor a restart lifts one early.
 */

/** Subjects remembered in memory; past this the memory starts over from storage. */
const MAX_CACHED_SUBJECTS = 10_000;

/**
 * Who is barred: a user, or new identities from an address, after abuse;
 * or, after a moderator's ban with `addressFor`, new identities from the
 * banned user's address, which is refused as a ban (`forbidden`), not as
 * abuse.
 */
export type CooldownSubject = { user: string } | { newUsersFrom: string } | { bannedAddress: string };

export class Cooldowns {
  readonly #sql: SqlStorage;
  readonly #until = new Map<string, number>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Bars each subject until `until` (ms since epoch); a bar already in place that lasts longer stays. */
  bar(subjects: readonly CooldownSubject[], until: number, now: number): void {
    this.#sql.exec("DELETE FROM cooldowns WHERE until <= ?", now);
    for (const subject of subjects) {
      const key = keyOf(subject);
      this.#sql.exec(
        `INSERT INTO cooldowns (subject, until) VALUES (?, ?)
         ON CONFLICT (subject) DO UPDATE SET until = MAX(until, excluded.until)`,
        key,
        until,
      );
      this.#remember(key, Math.max(until, this.#until.get(key) ?? 0));
    }
  }

  /** How many milliseconds the subject stays barred; 0 when it is free. */
  remaining(subject: CooldownSubject, now: number): number {
    const key = keyOf(subject);
    let until = this.#until.get(key);
    if (until === undefined) {
      const row = this.#sql.exec<{ until: number }>("SELECT until FROM cooldowns WHERE subject = ?", key).toArray()[0];
      until = row?.until ?? 0;
      this.#remember(key, until);
    }
    return Math.max(0, until - now);
  }

  #remember(key: string, until: number): void {
    if (this.#until.size >= MAX_CACHED_SUBJECTS) this.#until.clear();
    this.#until.set(key, until);
  }
}

function keyOf(subject: CooldownSubject): string {
  if ("user" in subject) return `user:${subject.user}`;
  if ("newUsersFrom" in subject) return `new-users-from:${subject.newUsersFrom}`;
  return `banned-address:${subject.bannedAddress}`;
}
