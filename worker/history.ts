/**
 * The room's messages in its SQLite storage: the single writer assigns `seq`
 * in the same transaction that stores the message, pages and resume windows
 * are index range scans on `seq`, and retention trims the oldest in batches.
 */
import type { Message, User } from "./protocol.ts";

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
  /** Whether more messages lie beyond this page in the direction it was read. */
  hasMore: boolean;
}

export interface ResumeWindow {
  messages: Message[];
  /** Newer messages remain after the window. */
  more: boolean;
  /** Messages the client has not seen were trimmed, or it saw a history this room no longer has. */
  truncated: boolean;
}

export type PageQuery = { before: number } | { after: number } | { newest: true };

const COLUMNS = "seq, client_id, user_id, user_name, text, ts";

export class History {
  readonly #storage: DurableObjectStorage;
  readonly #retention: number;
  /** Trimming waits until this many messages beyond retention have piled up. */
  readonly #trimSlack: number;
  #lastSeq: number | undefined;
  #oldestSeq: number | undefined;

  constructor(storage: DurableObjectStorage, retention: number) {
    this.#storage = storage;
    this.#retention = retention;
    this.#trimSlack = Math.floor(retention / 100);
  }

  /** The seq of the newest message ever stored; 0 in a new room. */
  get lastSeq(): number {
    this.#lastSeq ??=
      this.#storage.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM messages").one().seq ?? 0;
    return this.#lastSeq;
  }

  /** The message a user already stored under this client id, if it is still retained. */
  find(userId: string, clientId: string): Message | null {
    const row = this.#storage.sql
      .exec<MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE user_id = ? AND client_id = ?`, userId, clientId)
      .toArray()[0];
    return row === undefined ? null : toMessage(row);
  }

  /** Stores a new message under the next seq and trims beyond retention, in one transaction. */
  append(user: User, clientId: string, text: string, ts: number): Message {
    const message: Message = { seq: this.lastSeq + 1, id: clientId, user, text, ts };
    this.#storage.transactionSync(() => {
      this.#storage.sql.exec(
        `INSERT INTO messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
        message.seq,
        clientId,
        user.id,
        user.name,
        text,
        ts,
      );
      this.#trim(message.seq);
    });
    this.#lastSeq = message.seq;
    return message;
  }

  /** The newest `limit` messages, oldest first. */
  latest(limit: number): Message[] {
    return this.page({ newest: true }, limit).messages;
  }

  /** A page of at most `limit` messages, oldest first. */
  page(query: PageQuery, limit: number): Page {
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

  /** What a client that last saw `since` needs: the next `limit` messages, and whether any went missing. */
  resume(since: number, limit: number): ResumeWindow {
    if (since > this.lastSeq) return { messages: [], more: false, truncated: true };
    const { messages, hasMore } = this.page({ after: since }, limit);
    const truncated = since < this.lastSeq && this.#oldest() > since + 1;
    return { messages, more: hasMore, truncated };
  }

  #rows(clause: string, bound: number | undefined, limit: number): MessageRow[] {
    const query = `SELECT ${COLUMNS} FROM messages ${clause} LIMIT ?`;
    const cursor =
      bound === undefined
        ? this.#storage.sql.exec<MessageRow>(query, limit)
        : this.#storage.sql.exec<MessageRow>(query, bound, limit);
    return cursor.toArray();
  }

  #oldest(): number {
    this.#oldestSeq ??=
      this.#storage.sql.exec<{ seq: number | null }>("SELECT MIN(seq) AS seq FROM messages").one().seq ??
      this.lastSeq + 1;
    return this.#oldestSeq;
  }

  /** Keeps the newest `retention` messages, deleting in batches of 1% so a busy room does not delete on every send. */
  #trim(newest: number): void {
    const oldest = this.#oldest();
    if (newest - oldest + 1 <= this.#retention + this.#trimSlack) return;
    const keepFrom = newest - this.#retention + 1;
    this.#storage.sql.exec("DELETE FROM messages WHERE seq < ?", keepFrom);
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
