/**
 * The last display name of each user the room has seen, so that a returning
 * user without `?name=` keeps theirs. Users unseen for 90 days are forgotten.
 */
const FORGET_AFTER_MS = 90 * 24 * 60 * 60 * 1000;

export class UserDirectory {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The name this user had when last seen, if the room remembers them. */
  lastName(userId: string): string | null {
    const row = this.#sql.exec<{ name: string }>("SELECT name FROM users WHERE id = ?", userId).toArray()[0];
    return row?.name ?? null;
  }

  /** Records the user's current name and that they were seen now. */
  remember(userId: string, name: string, now: number): void {
    this.#sql.exec(
      `INSERT INTO users (id, name, seen_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at`,
      userId,
      name,
      now,
    );
    // An index range scan that finds nothing in the common case.
    this.#sql.exec("DELETE FROM users WHERE seen_at < ?", now - FORGET_AFTER_MS);
  }
}
