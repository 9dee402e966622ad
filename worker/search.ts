/**
 * Full-text search of a room's messages, in the room's own SQLite: an FTS5
 * index beside the messages, written in the same transaction as each send,
 * edit, deletion and trim, so it never disagrees with them. What FTS5
 * indexes is the text segmented here: words of spaced scripts as they are,
 * every character of a script written without spaces as a word of its own
 * (so a two-character word is found as two characters in a row), and each
 * emoji as a word. A query goes through the same segmentation and becomes
 * quoted terms only: nothing a person types is FTS5 syntax.
 */

/** Scripts written without spaces between words. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const EMOJI = /\p{Extended_Pictographic}/u;

/** One word of a text: how it is indexed, and where it stands, in code points. */
interface Token {
  kind: "word" | "char" | "emoji";
  /** The code points it covers. */
  chars: string[];
  start: number;
  end: number;
}

/** The words of a text in order, with their code-point offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let word: Token | null = null;
  let index = 0;
  for (const char of text) {
    const last = tokens.at(-1);
    if (MARK.test(char) && last !== undefined && last.kind !== "emoji" && last.end === index) {
      // A mark belongs to the character before it, in any script.
      last.chars.push(char);
      last.end = index + 1;
    } else if (UNSPACED.test(char)) {
      word = null;
      tokens.push({ kind: "char", chars: [char], start: index, end: index + 1 });
    } else if (WORD_CHAR.test(char)) {
      if (word === null || word.end !== index) {
        word = { kind: "word", chars: [], start: index, end: index };
        tokens.push(word);
      }
      word.chars.push(char);
      word.end = index + 1;
    } else {
      word = null;
      if (EMOJI.test(char)) tokens.push({ kind: "emoji", chars: [char], start: index, end: index + 1 });
    }
    index++;
  }
  return tokens;
}

/** What FTS5 indexes for a token: the word itself, or an emoji's code point as a word of letters and digits. */
function indexed(token: Token): string {
  if (token.kind !== "emoji") return token.chars.join("");
  return `emoji${(token.chars[0]?.codePointAt(0) ?? 0).toString(16)}`;
}

/**
 * Whether a text needs segmenting before FTS5 reads it: it holds a character
 * of an unspaced script, an emoji or a combining mark. Most messages do not,
 * and FTS5's own tokenizer then splits them exactly as `tokenize` would.
 */
const NEEDS_SEGMENTING = new RegExp(`${UNSPACED.source}|\\p{Extended_Pictographic}|\\p{M}`, "u");

/** The text as FTS5 is given it: its tokens, separated by spaces. */
export function indexText(text: string): string {
  if (!NEEDS_SEGMENTING.test(text)) return text;
  return tokenize(text).map(indexed).join(" ");
}

/** A word of a query: a prefix of a word, a run of characters of an unspaced script, or an emoji. */
interface QueryTerm {
  kind: "prefix" | "run" | "emoji";
  /** The folded forms it matches, one per token. */
  folded: string[];
  /** The FTS5 expression for it: a quoted string, a prefix query or a phrase. */
  match: string;
}

/** The terms of a query; none when it holds no letter, digit or emoji. */
export function queryTerms(q: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  let run: Token[] = [];
  const endRun = () => {
    if (run.length === 0) return;
    const words = run.map(indexed);
    terms.push({ kind: "run", folded: run.map(fold), match: quote(words.join(" ")) });
    run = [];
  };
  let previousEnd = -1;
  for (const token of tokenize(q)) {
    if (token.kind === "char") {
      if (token.start !== previousEnd) endRun();
      run.push(token);
    } else {
      endRun();
      const match = token.kind === "word" ? `${quote(indexed(token))}*` : quote(indexed(token));
      terms.push({ kind: token.kind === "word" ? "prefix" : "emoji", folded: [fold(token)], match });
    }
    previousEnd = token.end;
  }
  endRun();
  return terms;
}

/** The FTS5 MATCH expression of the terms: every one must match. */
export function matchExpression(terms: readonly QueryTerm[]): string {
  return terms.map((term) => term.match).join(" AND ");
}

/**
 * Where the terms matched in `text`, as code-point ranges `[start, end)` in
 * text order: the matched prefix of a word, or the characters of a run.
 */
export function highlights(text: string, terms: readonly QueryTerm[]): [number, number][] {
  const tokens = tokenize(text);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    if (term.kind === "run") {
      for (let i = 0; i + term.folded.length <= tokens.length; i++) {
        const window = tokens.slice(i, i + term.folded.length);
        if (
          window.every((token, k) => token.kind === "char" && fold(token) === term.folded[k] && contiguous(window, k))
        ) {
          ranges.push([window[0]?.start ?? 0, window.at(-1)?.end ?? 0]);
        }
      }
      continue;
    }
    const wanted = term.folded[0] ?? "";
    for (const token of tokens) {
      if (term.kind === "emoji" ? token.kind === "emoji" && fold(token) === wanted : token.kind === "word") {
        const end = term.kind === "emoji" ? token.end : prefixEnd(token, wanted);
        if (end !== null) ranges.push([token.start, end]);
      }
    }
  }
  return merge(ranges);
}

function contiguous(window: readonly Token[], k: number): boolean {
  return k === 0 || window[k - 1]?.end === window[k]?.start;
}

/** Where the prefix `wanted` (folded) of a word ends in its code points, or null when the word does not start with it. */
function prefixEnd(token: Token, wanted: string): number | null {
  let folded = "";
  for (const [k, char] of token.chars.entries()) {
    if (folded.length >= wanted.length) return folded.startsWith(wanted) ? token.start + k : null;
    folded += foldChar(char);
  }
  return folded.startsWith(wanted) ? token.end : null;
}

/** A token as matching compares it: lower case, without diacritics, as the index does. */
function fold(token: Token): string {
  return token.kind === "emoji" ? indexed(token) : token.chars.map(foldChar).join("");
}

function foldChar(char: string): string {
  return char.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Sorted, overlapping ranges merged. */
function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** Messages stored unindexed before a send indexes them all in one go; a search first indexes what is left. */
const INDEX_BATCH = 64;
const INDEXED_THROUGH = "indexed_through";

/**
 * The room's search index: one FTS5 row per message that is not deleted,
 * its rowid the message's seq; a contentless index without per-row sizes,
 * so a message costs the index no row of its own. FTS5 pays a fixed cost per transaction that
 * writes to it, so new messages are indexed in batches: a send indexes the
 * messages since the last batch once there are INDEX_BATCH of them, and a
 * search indexes whatever is left before it reads, so it always sees every
 * message. Edits and deletions of indexed messages change the index at once.
 */
export class SearchIndex {
  readonly #sql: SqlStorage;
  /** The highest message seq the index has taken in (indexed, or skipped as deleted). */
  #indexedThrough: number | undefined;
  /** Messages stored since, when known. */
  #pending: number | undefined;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** A message was stored: indexes the batch it completes. */
  stored(seq: number): void {
    this.#pending = (this.#pending ?? this.#countPending(seq)) + 1;
    if (this.#pending >= INDEX_BATCH) this.catchUp();
  }

  /**
   * A message's text changed from `before` to `after` (null: it was
   * deleted); one not indexed yet is indexed later as it is then.
   */
  changed(seq: number, before: string, after: string | null): void {
    if (seq > this.#through()) return;
    this.#remove(seq, before);
    if (after !== null) this.#add(seq, after);
  }

  /** Forgets the messages below `seq` before retention trims them (it needs their text to). */
  trimBelow(seq: number): void {
    const indexed = this.#sql
      .exec<{ seq: number; text: string }>(
        "SELECT seq, text FROM messages WHERE seq < ? AND seq <= ? AND deleted = 0",
        seq,
        this.#through(),
      )
      .toArray();
    for (const row of indexed) this.#remove(row.seq, row.text);
  }

  /** The seqs of up to `limit` messages matching every term, newest first, below `before`; and whether more match. */
  find(terms: readonly QueryTerm[], before: number, limit: number): { seqs: number[]; hasMore: boolean } {
    if (terms.length === 0) return { seqs: [], hasMore: false };
    this.catchUp();
    const seqs = this.#sql
      .exec<{ seq: number }>(
        "SELECT rowid AS seq FROM message_search WHERE message_search MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?",
        matchExpression(terms),
        before,
        limit + 1,
      )
      .toArray()
      .map((row) => row.seq);
    const hasMore = seqs.length > limit;
    return { seqs: hasMore ? seqs.slice(0, limit) : seqs, hasMore };
  }

  /** Indexes every message stored since the last batch, in one write to the index. */
  catchUp(): void {
    const through = this.#through();
    const rows = this.#sql
      .exec<{ seq: number; text: string; deleted: number }>(
        "SELECT seq, text, deleted FROM messages WHERE seq > ? ORDER BY seq",
        through,
      )
      .toArray();
    this.#pending = 0;
    const last = rows.at(-1);
    if (last === undefined) return;
    for (const row of rows) if (row.deleted === 0) this.#add(row.seq, row.text);
    this.#sql.exec(
      "INSERT INTO log_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      INDEXED_THROUGH,
      last.seq,
    );
    this.#indexedThrough = last.seq;
  }

  #add(seq: number, text: string): void {
    this.#sql.exec("INSERT INTO message_search (rowid, body) VALUES (?, ?)", seq, indexText(text));
  }

  /**
   * The index keeps no copy of the text (nothing but the messages holds
   * it), so a row is removed by giving FTS5 the text it indexed.
   */
  #remove(seq: number, text: string): void {
    this.#sql.exec(
      "INSERT INTO message_search (message_search, rowid, body) VALUES ('delete', ?, ?)",
      seq,
      indexText(text),
    );
  }

  #through(): number {
    this.#indexedThrough ??=
      this.#sql.exec<{ value: number }>("SELECT value FROM log_state WHERE name = ?", INDEXED_THROUGH).toArray()[0]
        ?.value ?? 0;
    return this.#indexedThrough;
  }

  /** Messages stored after the index's last batch, before the one at `seq` (counted once per wake). */
  #countPending(seq: number): number {
    return this.#sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE seq > ? AND seq < ?", this.#through(), seq)
      .one().n;
  }
}
