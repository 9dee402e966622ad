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
    if (MARK.test(char) && (word !== null || last?.kind === "char") && last !== undefined && last.end === index) {
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

/** The text as FTS5 is given it: its tokens, separated by spaces. */
export function indexText(text: string): string {
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

/** The room's search index: one FTS5 row per message that is not deleted, its rowid the message's seq. */
export class SearchIndex {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  add(seq: number, text: string): void {
    this.#sql.exec("INSERT INTO message_search (rowid, body) VALUES (?, ?)", seq, indexText(text));
  }

  replace(seq: number, text: string): void {
    this.remove(seq);
    this.add(seq, text);
  }

  remove(seq: number): void {
    this.#sql.exec("DELETE FROM message_search WHERE rowid = ?", seq);
  }

  /** Forgets every message below `seq`, as retention trims them. */
  trimBelow(seq: number): void {
    this.#sql.exec("DELETE FROM message_search WHERE rowid < ?", seq);
  }

  /** The seqs of up to `limit` messages matching every term, newest first, below `before`; and whether more match. */
  find(terms: readonly QueryTerm[], before: number, limit: number): { seqs: number[]; hasMore: boolean } {
    if (terms.length === 0) return { seqs: [], hasMore: false };
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

  /** Indexes every message that is not deleted: once, when a room made before search first starts. */
  static backfill(sql: SqlStorage): void {
    const index = new SearchIndex(sql);
    for (const row of sql
      .exec<{ seq: number; text: string }>("SELECT seq, text FROM messages WHERE deleted = 0")
      .toArray()) {
      index.add(row.seq, row.text);
    }
  }
}
