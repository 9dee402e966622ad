/**
 * Inline formatting, within one paragraph or list item: **bold**, *italic*
 * or _italic_, ~~strike~~, `code`, http(s) links, bare or written
 * `[label](https://…)`, and @mentions. Text is read once, left to right,
 * into tokens (text, code, links, mentions, and the markers of emphasis);
 * markers are then paired with a stack, and the pairs become the tree.
 * Nothing is ever retried from an earlier position, so a hostile line (4,000
 * `*` or `[`) costs about as much as plain text.
 */

/** How deep emphasis and quotes may nest; markers deeper than this are shown as typed. */
export const MAX_NESTING = 8;

/** A run of text and the formatting it carries. */
export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "link"; text: string; href: string }
  | { kind: "mention"; text: string; id: string }
  | { kind: "strong" | "em" | "strike"; children: Inline[] };

/** A person the text may mention as `@name`. */
export interface Mention {
  id: string;
  name: string;
}

/** The emphasis each marker makes; a run of `*` is read as `**` and `*`, a `_` or `~~` only on its own. */
const EMPHASIS = { "**": "strong", "*": "em", _: "em", "~~": "strike" } as const;
type Marker = keyof typeof EMPHASIS;

/** A marker that may open or close emphasis; `partner` is the index of the marker it pairs with, once paired. */
interface Delimiter {
  kind: "delimiter";
  marker: Marker;
  canOpen: boolean;
  canClose: boolean;
  partner: number;
}
type Leaf = Extract<Inline, { text: string }>;
type Token = Leaf | Delimiter;

/** Inline formatting of one paragraph or list item: tokens first, then markers paired, then the tree. */
export function parseInline(text: string, mentions: readonly Mention[] = []): Inline[] {
  const tokens = tokenize(text, mentions);
  pairDelimiters(tokens);
  return buildTree(tokens);
}

/** Where a bare link may start; it ends at whitespace, quotes, angle brackets and invisible characters. */
const BARE_LINK = /https?:\/\/[^\s<>"'`\p{Cc}\p{Cf}]+/iuy;
/** `[label](address)`: a one-line label without brackets, then an address with balanced parentheses. */
const LABELLED_LINK = /\[([^[\]\n]*)\]\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)/uy;
/** An address to link may hold no spaces, angle brackets, control or invisible characters. */
const PLAIN_ADDRESS = /^[^\s<>\p{Cc}\p{Cf}]+$/u;
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;
const SPACE = /\s/u;

function tokenize(text: string, mentions: readonly Mention[]): Token[] {
  const tokens: Token[] = [];
  /** Backtick run lengths known to have no closing run further on. */
  const unclosedTicks = new Set<number>();
  let plainFrom = 0;
  let index = 0;
  const endPlain = (): void => {
    if (plainFrom < index) tokens.push({ kind: "text", text: text.slice(plainFrom, index) });
  };
  const emit = (end: number, ...found: Token[]): void => {
    endPlain();
    tokens.push(...found);
    index = plainFrom = end;
  };
  while (index < text.length) {
    const char = text.charAt(index);
    const before = text.charAt(index - 1);
    const atWordStart = !WORD_CHARACTER.test(before);
    if (char === "`") {
      const ticks = runLength(text, index, "`");
      const close = unclosedTicks.has(ticks) ? -1 : closingTicks(text, index + ticks, ticks);
      if (close === -1) {
        unclosedTicks.add(ticks);
        index += ticks;
      } else {
        emit(close + ticks, { kind: "code", text: trimCodeSpan(text.slice(index + ticks, close)) });
      }
    } else if (char === "[") {
      const match = stickyMatch(LABELLED_LINK, text, index);
      const [whole = "[", label = "", target = ""] = match ?? [];
      const href = label.trim() !== "" && PLAIN_ADDRESS.test(target) ? httpHref(target) : null;
      // An address that is not http(s) leaves the whole `[label](address)` as text, none of it formatted.
      if (href === null) index += whole.length;
      else emit(index + whole.length, { kind: "link", text: label, href });
    } else if ((char === "h" || char === "H") && atWordStart) {
      const candidate = stickyMatch(BARE_LINK, text, index)?.[0] ?? "";
      const address = trimTrailing(candidate);
      const href = httpHref(address);
      if (href === null) index += Math.max(candidate.length, 1);
      else emit(index + address.length, { kind: "link", text: address, href });
    } else if (char === "@" && atWordStart) {
      const mention = mentions.find(
        ({ name }) => text.startsWith(name, index + 1) && !WORD_CHARACTER.test(text.charAt(index + 1 + name.length)),
      );
      if (mention === undefined) index++;
      else emit(index + 1 + mention.name.length, { kind: "mention", text: `@${mention.name}`, id: mention.id });
    } else if (char === "*" || char === "_" || char === "~") {
      const length = runLength(text, index, char);
      const markers = delimiterRun(char, length, before, text.charAt(index + length));
      if (markers.length === 0) index += length;
      else emit(index + length, ...markers);
    } else {
      index++;
    }
  }
  endPlain();
  return tokens;
}

/** The match of a sticky pattern starting exactly at `index`. */
function stickyMatch(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  pattern.lastIndex = index;
  return pattern.exec(text);
}

function runLength(text: string, from: number, char: string): number {
  let end = from;
  while (text.charAt(end) === char) end++;
  return end - from;
}

/** Where a run of exactly `ticks` backticks starts at or after `from`, or -1. */
function closingTicks(text: string, from: number, ticks: number): number {
  const fence = "`".repeat(ticks);
  for (let at = text.indexOf(fence, from); at !== -1; at = text.indexOf(fence, from)) {
    const length = runLength(text, at, "`");
    if (length === ticks) return at;
    from = at + length;
  }
  return -1;
}

/** One space on each side is padding, so that `` ` `` can show a backtick. */
function trimCodeSpan(code: string): string {
  const padded = code.length > 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== "";
  return padded ? code.slice(1, -1) : code;
}

/**
 * The markers a run of `*`, `_` or `~` stands for. A run opens when text
 * follows it and closes when text precedes it; a `_` also needs a word
 * boundary, so snake_case stays as typed.
 */
function delimiterRun(char: string, length: number, before: string, after: string): Delimiter[] {
  const canOpen = after !== "" && !SPACE.test(after) && (char !== "_" || !WORD_CHARACTER.test(before));
  const canClose = before !== "" && !SPACE.test(before) && (char !== "_" || !WORD_CHARACTER.test(after));
  const delimiter = (marker: Marker): Delimiter => ({ kind: "delimiter", marker, canOpen, canClose, partner: -1 });
  if (char === "_") return length === 1 ? [delimiter("_")] : [];
  if (char === "~") return length === 2 ? [delimiter("~~")] : [];
  if (length === 1) return [delimiter("*")];
  if (length === 2) return [delimiter("**")];
  if (length > 3) return [];
  // `***x***` is bold italic: the opening run is `**` then `*`, the closing one `*` then `**`.
  return canOpen && !canClose ? [delimiter("**"), delimiter("*")] : [delimiter("*"), delimiter("**")];
}

/**
 * Pairs each closing marker with the nearest open one of the same kind;
 * markers left open in between stay text. Each marker enters and leaves the
 * stack once, and a count per kind spares a search that would find nothing.
 */
function pairDelimiters(tokens: readonly Token[]): void {
  const open: { at: number; delimiter: Delimiter }[] = [];
  const openCount = new Map<Marker, number>();
  const countOpen = (marker: Marker, change: number): void => {
    openCount.set(marker, (openCount.get(marker) ?? 0) + change);
  };
  tokens.forEach((token, at) => {
    if (token.kind !== "delimiter") return;
    if (token.canClose && (openCount.get(token.marker) ?? 0) > 0) {
      const top = open.findLastIndex((entry) => entry.delimiter.marker === token.marker);
      const opener = open[top];
      // Markers side by side would enclose nothing.
      if (opener !== undefined && opener.at !== at - 1) {
        opener.delimiter.partner = at;
        token.partner = opener.at;
        for (const dropped of open.splice(top)) countOpen(dropped.delimiter.marker, -1);
        return;
      }
    }
    if (token.canOpen) {
      open.push({ at, delimiter: token });
      countOpen(token.marker, 1);
    }
  });
}

/** The paired markers become nested nodes, at most MAX_NESTING deep; every other marker becomes text. */
function buildTree(tokens: readonly Token[]): Inline[] {
  const root: Inline[] = [];
  const open: { children: Inline[]; closesAt: number }[] = [];
  tokens.forEach((token, index) => {
    const children = open.at(-1)?.children ?? root;
    if (token.kind !== "delimiter") {
      appendLeaf(children, token);
    } else if (open.at(-1)?.closesAt === index) {
      open.pop();
    } else if (token.partner > index && open.length < MAX_NESTING) {
      const inside: Inline[] = [];
      children.push({ kind: EMPHASIS[token.marker], children: inside });
      open.push({ children: inside, closesAt: token.partner });
    } else {
      appendLeaf(children, { kind: "text", text: token.marker });
    }
  });
  return root;
}

/** Appends a leaf, joining text to the text before it. */
function appendLeaf(children: Inline[], leaf: Leaf): void {
  const last = children.at(-1);
  if (leaf.kind === "text" && last?.kind === "text") last.text += leaf.text;
  else children.push({ ...leaf });
}

/** Punctuation that ends a sentence rather than an address ("see https://example.com."), and emphasis markers. */
const TRAILING_PUNCTUATION = new Set([".", ",", ";", ":", "!", "?", "'", '"', "*", "_", "~"]);

/** Drops trailing punctuation, and closing brackets that close nothing opened inside the address. */
function trimTrailing(candidate: string): string {
  let parens = count(candidate, "(") - count(candidate, ")");
  let brackets = count(candidate, "[") - count(candidate, "]");
  let end = candidate.length;
  for (;;) {
    const last = candidate.charAt(end - 1);
    if (last === ")" && parens < 0) parens++;
    else if (last === "]" && brackets < 0) brackets++;
    else if (!TRAILING_PUNCTUATION.has(last)) break;
    end--;
  }
  return candidate.slice(0, end);
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** The address as the browser will open it, only if it is written as http(s)://host and parses as such. */
export function httpHref(address: string): string | null {
  if (!/^https?:\/\//iu.test(address) || !URL.canParse(address)) return null;
  const url = new URL(address);
  const isHttp = url.protocol === "http:" || url.protocol === "https:";
  return isHttp && url.hostname !== "" ? url.href : null;
}
