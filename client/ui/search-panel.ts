import type { SearchHit } from "../../protocol/frames.ts";
import type { RoomConnection } from "../sdk.ts";
import { el } from "./dom.ts";
import { fullTimeLabel, timeLabel } from "./format-time.ts";
import { isSearchShortcut } from "./on-demand.ts";

/** How long typing may pause before the query is searched. */
const DEBOUNCE_MS = 250;

/** A run of a hit's text, and whether the query matched it. */
export interface TextRun {
  text: string;
  match: boolean;
}

/**
 * A message's text cut into runs at the code-point ranges a search matched
 * (`[start, end)`, end exclusive). Ranges are taken in order; one that
 * overlaps the previous starts where it ended, and one beyond the text is
 * cut at its end.
 */
export function matchedRuns(text: string, highlights: readonly (readonly [number, number])[]): TextRun[] {
  const chars = Array.from(text);
  const runs: TextRun[] = [];
  const add = (from: number, to: number, match: boolean) => {
    if (to > from) runs.push({ text: chars.slice(from, to).join(""), match });
  };
  let at = 0;
  for (const [start, end] of [...highlights].sort((a, b) => a[0] - b[0])) {
    const from = Math.min(Math.max(start, at), chars.length);
    const to = Math.min(end, chars.length);
    add(at, from, false);
    add(from, to, true);
    at = Math.max(at, to);
  }
  add(at, chars.length, false);
  return runs;
}

export interface SearchElements {
  open: HTMLButtonElement;
  panel: HTMLElement;
  form: HTMLFormElement;
  input: HTMLInputElement;
  cancel: HTMLButtonElement;
  status: HTMLElement;
  results: HTMLUListElement;
  more: HTMLButtonElement;
}

/**
 * The search panel: the header's button, Ctrl/Cmd+K, or `/` outside a text
 * field open it. Results come as the reader types, a pause after the last
 * key; a new query cancels the search in flight. Up and Down move through
 * the hits while the focus stays in the box (`aria-activedescendant`, as
 * the `@name` suggestions do), Enter or a click goes to the message in
 * context, and Escape or Cancel stops the search and closes the panel.
 */
export class SearchPanel {
  readonly #connection: RoomConnection;
  readonly #page: SearchElements;
  readonly #go: (seq: number) => void;
  #hits: SearchHit[] = [];
  #active = -1;
  #query = "";
  #hasMore = false;
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #inFlight: AbortController | null = null;

  /** `go` takes the reader to a message (jump-to-message.ts). */
  constructor(connection: RoomConnection, page: SearchElements, go: (seq: number) => void) {
    this.#connection = connection;
    this.#page = page;
    this.#go = go;
    // Set here, as in mention-complete.ts: the page's HTML gives a list no interactive role.
    page.results.setAttribute("role", "listbox");
    page.open.addEventListener("click", () => (page.panel.hidden ? this.open() : this.close()));
    page.cancel.addEventListener("click", () => this.close());
    page.more.addEventListener("click", () => void this.#search(true));
    page.form.addEventListener("submit", (event) => {
      event.preventDefault();
      // Enter before the pause ends searches at once; the hits shown are for another query.
      if (page.input.value.trim() !== this.#query) void this.#search(false);
      else this.#choose(this.#active);
    });
    page.input.addEventListener("input", () => {
      this.#cancelSearch();
      this.#debounce = setTimeout(() => void this.#search(false), DEBOUNCE_MS);
    });
    page.input.addEventListener("keydown", (event) => {
      const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
      if (step === 0 || this.#hits.length === 0) return;
      event.preventDefault();
      this.#select(Math.min(Math.max(this.#active + step, 0), this.#hits.length - 1));
    });
    page.panel.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      this.close();
    });
    document.addEventListener("keydown", (event) => {
      if (!isSearchShortcut(event)) return;
      event.preventDefault();
      this.open();
    });
  }

  open(): void {
    this.#page.panel.hidden = false;
    this.#page.open.ariaExpanded = "true";
    this.#page.input.focus();
    this.#page.input.select();
  }

  /** Stops the search in flight and closes the panel; the query and its hits stay for next time. */
  close(focusButton = true): void {
    if (this.#inFlight !== null) {
      // The query in the box was never answered: Enter on reopening searches it.
      this.#query = "";
      this.#status("");
    }
    this.#cancelSearch();
    this.#page.panel.hidden = true;
    this.#page.open.ariaExpanded = "false";
    if (focusButton) this.#page.open.focus();
  }

  #cancelSearch(): void {
    clearTimeout(this.#debounce);
    this.#inFlight?.abort();
    this.#inFlight = null;
  }

  /** Searches the query in the box, or (`older`) the next page of the last one. */
  async #search(older: boolean): Promise<void> {
    this.#cancelSearch();
    const query = older ? this.#query : this.#page.input.value.trim();
    const before = older ? this.#hits.at(-1)?.message.seq : undefined;
    if (!older) this.#show([], false, query);
    if (query === "") return this.#status("");
    const controller = new AbortController();
    this.#inFlight = controller;
    this.#page.more.hidden = true;
    this.#status("Searching…");
    try {
      const { hits, hasMore } = await this.#connection.search(query, {
        signal: controller.signal,
        ...(before === undefined ? {} : { before }),
      });
      this.#show([...this.#hits, ...hits], hasMore, query);
      this.#status(this.#hits.length === 0 ? "No messages match" : `${this.#hits.length} found`);
    } catch (error) {
      // A cancelled search was replaced by a newer one, or the panel closed: the newer state stands.
      if (controller.signal.aborted) return;
      this.#status(
        this.#connection.state === "online" ? "The search failed. Try again." : "Search works only while online.",
      );
      this.#page.more.hidden = !this.#hasMore;
      console.warn("search failed", error);
    } finally {
      if (this.#inFlight === controller) this.#inFlight = null;
    }
  }

  #status(text: string): void {
    this.#page.status.textContent = text;
    this.#page.panel.ariaBusy = String(text === "Searching…");
  }

  #show(hits: SearchHit[], hasMore: boolean, query: string): void {
    const keep = this.#active;
    this.#hits = hits;
    this.#hasMore = hasMore;
    this.#query = query;
    this.#page.more.hidden = !hasMore;
    this.#page.results.replaceChildren(...hits.map((hit, index) => this.#option(hit, index)));
    this.#active = -1;
    this.#page.input.removeAttribute("aria-activedescendant");
    if (keep >= 0 && keep < hits.length) this.#select(keep);
  }

  #option({ message, highlights }: SearchHit, index: number): HTMLLIElement {
    const text = el("p", "search-hit-text");
    for (const run of matchedRuns(message.text, highlights))
      text.append(run.match ? el("mark", "", run.text) : run.text);
    const time = el("time", "message-time", timeLabel(message.ts));
    time.dateTime = new Date(message.ts).toISOString();
    time.title = fullTimeLabel(message.ts);
    const option = el("li", "search-hit", el("p", "search-hit-meta", el("b", "", message.user.name), " ", time), text);
    option.id = `search-hit-${message.seq}`;
    option.setAttribute("role", "option");
    option.ariaSelected = "false";
    option.dataset.seq = String(message.seq);
    // Pressing an option must not take the focus from the box before the click.
    option.addEventListener("mousedown", (event) => event.preventDefault());
    option.addEventListener("click", () => this.#choose(index));
    return option;
  }

  #select(index: number): void {
    const options = [...this.#page.results.children];
    for (const [at, option] of options.entries()) option.ariaSelected = String(at === index);
    const option = options[index];
    if (!(option instanceof HTMLElement)) return;
    this.#active = index;
    this.#page.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  #choose(index: number): void {
    const hit = this.#hits[index] ?? (index < 0 ? this.#hits[0] : undefined);
    if (hit === undefined) return;
    this.close(false);
    this.#go(hit.message.seq);
  }
}
