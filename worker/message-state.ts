/**
 * Messages in their current state, read from the room's SQLite: a message's
 * row holds what it says now (its text, mentions, edit time, deletion), and
 * its reactions are kept as one aggregate row per (message, emoji), so a page
 * of 50 messages costs one range read of messages, one range read of
 * reaction totals and, when it holds replies, one read of the originals.
 * Mentioned users get their names as the room knows them now.
 */
import { FRAME_LIMITS, type Message, type Reaction, type ReplyPreview, type User } from "../protocol/frames.ts";
import { guestName, type UserDirectory } from "./users.ts";

export interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  client_id: string;
  user_id: string;
  user_name: string;
  text: string;
  ts: number;
  reply_to: number | null;
  reply_user_id: string | null;
  reply_user_name: string | null;
  /** JSON array of user ids, or null for none. */
  mentions: string | null;
  edited_at: number | null;
  deleted: number;
}

export const MESSAGE_COLUMNS =
  "seq, client_id, user_id, user_name, text, ts, reply_to, reply_user_id, reply_user_name, mentions, edited_at, deleted";

/** SQLite's bound-parameter limit is well above this; a read of many seqs goes in slices of it. */
const SEQS_PER_READ = 90;

export class MessageState {
  readonly #sql: SqlStorage;
  readonly #users: UserDirectory;

  constructor(sql: SqlStorage, users: UserDirectory) {
    this.#sql = sql;
    this.#users = users;
  }

  /** The rows of the messages with these seqs, by seq; seqs that are not retained messages are absent. */
  rowsBySeq(seqs: Iterable<number>): Map<number, MessageRow> {
    const wanted = [...new Set(seqs)];
    const rows = new Map<number, MessageRow>();
    for (let start = 0; start < wanted.length; start += SEQS_PER_READ) {
      const slice = wanted.slice(start, start + SEQS_PER_READ);
      const query = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq IN (${slice.map(() => "?").join(", ")})`;
      for (const row of this.#sql.exec<MessageRow>(query, ...slice)) rows.set(row.seq, row);
    }
    return rows;
  }

  /** The rows as messages in their current state, in the order given. */
  messages(rows: readonly MessageRow[]): Message[] {
    if (rows.length === 0) return [];
    const seqs = rows.map((row) => row.seq);
    const reactions = this.#reactions(Math.min(...seqs), Math.max(...seqs));
    const replied = rows.flatMap((row) => (row.reply_to === null ? [] : [row.reply_to]));
    const originals = replied.length === 0 ? new Map<number, MessageRow>() : this.rowsBySeq(replied);
    return rows.map((row) => this.#message(row, reactions.get(row.seq), originals));
  }

  /** A message just stored, without a read: it has no reactions yet, and the message it answers is at hand. */
  justStored(row: MessageRow, original: MessageRow | undefined): Message {
    const originals = new Map(original === undefined ? [] : [[original.seq, original]]);
    return this.#message(row, undefined, originals);
  }

  /** The mention ids of a row as users with their names of now. */
  mentionsOf(row: MessageRow): User[] {
    return idsOf(row.mentions).map((id) => ({ id, name: this.#users.lastName(id) ?? guestName(id) }));
  }

  #message(row: MessageRow, reactions: Reaction[] | undefined, originals: Map<number, MessageRow>): Message {
    const message: Message = {
      seq: row.seq,
      id: row.client_id,
      user: { id: row.user_id, name: row.user_name },
      text: row.text,
      ts: row.ts,
    };
    if (row.deleted !== 0) return { ...message, deleted: true };
    if (row.reply_to !== null) message.replyTo = replyPreview(row, originals.get(row.reply_to));
    const mentions = this.mentionsOf(row);
    if (mentions.length > 0) message.mentions = mentions;
    if (row.edited_at !== null) message.editedAt = row.edited_at;
    if (reactions !== undefined) message.reactions = reactions;
    return message;
  }

  /** The reactions of the messages from `first` to `last`, by message, each in the order its emoji was first added. */
  #reactions(first: number, last: number): Map<number, Reaction[]> {
    const byMessage = new Map<number, Reaction[]>();
    const rows = this.#sql.exec<{ target: number; emoji: string; count: number; users: string }>(
      `SELECT target, emoji, count, users FROM reaction_totals
       WHERE target BETWEEN ? AND ? ORDER BY target, first_seq`,
      first,
      last,
    );
    for (const row of rows) {
      const reaction: Reaction = { emoji: row.emoji, count: row.count, users: idsOf(row.users) };
      const list = byMessage.get(row.target);
      if (list === undefined) byMessage.set(row.target, [reaction]);
      else list.push(reaction);
    }
    return byMessage;
  }
}

/**
 * What a reply shows of the message it answers, as that message is now; the
 * author comes from the reply's own row, so an original trimmed by
 * retention still has one (and shows as deleted).
 */
function replyPreview(row: MessageRow, original: MessageRow | undefined): ReplyPreview {
  const seq = row.reply_to ?? 0;
  const user = { id: row.reply_user_id ?? "", name: row.reply_user_name ?? "" };
  if (original === undefined || original.deleted !== 0) return { seq, user, text: "", deleted: true };
  return { seq, user, text: firstCodePoints(original.text, FRAME_LIMITS.replyPreviewLength) };
}

function firstCodePoints(text: string, count: number): string {
  if (text.length <= count) return text;
  return Array.from(text).slice(0, count).join("");
}

/** A JSON array of user ids as stored; null is none. */
export function idsOf(json: string | null): string[] {
  if (json === null) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string") : [];
}
