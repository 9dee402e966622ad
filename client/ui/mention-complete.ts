import { FRAME_LIMITS } from "../../protocol/frames.ts";
import { el } from "./dom.ts";

/** Someone who can be mentioned: the room's user id and the display name shown for them. */
export interface MentionCandidate {
  readonly id: string;
  readonly name: string;
}

/** An `@query` being typed: `start` is the index of the `@`, `end` the caret's. */
export interface MentionQuery {
  readonly start: number;
  readonly end: number;
  /** What follows the `@`, up to the caret; empty right after the `@`. */
  readonly query: string;
}

export interface MentionTracker {
  /** The ids of the people accepted from the list whose `@Name` is still in `text`, each once, at most MAX_MENTIONS. */
  mentions(text: string): string[];
  /** Forgets the accepted mentions, once their message is sent. */
  clear(): void;
}

/** Suggestions shown at once. */
export const MAX_SUGGESTIONS = 8;
/** Mentions reported for one message: as many as the room accepts. */
export const MAX_MENTIONS = FRAME_LIMITS.maxMentions;

/**
 * What may come right before an `@` that starts a mention: nothing, a space,
 * or an opening bracket or quote. Anything else (`ana@example.com`) is not
 * a mention.
 */
const BEFORE_MENTION = /[\s\p{Ps}\p{Pi}"']/u;
/** A character that would continue a name: `@Ana` is not in `@Anabel`. */
const NAME_CHARACTER = /[\p{L}\p{M}\p{N}\p{Pc}]/u;
/** `@` and up to a name's length of non-space characters, ending at the caret (the text is cut there). */
const QUERY_AT_END = new RegExp(`@([^\\s@]{0,${FRAME_LIMITS.maxNameLength}})$`, "u");

/** The `@query` that ends at the caret, or null when the caret is not right after one. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const match = QUERY_AT_END.exec(text.slice(0, caret));
  if (match === null) return null;
  const query = match[1] ?? "";
  const start = match.index;
  return isWordStart(text, start) ? { start, end: start + 1 + query.length, query } : null;
}

/**
 * The candidates worth suggesting for a query, best first, case-insensitive:
 * names that start with it, then names with a word that starts with it, then
 * names that contain it. Ties keep the order the candidates came in, so the
 * caller decides who comes first among equals. Each id appears once.
 */
export function rankCandidates<T extends MentionCandidate>(
  candidates: readonly T[],
  query: string,
  limit = MAX_SUGGESTIONS,
): T[] {
  const wanted = query.toLowerCase();
  const seen = new Set<string>();
  const ranked: { candidate: T; rank: number }[] = [];
  for (const candidate of candidates) {
    if (seen.has(candidate.id)) continue;
    seen.add(candidate.id);
    const name = candidate.name.toLowerCase();
    const rank = name.startsWith(wanted)
      ? 0
      : name.split(/\s+/).some((word) => word.startsWith(wanted))
        ? 1
        : name.includes(wanted)
          ? 2
          : null;
    if (rank !== null) ranked.push({ candidate, rank });
  }
  // Array.prototype.sort is stable, so equal ranks keep the callers' order.
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, Math.max(0, limit))
    .map(({ candidate }) => candidate);
}

/** The ids, each once and at most MAX_MENTIONS, of the accepted mentions whose `@Name` is in `text` as a whole word. */
export function mentionedIds(text: string, accepted: readonly MentionCandidate[]): string[] {
  const ids: string[] = [];
  for (const { id, name } of accepted) {
    if (ids.length === MAX_MENTIONS) break;
    if (!ids.includes(id) && mentionsName(text, name)) ids.push(id);
  }
  return ids;
}

function mentionsName(text: string, name: string): boolean {
  const mention = `@${name}`;
  for (let at = text.indexOf(mention); at !== -1; at = text.indexOf(mention, at + 1)) {
    const after = text.slice(at + mention.length).codePointAt(0);
    const continues = after !== undefined && NAME_CHARACTER.test(String.fromCodePoint(after));
    if (isWordStart(text, at) && !continues) return true;
  }
  return false;
}

function isWordStart(text: string, at: number): boolean {
  return at === 0 || BEFORE_MENTION.test(text.charAt(at - 1));
}

/** Keys that move the caret without typing: the list follows the caret to, or away from, an `@`. */
const CARET_KEYS = new Set(["ArrowLeft", "ArrowRight", "Home", "End"]);

let lists = 0;

/**
 * Suggests people to mention while an `@name` is typed in the message box.
 * The list shows up to MAX_SUGGESTIONS of `candidates()` (asked afresh each
 * time, so it follows who is in the room); Up and Down move through it,
 * Enter or Tab accepts, a click accepts, Escape closes it until the caret
 * leaves that `@`. Accepting writes `@Name ` in place of what was typed and
 * remembers who was meant, for `mentions()`.
 *
 * The textarea keeps its own role (ARIA in HTML allows no other on a
 * textarea) and gets the combobox's states: `aria-autocomplete`,
 * `aria-expanded`, `aria-controls` and `aria-activedescendant`, so that a
 * screen reader follows the highlighted option while the focus stays in the
 * box. The list is inserted after the textarea and overlays what is above
 * its parent (pickers.css).
 */
export function attachMentionComplete(
  textarea: HTMLTextAreaElement,
  candidates: () => readonly MentionCandidate[],
): MentionTracker {
  return new MentionComplete(textarea, candidates);
}

class MentionComplete implements MentionTracker {
  readonly #textarea: HTMLTextAreaElement;
  readonly #candidates: () => readonly MentionCandidate[];
  readonly #list: HTMLUListElement;
  readonly #accepted: MentionCandidate[] = [];
  /** The query the list shows suggestions for; null while it is closed. */
  #query: MentionQuery | null = null;
  #shown: readonly MentionCandidate[] = [];
  #active = 0;
  /** The `@` whose list was closed with Escape: it stays closed while the caret is in that mention. */
  #dismissedAt: number | null = null;

  constructor(textarea: HTMLTextAreaElement, candidates: () => readonly MentionCandidate[]) {
    this.#textarea = textarea;
    this.#candidates = candidates;
    lists += 1;
    this.#list = el("ul", "mention-list");
    this.#list.id = `mention-list-${lists}`;
    this.#list.setAttribute("role", "listbox");
    this.#list.ariaLabel = "People to mention";
    this.#list.hidden = true;
    textarea.after(this.#list);
    textarea.ariaAutoComplete = "list";
    textarea.ariaExpanded = "false";
    textarea.setAttribute("aria-controls", this.#list.id);

    // The composer sends on Enter from its own keydown listener on this
    // textarea. A capture listener on the target runs before the bubbling
    // ones there (DOM Standard, "inner invoke": capturing listeners first),
    // so stopping the event here keeps Enter from sending while the list is
    // open, whichever listener was added first.
    textarea.addEventListener("keydown", (event) => this.#onKeydown(event), { capture: true });
    textarea.addEventListener("input", () => this.#update());
    textarea.addEventListener("click", () => this.#update());
    textarea.addEventListener("keyup", (event) => {
      if (CARET_KEYS.has(event.key)) this.#update();
    });
    textarea.addEventListener("blur", () => this.#close());
    // Pressing an option must not take the focus from the textarea, which would close the list before the click.
    this.#list.addEventListener("pointerdown", (event) => event.preventDefault());
  }

  mentions(text: string): string[] {
    return mentionedIds(text, this.#accepted);
  }

  clear(): void {
    this.#accepted.length = 0;
  }

  #onKeydown(event: KeyboardEvent): void {
    if (this.#query === null || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case "ArrowDown":
        this.#highlight((this.#active + 1) % this.#shown.length);
        break;
      case "ArrowUp":
        this.#highlight((this.#active - 1 + this.#shown.length) % this.#shown.length);
        break;
      case "Enter":
      case "Tab":
        if (event.shiftKey) return;
        this.#accept(this.#active);
        break;
      case "Escape":
        this.#dismissedAt = this.#query.start;
        this.#close();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  #update(): void {
    const { value, selectionStart, selectionEnd } = this.#textarea;
    const query = selectionStart === selectionEnd ? mentionQueryAt(value, selectionStart) : null;
    if (query === null) this.#dismissedAt = null;
    const shown =
      query === null || query.start === this.#dismissedAt ? [] : rankCandidates(this.#candidates(), query.query);
    if (query === null || shown.length === 0) {
      this.#close();
      return;
    }
    const highlighted = this.#shown[this.#active]?.id;
    this.#query = query;
    this.#shown = shown;
    this.#active = Math.max(
      0,
      shown.findIndex((candidate) => candidate.id === highlighted),
    );
    this.#render();
  }

  #render(): void {
    const options = this.#shown.map((candidate, index) => {
      const option = el("li", "mention-option", candidate.name);
      option.id = `${this.#list.id}-${index}`;
      option.setAttribute("role", "option");
      option.addEventListener("click", () => this.#accept(index));
      option.addEventListener("pointermove", () => this.#highlight(index));
      return option;
    });
    this.#list.replaceChildren(...options);
    this.#list.hidden = false;
    this.#textarea.ariaExpanded = "true";
    this.#highlight(this.#active);
  }

  #highlight(index: number): void {
    this.#active = index;
    const options = [...this.#list.children];
    for (const [at, option] of options.entries()) option.ariaSelected = String(at === index);
    const option = options[index];
    if (!(option instanceof HTMLElement)) return;
    this.#textarea.setAttribute("aria-activedescendant", option.id);
    // Scrolls the list alone: scrollIntoView could scroll the page too.
    const list = this.#list;
    if (option.offsetTop < list.scrollTop) list.scrollTop = option.offsetTop;
    const bottom = option.offsetTop + option.offsetHeight;
    if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
  }

  #accept(index: number): void {
    const candidate = this.#shown[index];
    const query = this.#query;
    if (candidate === undefined || query === null) return;
    const textarea = this.#textarea;
    const mention = `@${candidate.name}`;
    // One space after the name, unless the text already has one there: the caret goes after it either way.
    const spaced = /^\s/u.test(textarea.value.slice(query.end));
    textarea.setRangeText(spaced ? mention : `${mention} `, query.start, query.end, "end");
    if (spaced) textarea.setSelectionRange(textarea.selectionEnd + 1, textarea.selectionEnd + 1);
    if (!this.#accepted.some(({ id, name }) => id === candidate.id && name === candidate.name)) {
      this.#accepted.push({ id: candidate.id, name: candidate.name });
    }
    this.#close();
    // Programmatic edits fire no input event; the composer's typing signal, and any other listener, should see this one.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  #close(): void {
    this.#query = null;
    this.#shown = [];
    this.#active = 0;
    this.#list.hidden = true;
    this.#list.replaceChildren();
    this.#textarea.ariaExpanded = "false";
    this.#textarea.removeAttribute("aria-activedescendant");
  }
}
