/**
 * The last display name of each user the room has seen, so that a returning
 * user without `?name=` keeps theirs. Users unseen for 90 days are forgotten.
 */
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
