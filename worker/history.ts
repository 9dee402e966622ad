/**
 * The room's messages in its SQLite storage: the single writer assigns `seq`
 * in the same transaction that stores the message, a unique index on
 * (user, client id) makes a resend a no-op, pages and resume windows are
 * index range scans on `seq`, and retention trims the oldest in batches.
 */
import { FRAME_LIMITS, type Message, type User } from "../protocol/frames.ts";
import type { PageQuery } from "../protocol/http-params.ts";

interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  client_id: string;
  user_id: string;
  user_name: string;
  text: string;
  ts: number;
}

export interface Page {
  messages: Message[];
  /** Whether more messages lie beyond this page in the direction it was read; for `around`, older ones. */
  hasMore: boolean;
  /** For `around` only: whether newer messages remain after the page. */
  hasNewer?: boolean;
}

export interface ResumeWindow {
  messages: Message[];
  /** Newer messages remain after the window. */
  more: boolean;
  /** Messages the client has not seen were trimmed, or it saw a history this room no longer has. */
  truncated: boolean;
}

const COLUMNS = "seq, client_id, user_id, user_name, text, ts";

export class History {
  readonly #sql: SqlStorage;
  readonly #retention: number;
  /** Trimming waits until this many messages beyond retention have piled up. */
  readonly #trimSlack: number;
  #lastSeq: number | undefined;
  #oldestSeq: number | undefined;
  /** The newest page, as every welcome without `since` carries it; dropped whenever the history changes. */
  #latest: { limit: number; messages: Message[] } | undefined;

  constructor(sql: SqlStorage, retention: number) {
    this.#sql = sql;
    this.#retention = retention;
    this.#trimSlack = Math.floor(retention / 100);
  }

  /** The seq of the newest message ever stored; 0 in a new room. */
  get lastSeq(): number {
    this.#lastSeq ??= this.#sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM messages").one().seq ?? 0;
    return this.#lastSeq;
  }

  /**
   * Stores a message under the next seq, once per (user, client id): a
   * repeat returns the message already stored, and `created` says which. The
   * insert, its uniqueness check and the trim beyond retention are one
   * statement and one delete in the same event, which the runtime commits as
   * one transaction.
   */
  store(user: User, clientId: string, text: string, ts: number): { message: Message; created: boolean } {
    const seq = this.lastSeq + 1;
    const inserted = this.#sql
      .exec(
        `INSERT INTO messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, client_id) DO NOTHING RETURNING seq`,
        seq,
        clientId,
        user.id,
        user.name,
        text,
        ts,
      )
      .toArray();
    if (inserted.length === 0) return { message: this.#stored(user.id, clientId), created: false };
    // Trimmed before the in-memory view moves on: a failed trim rolls the insert back with it.
    this.#trim(seq);
    this.#lastSeq = seq;
    this.#latest = undefined;
    return { message: { seq, id: clientId, user, text, ts }, created: true };
  }

  #stored(userId: string, clientId: string): Message {
    const row = this.#sql
      .exec<MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE user_id = ? AND client_id = ?`, userId, clientId)
      .one();
    return toMessage(row);
  }

  /** The newest `limit` messages, oldest first; kept between changes, as a connection storm asks for it again and again. */
  #latestPage(limit: number): Message[] {
    if (this.#latest?.limit !== limit) this.#latest = { limit, messages: this.page({ newest: true }, limit).messages };
    return this.#latest.messages;
  }

  /** A page of at most `limit` messages, oldest first. */
  page(query: PageQuery, limit: number): Page {
    if ("around" in query) return this.#around(query.around, limit);
    const rows =
      "after" in query
        ? this.#rows("WHERE seq > ? ORDER BY seq ASC", query.after, limit + 1)
        : "before" in query
          ? this.#rows("WHERE seq < ? ORDER BY seq DESC", query.before, limit + 1)
          : this.#rows("ORDER BY seq DESC", undefined, limit + 1);
    const hasMore = rows.length > limit;
    if (hasMore) rows.pop();
    if (!("after" in query)) rows.reverse();
    return { messages: rows.map(toMessage), hasMore };
  }

  /**
   * What a (re)connecting client is sent first, on a socket's welcome and an
   * event stream's opening alike: without `since`, the newest page; with
   * it, the next `limit` messages after `since`, and whether any went missing.
   */
  catchUp(since: number | undefined, limit: number): ResumeWindow {
    if (since === undefined)
      return { messages: this.#latestPage(FRAME_LIMITS.welcomeHistory), more: false, truncated: false };
    if (since > this.lastSeq) return { messages: [], more: false, truncated: true };
    const { messages, hasMore } = this.page({ after: since }, limit);
    const truncated = since < this.lastSeq && this.#oldest() > since + 1;
    return { messages, more: hasMore, truncated };
  }

  /**
   * Up to `limit` messages centred on `seq`: the message at `seq` (when it
   * is retained) and those after it, and the older ones before it, half and
   * half, one side filling in for the other near either end of the log.
   */
  #around(seq: number, limit: number): Page {
    const older = this.#rows("WHERE seq < ? ORDER BY seq DESC", seq, limit + 1);
    const newer = this.#rows("WHERE seq >= ? ORDER BY seq ASC", seq, limit + 1);
    const newerTaken = Math.min(newer.length, limit - Math.min(older.length, Math.floor(limit / 2)));
    const olderTaken = Math.min(older.length, limit - newerTaken);
    const rows = [...older.slice(0, olderTaken).reverse(), ...newer.slice(0, newerTaken)];
    return { messages: rows.map(toMessage), hasMore: older.length > olderTaken, hasNewer: newer.length > newerTaken };
  }

  #rows(clause: string, bound: number | undefined, limit: number): MessageRow[] {
    const query = `SELECT ${COLUMNS} FROM messages ${clause} LIMIT ?`;
    const cursor =
      bound === undefined ? this.#sql.exec<MessageRow>(query, limit) : this.#sql.exec<MessageRow>(query, bound, limit);
    return cursor.toArray();
  }

  #oldest(): number {
    this.#oldestSeq ??=
      this.#sql.exec<{ seq: number | null }>("SELECT MIN(seq) AS seq FROM messages").one().seq ?? this.lastSeq + 1;
    return this.#oldestSeq;
  }

  /** Keeps the newest `retention` messages, deleting in batches of 1% so a busy room does not delete on every send. */
  #trim(newest: number): void {
    const oldest = this.#oldest();
    if (newest - oldest + 1 <= this.#retention + this.#trimSlack) return;
    const keepFrom = newest - this.#retention + 1;
    this.#sql.exec("DELETE FROM messages WHERE seq < ?", keepFrom);
    this.#oldestSeq = keepFrom;
  }
}

function toMessage(row: MessageRow): Message {
  return {
    seq: row.seq,
    id: row.client_id,
    user: { id: row.user_id, name: row.user_name },
    text: row.text,
    ts: row.ts,
  };
}
