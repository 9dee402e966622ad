/**
 * Message text as a small typed tree, which rich-text-dom.ts turns into
 * nodes. This file reads the blocks, line by line: paragraphs (their line
 * breaks kept), fenced code blocks (verbatim), `> ` quotes, `- ` or `* `
 * lists and `1. ` lists; rich-text-inline.ts reads the formatting inside
 * paragraphs and list items. Nothing here reads markup: `<b>` is three
 * characters of text. A fence that never closes stays text, and quotes
 * nested deeper than MAX_NESTING are shown as typed.
 */

import { type Inline, MAX_NESTING, type Mention, parseInline } from "./rich-text-inline.ts";

export type { Inline, Mention };

/** A paragraph, a code block, a quote or a list; a message is a sequence of them. */
export type Block =
  | { kind: "paragraph"; content: Inline[] }
  | { kind: "code"; language: string; text: string }
  | { kind: "quote"; blocks: Block[] }
  | { kind: "list"; ordered: boolean; start: number; items: Inline[][] };

/** The text as blocks; `mentions` are the names that `@name` marks, the longest taking precedence. */
export function parseRichText(text: string, mentions: readonly Mention[] = []): Block[] {
  const names = mentions.filter((mention) => mention.name !== "").sort((a, b) => b.name.length - a.name.length);
  return parseBlocks(text.split(/\r?\n/u), 0, names);
}

const FENCE_OPEN = /^```+[ \t]*([^\s`]*)\s*$/u;
const FENCE_CLOSE = /^```+\s*$/u;
const QUOTE_LINE = /^ {0,3}>(?: |$)(.*)$/u;
const BULLET_ITEM = /^ {0,3}[-*] +(\S.*)$/u;
const NUMBERED_ITEM = /^ {0,3}(\d{1,9})\. +(\S.*)$/u;
const BLANK = /^\s*$/u;

function parseBlocks(lines: readonly string[], depth: number, mentions: readonly Mention[]): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = (): void => {
    const first = paragraph.findIndex((line) => !BLANK.test(line));
    const last = paragraph.findLastIndex((line) => !BLANK.test(line));
    const text = paragraph.slice(first, last + 1).join("\n");
    if (first !== -1) blocks.push({ kind: "paragraph", content: parseInline(text, mentions) });
    paragraph = [];
  };
  // A fence opens a block only when a closing fence follows; looked up once, so unclosed fences cost no rescans.
  const lastFence = lines.findLastIndex((line) => FENCE_CLOSE.test(line));
  let index = 0;
  while (index < lines.length) {
    const found = fencedCode(lines, index, lastFence) ?? quoteOrList(lines, index, depth, mentions);
    if (found === null) {
      paragraph.push(lines[index] ?? "");
      index++;
    } else {
      endParagraph();
      blocks.push(found.block);
      index += found.lines;
    }
  }
  endParagraph();
  return blocks;
}

/** A block found at a line, and how many lines it takes. */
type Found = { block: Block; lines: number } | null;

function fencedCode(lines: readonly string[], index: number, lastFence: number): Found {
  const fence = FENCE_OPEN.exec(lines[index] ?? "");
  if (fence === null || index >= lastFence) return null;
  let end = index + 1;
  while (!FENCE_CLOSE.test(lines[end] ?? "```")) end++;
  const text = lines.slice(index + 1, end).join("\n");
  return { block: { kind: "code", language: fence[1] ?? "", text }, lines: end + 1 - index };
}

function quoteOrList(lines: readonly string[], index: number, depth: number, mentions: readonly Mention[]): Found {
  const quote = depth < MAX_NESTING ? runOf(lines, index, QUOTE_LINE) : [];
  if (quote.length > 0) {
    return {
      block: { kind: "quote", blocks: parseBlocks(quote.map(lastGroup), depth + 1, mentions) },
      lines: quote.length,
    };
  }
  const bullets = runOf(lines, index, BULLET_ITEM);
  const numbers = bullets.length > 0 ? [] : runOf(lines, index, NUMBERED_ITEM);
  const items = bullets.length > 0 ? bullets : numbers;
  if (items.length === 0) return null;
  const ordered = numbers.length > 0;
  const start = ordered ? Number(numbers[0]?.[1]) : 1;
  const content = items.map((item) => parseInline(lastGroup(item), mentions));
  return { block: { kind: "list", ordered, start, items: content }, lines: items.length };
}

/** The consecutive lines from `from` on that match `pattern`, as matches. */
function runOf(lines: readonly string[], from: number, pattern: RegExp): RegExpExecArray[] {
  const run: RegExpExecArray[] = [];
  for (let index = from; index < lines.length; index++) {
    const match = pattern.exec(lines[index] ?? "");
    if (match === null) break;
    run.push(match);
  }
  return run;
}

function lastGroup(match: RegExpExecArray): string {
  return match.at(-1) ?? "";
}
