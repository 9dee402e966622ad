/**
 * How far each user has read the room: one position per user, whatever
 * connection reported it, kept in the room's storage so that it survives
 * hibernation and restarts and follows the user to their other devices.
 * A position never moves back.
 */

/** Positions remembered in memory between reads; past this the memory starts over from storage. */
const MAX_CACHED = 10_000;

export class ReadPositions {
  readonly #sql: SqlStorage;
  readonly #known = new Map<string, number | null>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The user's position, or null when they never reported one. */
  of(userId: string): number | null {
    const cached = this.#known.get(userId);
    if (cached !== undefined) return cached;
    const row = this.#sql
      .exec<{ seq: number }>("SELECT seq FROM read_positions WHERE user_id = ?", userId)
      .toArray()[0];
    this.#remember(userId, row?.seq ?? null);
    return row?.seq ?? null;
  }

  /**
   * Moves the user's position to `seq`, taken as at most `lastSeq`; returns
   * the new position, or null when it would not move forward.
   */
  move(userId: string, seq: number, lastSeq: number): number | null {
    const next = Math.min(seq, lastSeq);
    const current = this.of(userId);
    if (current !== null && next <= current) return null;
    if (current === null && next === 0) return null;
    this.#sql.exec(
      `INSERT INTO read_positions (user_id, seq) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET seq = excluded.seq`,
      userId,
      next,
    );
    this.#remember(userId, next);
    return next;
  }

  #remember(userId: string, seq: number | null): void {
    if (this.#known.size >= MAX_CACHED) this.#known.clear();
    this.#known.set(userId, seq);
  }
}
