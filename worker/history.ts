/**
 * The room's log of events in its SQLite storage. The single writer assigns
 * `seq` to every event (a message, an edit, a deletion, a reaction) in the
 * same transaction that stores it and applies it to the message it changes;
 * (user, client id) is one namespace across all of them, so a resend stores
 * nothing. Messages live in `messages` in their current state, the other
 * events in `events`; pages read messages, a resume reads both in seq order,
 * and retention trims the oldest messages, with their events, in batches.
 */
import {
  type CallEventFrame,
  CLIENT_FRAME,
  type DeleteFrame,
  type EditFrame,
  ERROR_CODE,
  FRAME_LIMITS,
  type LogEvent,
  type Message,
  type MessageEventFrame,
  type ModerationEventFrame,
  type ReactFrame,
  type Refusal,
  SERVER_FRAME,
  type SearchHit,
  type SettingsEventFrame,
  type StoredAck,
  type UnchangedAck,
  type User,
} from "../protocol/frames.ts";
import type { PageQuery } from "../protocol/http-params.ts";
import { idsOf, MESSAGE_COLUMNS, type MessageRow, MessageState } from "./message-state.ts";
import { highlights, queryTerms, SearchIndex } from "./search.ts";
import type { UserDirectory } from "./users.ts";

export interface Page {
  messages: Message[];
  /** Whether more messages lie beyond this page in the direction it was read; for `around`, older ones. */
  hasMore: boolean;
  /** For `around` only: whether newer messages remain after the page. */
  hasNewer?: boolean;
}

export interface ResumeWindow {
  events: LogEvent[];
  /** Newer events remain after the window. */
  more: boolean;
  /** Events the client has not seen were trimmed, or it saw a history this room no longer has. */
  truncated: boolean;
}

/** A message as a `send` or an HTTP post gives it. */
export interface NewMessage {
  id: string;
  text: string;
  replyTo?: number;
  mentions?: string[];
}

/**
 * What storing a frame's event came to: stored (`event` is to be broadcast),
 * a repeat of a stored one or a change of nothing (`event` null: the ack
 * alone), or refused with a typed error and nothing stored.
 */
export type Outcome<Ack = StoredAck | UnchangedAck> =
  | { ok: true; ack: Ack; event: LogEvent | null }
  | { ok: false; refusal: Refusal };

interface EventRow extends Record<string, SqlStorageValue> {
  seq: number;
  kind: string;
  target: number;
  user_id: string;
  user_name: string;
  ts: number;
  emoji: string | null;
  turned_on: number | null;
  /** JSON: a settings or moderation event's fields, or a moderator's deletion's `reason`. */
  detail: string | null;
}

const EVENT_COLUMNS = "seq, kind, target, user_id, user_name, ts, emoji, turned_on, detail";
const EVENT_KIND = {
  edit: "edit",
  delete: "delete",
  reaction: "reaction",
  settings: "settings",
  moderation: "moderation",
  call: "call",
} as const;

/** A settings or moderation event as the caller gives it, before the log numbers it. */
export type RoomEventDetail =
  | { kind: typeof EVENT_KIND.settings; fields: Pick<SettingsEventFrame, "settings" | "changed"> }
  | { kind: typeof EVENT_KIND.moderation; fields: Omit<ModerationEventFrame, "type" | "seq" | "ts" | "user"> }
  | { kind: typeof EVENT_KIND.call; fields: Omit<CallEventFrame, "type" | "seq" | "ts" | "user"> };

/** What the audit shows of a deletion: a moderator's, of someone else's message. */
interface DeletionDetail {
  moderated: true;
  reason?: string;
}
const TRIMMED_THROUGH = "trimmed_through";

export class History {
  readonly #sql: SqlStorage;
  /** Whether the room has seen a user: remembered by name, or online now (a guest is not remembered). */
  readonly #seen: (userId: string) => boolean;
  readonly #state: MessageState;
  readonly #index: SearchIndex;
  readonly #retention: number;
  /** Trimming waits until this many messages beyond retention have piled up. */
  readonly #trimSlack: number;
  #lastSeq: number | undefined;
  #changesStored: boolean | undefined;
  #messageCount: number | undefined;
  /** The highest seq of any event retention removed; a resume from below it is truncated. */
  #trimmedThrough: number | undefined;
  /** The newest page, as every welcome without `since` carries it; dropped whenever the log changes. */
  #latest: { limit: number; messages: Message[] } | undefined;

  constructor(sql: SqlStorage, retention: number, users: UserDirectory, seen: (userId: string) => boolean) {
    this.#sql = sql;
    this.#seen = seen;
    this.#state = new MessageState(sql, users);
    this.#index = new SearchIndex(sql);
    this.#retention = retention;
    this.#trimSlack = Math.floor(retention / 100);
  }

  /** The seq of the newest event ever stored; 0 in a new room. */
  get lastSeq(): number {
    this.#lastSeq ??= Math.max(
      this.#sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM messages").one().seq ?? 0,
      this.#sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? 0,
      this.#trimmed(),
    );
    return this.#lastSeq;
  }

  /**
   * Stores the event of a frame about messages, as `send`, `edit`, `delete`
   * and `react` each do; `deleteAny` lets a moderator delete anyone's message.
   */
  apply(user: User, frame: MessageEventFrame, ts: number, deleteAny = false): Outcome {
    switch (frame.type) {
      case CLIENT_FRAME.send:
        return this.send(user, frame, ts);
      case CLIENT_FRAME.edit:
        return this.edit(user, frame, ts);
      case CLIENT_FRAME.delete:
        return this.delete(user, frame, ts, deleteAny);
      case CLIENT_FRAME.react:
        return this.react(user, frame, ts);
      default:
        return assertNever(frame);
    }
  }

  /** The seq of the message an event is about: a message's own, or the target of an edit, deletion or reaction. */
  messageOfEvent(seq: number): number | null {
    if (this.#state.rowsBySeq([seq]).has(seq)) return seq;
    const row = this.#sql.exec<{ target: number }>("SELECT target FROM events WHERE seq = ?", seq).toArray()[0];
    return row?.target ?? null;
  }

  /** The message at `seq` in its current state, or null when no retained message has it. */
  message(seq: number): Message | null {
    const row = this.#state.rowsBySeq([seq]).get(seq);
    return row === undefined ? null : (this.#state.messages([row])[0] ?? null);
  }

  /**
   * Stores a message under the next seq, once per (user, client id). A reply
   * must answer a retained message that is not deleted; mentions of users the
   * room has never seen are dropped. The insert and the trim beyond retention
   * happen in the same event, which the runtime commits as one transaction.
   */
  send(user: User, input: NewMessage, ts: number): Outcome<StoredAck> {
    // The insert itself finds a repeat among messages; only a room that holds other events needs a look there first.
    const prior = input.replyTo !== undefined || this.#holdsChanges() ? this.priorAck(user.id, input.id) : null;
    if (prior !== null) return { ok: true, ack: prior, event: null };
    let original: MessageRow | undefined;
    if (input.replyTo !== undefined) {
      original = this.#liveMessage(input.replyTo);
      if (original === undefined) return notFound(input.id, input.replyTo);
    }
    const row: MessageRow = {
      seq: this.lastSeq + 1,
      client_id: input.id,
      user_id: user.id,
      user_name: user.name,
      text: input.text,
      ts,
      reply_to: original?.seq ?? null,
      reply_user_id: original?.user_id ?? null,
      reply_user_name: original?.user_name ?? null,
      mentions: this.#seenUsers(input.mentions),
      edited_at: null,
      deleted: 0,
    };
    const { seq } = row;
    const inserted = this.#sql.exec(
      `INSERT INTO messages (seq, client_id, user_id, user_name, text, ts, reply_to, reply_user_id, reply_user_name, mentions)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, client_id) DO NOTHING RETURNING seq`,
      seq,
      row.client_id,
      row.user_id,
      row.user_name,
      row.text,
      ts,
      row.reply_to,
      row.reply_user_id,
      row.reply_user_name,
      row.mentions,
    );
    if (inserted.toArray().length === 0) {
      const repeat = this.priorAck(user.id, input.id);
      if (repeat === null) throw new Error("a message conflicts with one that is not stored");
      return { ok: true, ack: repeat, event: null };
    }
    // Trimmed before the in-memory view moves on: a failed trim rolls the insert back with it.
    const count = this.#messageCount === undefined ? this.#countMessages() : this.#messageCount + 1;
    this.#messageCount = this.#trim(count);
    this.#index.stored(seq);
    this.#stored(seq);
    const message = this.#state.justStored(row, original);
    return { ok: true, ack: ackOf(input.id, seq, ts), event: { type: SERVER_FRAME.message, ...message } };
  }

  /** Replaces the text and mentions of the user's own message; the same text and mentions change nothing. */
  edit(user: User, frame: EditFrame, ts: number): Outcome {
    const found = this.#targetOf(user, frame, "edit");
    if ("answer" in found) return found.answer;
    const { target } = found;
    const mentions = this.#seenUsers(frame.mentions);
    if (target.text === frame.text && target.mentions === mentions) return unchanged(frame.id);
    this.#sql.exec(
      "UPDATE messages SET text = ?, mentions = ?, edited_at = ? WHERE seq = ?",
      frame.text,
      mentions,
      ts,
      target.seq,
    );
    this.#index.changed(target.seq, target.text, frame.text);
    const seq = this.#storeEvent(EVENT_KIND.edit, user, frame, ts);
    const edited = { ...target, text: frame.text, mentions };
    const mentioned = this.#state.mentionsOf(edited);
    const event: LogEvent = {
      type: SERVER_FRAME.edit,
      seq,
      ts,
      target: target.seq,
      user,
      text: frame.text,
      ...(mentioned.length > 0 ? { mentions: mentioned } : {}),
    };
    return { ok: true, ack: ackOf(frame.id, seq, ts), event };
  }

  /**
   * Deletes the user's own message, or with `deleteAny` anyone's: its text,
   * mentions, reply preview and reactions leave storage. A deletion of
   * someone else's message keeps the moderator's reason and enters the audit.
   */
  delete(user: User, frame: DeleteFrame, ts: number, deleteAny = false): Outcome {
    const found = this.#targetOf(user, frame, deleteAny ? null : "delete");
    if ("answer" in found) return found.answer;
    const { target } = found;
    const moderated = target.user_id !== user.id;
    const reason = moderated && frame.reason !== undefined ? { reason: frame.reason } : {};
    const detail: DeletionDetail | null = moderated ? { moderated: true, ...reason } : null;
    this.#sql.exec(
      `UPDATE messages SET text = '', mentions = NULL, reply_to = NULL, reply_user_id = NULL,
         reply_user_name = NULL, edited_at = NULL, deleted = 1 WHERE seq = ?`,
      target.seq,
    );
    this.#sql.exec("DELETE FROM reactions WHERE target = ?", target.seq);
    this.#sql.exec("DELETE FROM reaction_totals WHERE target = ?", target.seq);
    this.#index.changed(target.seq, target.text, null);
    const seq = this.#storeEvent(EVENT_KIND.delete, user, frame, ts, detail);
    const event: LogEvent = { type: SERVER_FRAME.delete, seq, ts, target: target.seq, user, ...reason };
    return { ok: true, ack: ackOf(frame.id, seq, ts), event };
  }

  /**
   * Adds or removes the user's reaction. A message holds at most 20 distinct
   * emoji; its aggregate row per emoji keeps the count and the first 50
   * users, so that pages never count reactions one by one.
   */
  react(user: User, frame: ReactFrame, ts: number): Outcome {
    const found = this.#targetOf(user, frame, null);
    if ("answer" in found) return found.answer;
    const { target } = found;
    const { emoji, on } = frame;
    const has =
      this.#sql
        .exec("SELECT 1 FROM reactions WHERE target = ? AND emoji = ? AND user_id = ?", target.seq, emoji, user.id)
        .toArray().length > 0;
    if (has === on) return unchanged(frame.id);
    const total = this.#sql
      .exec<{ count: number; users: string }>(
        "SELECT count, users FROM reaction_totals WHERE target = ? AND emoji = ?",
        target.seq,
        emoji,
      )
      .toArray()[0];
    if (on && total === undefined) {
      const distinct = this.#sql
        .exec<{ n: number }>("SELECT COUNT(*) AS n FROM reaction_totals WHERE target = ?", target.seq)
        .one().n;
      if (distinct >= FRAME_LIMITS.maxReactionEmoji) {
        const message = `a message holds at most ${FRAME_LIMITS.maxReactionEmoji} distinct emoji`;
        return { ok: false, refusal: { code: ERROR_CODE.limitReached, message, id: frame.id } };
      }
    }
    const seq = this.#storeEvent(EVENT_KIND.reaction, user, frame, ts);
    if (on) {
      this.#sql.exec(
        "INSERT INTO reactions (target, emoji, user_id, seq) VALUES (?, ?, ?, ?)",
        target.seq,
        emoji,
        user.id,
        seq,
      );
    } else {
      this.#sql.exec(
        "DELETE FROM reactions WHERE target = ? AND emoji = ? AND user_id = ?",
        target.seq,
        emoji,
        user.id,
      );
    }
    this.#updateTotal(target.seq, emoji, { seq, userId: user.id, on }, total);
    const event: LogEvent = { type: SERVER_FRAME.reaction, seq, ts, target: target.seq, user, emoji, on };
    return { ok: true, ack: ackOf(frame.id, seq, ts), event };
  }

  /** The aggregate of one emoji on one message after a user's reaction was added or removed. */
  #updateTotal(
    target: number,
    emoji: string,
    change: { seq: number; userId: string; on: boolean },
    total: { count: number; users: string } | undefined,
  ): void {
    const count = (total?.count ?? 0) + (change.on ? 1 : -1);
    if (count === 0) {
      this.#sql.exec("DELETE FROM reaction_totals WHERE target = ? AND emoji = ?", target, emoji);
      return;
    }
    const listed = idsOf(total?.users ?? null);
    // An addition joins the list while it has room; a removal from the list re-reads the earliest 50.
    const users = change.on
      ? listed.length < FRAME_LIMITS.reactionUsersListed
        ? [...listed, change.userId]
        : listed
      : listed.includes(change.userId)
        ? this.#earliestReactors(target, emoji)
        : listed;
    this.#sql.exec(
      `INSERT INTO reaction_totals (target, emoji, count, users, first_seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (target, emoji) DO UPDATE SET count = excluded.count, users = excluded.users`,
      target,
      emoji,
      count,
      JSON.stringify(users),
      change.seq,
    );
  }

  #earliestReactors(target: number, emoji: string): string[] {
    return this.#sql
      .exec<{ user_id: string }>(
        "SELECT user_id FROM reactions WHERE target = ? AND emoji = ? ORDER BY seq LIMIT ?",
        target,
        emoji,
        FRAME_LIMITS.reactionUsersListed,
      )
      .toArray()
      .map((row) => row.user_id);
  }

  /** The newest `limit` messages, oldest first; kept between changes, as a connection storm asks for it again and again. */
  #latestPage(limit: number): Message[] {
    if (this.#latest?.limit !== limit) this.#latest = { limit, messages: this.page({ newest: true }, limit).messages };
    return this.#latest.messages;
  }

  /**
   * Up to `limit` messages matching every word of `q`, newest first, below
   * `before` when given, each with where its text matched.
   */
  search(q: string, before: number | undefined, limit: number): { hits: SearchHit[]; hasMore: boolean } {
    const terms = queryTerms(q);
    const { seqs, hasMore } = this.#index.find(terms, before ?? Number.MAX_SAFE_INTEGER, limit);
    const rows = this.#state.rowsBySeq(seqs);
    const found = seqs.flatMap((seq) => {
      const row = rows.get(seq);
      return row === undefined ? [] : [row];
    });
    const hits = this.#state
      .messages(found)
      .map((message): SearchHit => ({ message, highlights: highlights(message.text, terms) }));
    return { hits, hasMore };
  }

  /** A page of at most `limit` messages in their current state, oldest first. */
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
    return { messages: this.#state.messages(rows), hasMore };
  }

  /**
   * What a (re)connecting client is sent first, on a socket's welcome and an
   * event stream's opening alike: without `since`, the newest page of
   * messages; with it, the next `limit` events after `since`, and whether any
   * went missing. A message in it is in its current state, and so is the
   * text of an edit, so applying one twice changes nothing.
   */
  catchUp(since: number | undefined, limit: number): ResumeWindow {
    if (since === undefined) {
      const events = this.#latestPage(FRAME_LIMITS.welcomeHistory).map(
        (message): LogEvent => ({ type: SERVER_FRAME.message, ...message }),
      );
      return { events, more: false, truncated: false };
    }
    if (since > this.lastSeq) return { events: [], more: false, truncated: true };
    const messages = this.#rows("WHERE seq > ? ORDER BY seq ASC", since, limit + 1);
    const changes = this.#sql
      .exec<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq ASC LIMIT ?`, since, limit + 1)
      .toArray();
    const merged = mergeBySeq(messages, changes);
    const more = merged.length > limit;
    const window = merged.slice(0, limit);
    return { events: this.#asEvents(window), more, truncated: since < this.#trimmed() };
  }

  #asEvents(window: readonly (MessageRow | EventRow)[]): LogEvent[] {
    const messageRows = window.filter(isMessageRow);
    const messages = new Map(this.#state.messages(messageRows).map((message) => [message.seq, message]));
    const edited = window.flatMap((row) => (!isMessageRow(row) && row.kind === EVENT_KIND.edit ? [row.target] : []));
    const targets = edited.length === 0 ? new Map<number, MessageRow>() : this.#state.rowsBySeq(edited);
    return window.map((row): LogEvent => {
      if (isMessageRow(row)) {
        const message = messages.get(row.seq);
        if (message === undefined) throw new Error("a message of the window has no current state");
        return { type: SERVER_FRAME.message, ...message };
      }
      const user = { id: row.user_id, name: row.user_name };
      if (row.kind === EVENT_KIND.settings || row.kind === EVENT_KIND.moderation || row.kind === EVENT_KIND.call) {
        return roomEventOf(row, user);
      }
      const common = { seq: row.seq, ts: row.ts, target: row.target, user };
      if (row.kind === EVENT_KIND.reaction) {
        return { type: SERVER_FRAME.reaction, ...common, emoji: row.emoji ?? "", on: row.turned_on === 1 };
      }
      if (row.kind === EVENT_KIND.delete) return { type: SERVER_FRAME.delete, ...common, ...reasonOf(row) };
      const target = targets.get(row.target);
      const mentions = target === undefined ? [] : this.#state.mentionsOf(target);
      return {
        type: SERVER_FRAME.edit,
        ...common,
        text: target?.text ?? "",
        ...(mentions.length > 0 ? { mentions } : {}),
      };
    });
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
    return {
      messages: this.#state.messages(rows),
      hasMore: older.length > olderTaken,
      hasNewer: newer.length > newerTaken,
    };
  }

  #rows(clause: string, bound: number | undefined, limit: number): MessageRow[] {
    const query = `SELECT ${MESSAGE_COLUMNS} FROM messages ${clause} LIMIT ?`;
    const cursor =
      bound === undefined ? this.#sql.exec<MessageRow>(query, limit) : this.#sql.exec<MessageRow>(query, bound, limit);
    return cursor.toArray();
  }

  /** Whether the log holds any edit, deletion or reaction; until it does, client ids are only in `messages`. */
  #holdsChanges(): boolean {
    this.#changesStored ??= this.#sql.exec("SELECT 1 FROM events LIMIT 1").toArray().length > 0;
    return this.#changesStored;
  }

  /** The ack an earlier event of (user, client id) was given, or null when the id is new to the log. */
  priorAck(userId: string, clientId: string): StoredAck | null {
    const row = this.#sql
      .exec<{ seq: number; ts: number }>(
        `SELECT seq, ts FROM messages WHERE user_id = ?1 AND client_id = ?2
         UNION ALL SELECT seq, ts FROM events WHERE user_id = ?1 AND client_id = ?2`,
        userId,
        clientId,
      )
      .toArray()[0];
    return row === undefined ? null : ackOf(clientId, row.seq, row.ts);
  }

  /**
   * The message an edit, deletion or reaction is about, or the answer that
   * settles the frame first: the original ack of a repeated id, `not_found`
   * for a message that is not retained or is deleted, `forbidden` for an
   * action only the author may take (`authorOnly`) on someone else's.
   */
  #targetOf(
    user: User,
    frame: EditFrame | DeleteFrame | ReactFrame,
    authorOnly: "edit" | "delete" | null,
  ): { target: MessageRow } | { answer: Outcome } {
    const prior = this.priorAck(user.id, frame.id);
    if (prior !== null) return { answer: { ok: true, ack: prior, event: null } };
    const target = this.#liveMessage(frame.target);
    if (target === undefined) return { answer: notFound(frame.id, frame.target) };
    if (authorOnly !== null && target.user_id !== user.id) return { answer: forbidden(frame.id, authorOnly) };
    return { target };
  }

  /** The row of a retained message that is not deleted. */
  #liveMessage(seq: number): MessageRow | undefined {
    const row = this.#state.rowsBySeq([seq]).get(seq);
    return row === undefined || row.deleted !== 0 ? undefined : row;
  }

  /** Mention ids of users the room knows, as stored (a JSON array), or null for none. */
  #seenUsers(ids: readonly string[] | undefined): string | null {
    const seen = (ids ?? []).filter(this.#seen);
    return seen.length === 0 ? null : JSON.stringify(seen);
  }

  /**
   * Stores a settings or moderation event under the next seq, once per
   * (user, client id): the caller has looked for a repeat with `priorAck`.
   * Its target is its own seq, so retention takes it in its turn, as it
   * takes a message; the state it leaves is kept elsewhere. `actor` is null
   * for the event a claim stores.
   */
  appendRoomEvent(actor: User | null, clientId: string, { kind, fields }: RoomEventDetail, ts: number): number {
    const seq = this.lastSeq + 1;
    this.#sql.exec(
      `INSERT INTO events (seq, kind, target, client_id, user_id, user_name, ts, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      kind,
      seq,
      clientId,
      actor?.id ?? "",
      actor?.name ?? "",
      ts,
      JSON.stringify(fields),
    );
    this.#stored(seq);
    this.#changesStored = true;
    return seq;
  }

  /**
   * The moderation record below `before`, newest first: settings and
   * moderation events, and deletions of someone else's message (the rows
   * that carry a detail, through a partial index).
   */
  audit(before: number | undefined, limit: number): { events: LogEvent[]; hasMore: boolean } {
    const rows = this.#sql
      .exec<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE detail IS NOT NULL AND kind != 'call' AND seq < ?
         ORDER BY seq DESC LIMIT ?`,
        before ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      )
      .toArray();
    return { events: this.#asEvents(rows.slice(0, limit)), hasMore: rows.length > limit };
  }

  /** Stores an edit, deletion or reaction under the next seq. */
  #storeEvent(
    kind: string,
    user: User,
    frame: EditFrame | DeleteFrame | ReactFrame,
    ts: number,
    detail: DeletionDetail | null = null,
  ): number {
    const seq = this.lastSeq + 1;
    const reaction = "emoji" in frame ? frame : undefined;
    this.#sql.exec(
      `INSERT INTO events (seq, kind, target, client_id, user_id, user_name, ts, emoji, turned_on, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      kind,
      frame.target,
      frame.id,
      user.id,
      user.name,
      ts,
      reaction?.emoji ?? null,
      reaction === undefined ? null : Number(reaction.on),
      detail === null ? null : JSON.stringify(detail),
    );
    this.#stored(seq);
    this.#changesStored = true;
    return seq;
  }

  #stored(seq: number): void {
    this.#lastSeq = seq;
    this.#latest = undefined;
  }

  #countMessages(): number {
    return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n;
  }

  #trimmed(): number {
    this.#trimmedThrough ??=
      this.#sql.exec<{ value: number }>("SELECT value FROM log_state WHERE name = ?", TRIMMED_THROUGH).toArray()[0]
        ?.value ?? 0;
    return this.#trimmedThrough;
  }

  /**
   * Keeps the newest `retention` messages, deleting in batches of 1% so a
   * busy room does not delete on every send. A trimmed message takes its
   * events with it, and the highest seq removed is kept, so that a resume
   * from below it is known to be truncated. Returns how many messages remain.
   */
  #trim(count: number): number {
    if (count <= this.#retention + this.#trimSlack) return count;
    const keepFrom = this.#sql
      .exec<{ seq: number }>("SELECT seq FROM messages ORDER BY seq DESC LIMIT 1 OFFSET ?", this.#retention - 1)
      .one().seq;
    const removed = Math.max(
      this.#sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM messages WHERE seq < ?", keepFrom).one()
        .seq ?? 0,
      this.#sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events WHERE target < ?", keepFrom).one()
        .seq ?? 0,
    );
    this.#index.trimBelow(keepFrom);
    this.#sql.exec("DELETE FROM messages WHERE seq < ?", keepFrom);
    this.#sql.exec("DELETE FROM events WHERE target < ?", keepFrom);
    this.#sql.exec("DELETE FROM reactions WHERE target < ?", keepFrom);
    this.#sql.exec("DELETE FROM reaction_totals WHERE target < ?", keepFrom);
    const trimmedThrough = Math.max(this.#trimmed(), removed);
    this.#sql.exec(
      `INSERT INTO log_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      TRIMMED_THROUGH,
      trimmedThrough,
    );
    this.#trimmedThrough = trimmedThrough;
    return this.#retention;
  }
}

/** A settings, moderation or call event as stored: its fields are the detail, which only the room wrote. */
function roomEventOf(row: EventRow, user: User): SettingsEventFrame | ModerationEventFrame | CallEventFrame {
  const fields: unknown = JSON.parse(row.detail ?? "{}");
  const head = { seq: row.seq, ts: row.ts };
  if (row.kind === EVENT_KIND.call) {
    return {
      type: SERVER_FRAME.call,
      ...head,
      user,
      ...(fields as Omit<CallEventFrame, "type" | "seq" | "ts" | "user">),
    };
  }
  if (row.kind === EVENT_KIND.settings) {
    const by = row.user_id === "" ? {} : { user };
    return {
      type: SERVER_FRAME.settings,
      ...head,
      ...by,
      ...(fields as Pick<SettingsEventFrame, "settings" | "changed">),
    };
  }
  return { type: SERVER_FRAME.moderation, ...head, user, ...(fields as Pick<ModerationEventFrame, "action">) };
}

/** A moderator's reason for a deletion, as its event carries it. */
function reasonOf(row: EventRow): { reason?: string } {
  if (row.detail === null) return {};
  const { reason } = JSON.parse(row.detail) as DeletionDetail;
  return reason === undefined ? {} : { reason };
}

function isMessageRow(row: MessageRow | EventRow): row is MessageRow {
  return "client_id" in row;
}

/** Two seq-ordered lists as one, in seq order. */
function mergeBySeq(messages: MessageRow[], events: EventRow[]): (MessageRow | EventRow)[] {
  const merged: (MessageRow | EventRow)[] = [];
  let m = 0;
  let e = 0;
  while (m < messages.length || e < events.length) {
    const message = messages[m];
    const event = events[e];
    if (message !== undefined && (event === undefined || message.seq < event.seq)) {
      merged.push(message);
      m++;
    } else if (event !== undefined) {
      merged.push(event);
      e++;
    }
  }
  return merged;
}

function ackOf(id: string, seq: number, ts: number): StoredAck {
  return { type: SERVER_FRAME.ack, id, seq, ts };
}

function unchanged(id: string): Outcome {
  return { ok: true, ack: { type: SERVER_FRAME.ack, id, unchanged: true }, event: null };
}

function notFound(id: string, seq: number): { ok: false; refusal: Refusal } {
  const message = `no retained message with seq ${seq}, or it was deleted`;
  return { ok: false, refusal: { code: ERROR_CODE.notFound, message, id } };
}

function forbidden(id: string, action: "edit" | "delete"): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { code: ERROR_CODE.forbidden, message: `only its author may ${action} a message`, id } };
}

function assertNever(_frame: never): never {
  throw new Error("an event frame type without a handler");
}
