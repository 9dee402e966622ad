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

export type CooldownSubject = { user: string } | { newUsersFrom: string };

export class Cooldowns {
  readonly #sql: SqlStorage;
  readonly #until = new Map<string, number>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Bars each subject until `until` (ms since epoch). */
  bar(subjects: readonly CooldownSubject[], until: number, now: number): void {
    this.#sql.exec("DELETE FROM cooldowns WHERE until <= ?", now);
    for (const subject of subjects) {
      const key = keyOf(subject);
      this.#sql.exec(
        "INSERT INTO cooldowns (subject, until) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET until = excluded.until",
        key,
        until,
      );
      this.#remember(key, until);
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
  return "user" in subject ? `user:${subject.user}` : `new-users-from:${subject.newUsersFrom}`;
}
