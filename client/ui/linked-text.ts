import { el } from "./dom.ts";

/** A piece of message text: plain text, or an http(s) link with the address it opens. */
export type TextPiece = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

/** Where a link may start; everything else (javascript:, data:, vbscript:, ...) stays text. */
const LINK_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/giu;
/** Punctuation that ends a sentence rather than an address: "see https://example.com." */
const TRAILING_PUNCTUATION = new Set([".", ",", ";", ":", "!", "?", "'", '"']);

/** Splits text into plain pieces and http(s) links, in order; joined back together they are the text. */
export function splitLinks(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let done = 0;
  for (const match of text.matchAll(LINK_CANDIDATE)) {
    const candidate = trimTrailing(match[0]);
    const href = httpHref(candidate);
    if (href === null) continue;
    if (match.index > done) pieces.push({ kind: "text", text: text.slice(done, match.index) });
    pieces.push({ kind: "link", text: candidate, href });
    done = match.index + candidate.length;
  }
  if (done < text.length) pieces.push({ kind: "text", text: text.slice(done) });
  return pieces;
}

/** The text as nodes: text nodes, and anchors that open in a new tab without handing it this page. */
export function linkedText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const piece of splitLinks(text)) {
    if (piece.kind === "text") {
      fragment.append(piece.text);
    } else {
      const link = el("a", "", piece.text);
      link.href = piece.href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      fragment.append(link);
    }
  }
  return fragment;
}

/** Drops trailing punctuation, and closing brackets that close nothing opened inside the address. */
function trimTrailing(candidate: string): string {
  let end = candidate.length;
  while (end > 0) {
    const last = candidate.charAt(end - 1);
    const kept = candidate.slice(0, end);
    const unbalanced =
      (last === ")" && count(kept, "(") < count(kept, ")")) || (last === "]" && count(kept, "[") < count(kept, "]"));
    if (!TRAILING_PUNCTUATION.has(last) && !unbalanced) break;
    end--;
  }
  return candidate.slice(0, end);
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** The address as the browser will open it, only if it really is http(s) with a host. */
function httpHref(candidate: string): string | null {
  if (!URL.canParse(candidate)) return null;
  const url = new URL(candidate);
  const isHttp = url.protocol === "http:" || url.protocol === "https:";
  return isHttp && url.hostname !== "" ? url.href : null;
}
