import type { RoomConnection } from "../sdk.ts";
import { el } from "./dom.ts";
import type { MessageList } from "./message-list.ts";
import type { ScrollFollow } from "./scroll-follow.ts";

/** How close to the top a reader scrolls before the next older page is read. */
const NEAR_TOP_PX = 160;

type Edge = "waiting" | "more" | "loading" | "failed" | "start" | "trimmed" | "kept";

const EDGE_TEXT: Record<Edge, string> = {
  waiting: "Loading messages…",
  more: "Load earlier messages",
  loading: "Loading earlier messages…",
  failed: "Earlier messages could not be loaded. Try again",
  start: "This is the beginning of the room.",
  trimmed: "Earlier messages are no longer kept.",
  kept: "This is as far back as the room's messages go.",
};

/**
 * The top of the conversation: reads older pages (`history({before})`) when
 * the reader scrolls up to it, or presses its button, which keeps it usable
 * by keyboard; says so when the room's history begins or was trimmed.
 */
export class OlderHistory {
  readonly #connection: RoomConnection;
  readonly #list: MessageList;
  readonly #follow: ScrollFollow;
  readonly #edge: HTMLElement;
  readonly #scroller: HTMLElement;
  readonly #button = el("button", "history-button");
  readonly #note = el("p", "history-note");
  /** Where to read before while the list is empty: just after the room's newest message. */
  #emptyBefore: number | null = null;
  #exhausted = false;
  #loading = false;
  #failed = false;
  #fillCheckDue = false;
  /** Bumped when the view is rebuilt, so that a page asked for the old view is dropped. */
  #generation = 0;
  /**
   * The seqs of settings and moderation events delivered: no page holds
   * them, so a room whose first events are not messages (an owned room
   * starts with its claim's settings) still begins where they are.
   */
  readonly #notMessages = new Set<number>();

  constructor(
    connection: RoomConnection,
    list: MessageList,
    follow: ScrollFollow,
    scroller: HTMLElement,
    edge: HTMLElement,
  ) {
    this.#connection = connection;
    this.#list = list;
    this.#follow = follow;
    this.#edge = edge;
    this.#scroller = scroller;
    this.#button.type = "button";
    this.#button.addEventListener("click", () => void this.#load());
    for (const type of ["settings", "moderation"] as const) {
      connection.on(type, ({ seq }) => {
        this.#notMessages.add(seq);
        this.#render();
      });
    }
    scroller.addEventListener("scroll", () => {
      if (scroller.scrollTop < NEAR_TOP_PX) this.#loadIfMore();
    });
    this.#render();
  }

  /** A welcome arrived; `lastSeq` is the room's newest message. */
  welcomed(lastSeq: number): void {
    if (this.#list.isEmpty) this.#emptyBefore = lastSeq + 1;
    this.#failed = false;
    this.#render();
  }

  /**
   * The list gained messages at the bottom; for a short list, read more until
   * it fills the view. Checked once the current batch is in (a welcome
   * delivers its history in one go), not after its first message.
   */
  grew(): void {
    this.#render();
    if (this.#fillCheckDue) return;
    this.#fillCheckDue = true;
    queueMicrotask(() => {
      this.#fillCheckDue = false;
      if (!this.#follow.overflows) this.#loadIfMore();
    });
  }

  /** The view was rebuilt after `resumeAfter`: older messages are read before that point from now on. */
  rebuilt(resumeAfter: number): void {
    this.#generation++;
    this.#emptyBefore = resumeAfter + 1;
    this.#exhausted = false;
    this.#loading = false;
    this.#render();
  }

  /**
   * The list now shows a page read around a message, or the newest
   * messages again (jump-to-message.ts): older ones are read before its
   * first from now on; `exhausted` when the room keeps none before it.
   */
  restarted(exhausted: boolean): void {
    this.#generation++;
    this.#exhausted = exhausted;
    this.#loading = false;
    this.#failed = false;
    this.#render();
  }

  /** Reads on its own only while more are known to exist; after a failure, only when asked. */
  #loadIfMore(): void {
    if (this.#edgeState() === "more") void this.#load();
  }

  /** Reads the next older page, unless one is on its way or none is left. */
  async #load(): Promise<void> {
    const before = this.#before();
    const state = this.#edgeState();
    if (before === null || (state !== "more" && state !== "failed")) return;
    const generation = this.#generation;
    this.#loading = true;
    this.#render();
    try {
      const page = await this.#connection.history({ before });
      if (generation !== this.#generation) return;
      this.#follow.prepending(() => this.#list.prepend(page.messages));
      this.#exhausted = !page.hasMore;
      this.#failed = false;
    } catch {
      // The connection stopped before the answer came: offered again as a retry.
      if (generation === this.#generation) this.#failed = true;
    } finally {
      if (generation === this.#generation) this.#loading = false;
    }
    this.#render();
    if (!this.#follow.overflows) this.#loadIfMore();
  }

  #before(): number | null {
    return this.#list.firstSeq ?? this.#emptyBefore;
  }

  #edgeState(): Edge {
    const before = this.#before();
    if (before === null) return "waiting";
    if (this.#loading) return "loading";
    if (this.#isRoomStart(before)) return "start";
    // An owned room's log holds events that are not messages, which no page shows: whether messages
    // were trimmed before the first one kept, or never were, a page cannot tell.
    if (this.#exhausted) return this.#connection.role === null ? "trimmed" : "kept";
    return this.#failed ? "failed" : "more";
  }

  /** Whether nothing but settings and moderation events comes before `before`. */
  #isRoomStart(before: number): boolean {
    let first = before;
    while (this.#notMessages.has(first - 1)) first--;
    return first <= 1;
  }

  #render(): void {
    const state = this.#edgeState();
    this.#edge.dataset.state = state;
    const asButton = state === "more" || state === "failed" || state === "loading";
    // The button stays (aria-disabled, not disabled) while it loads, so that keyboard focus stays on it.
    const shown = asButton ? this.#button : this.#note;
    shown.textContent = EDGE_TEXT[state];
    this.#button.ariaDisabled = state === "loading" ? "true" : null;
    if (this.#edge.firstChild === shown) return;
    const hadFocus = document.activeElement === this.#button;
    this.#edge.replaceChildren(shown);
    if (hadFocus) this.#scroller.focus();
  }
}
