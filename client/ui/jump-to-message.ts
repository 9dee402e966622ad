import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import { HIGHLIGHT, type MessageList } from "./message-list.ts";
import type { OlderHistory } from "./older-history.ts";
import type { ScrollFollow } from "./scroll-follow.ts";

/** How long a message the reader was taken to stays highlighted (messages.css fades it). */
const HIGHLIGHT_MS = 2500;
/** A link to a message: the room's address with `#m=<seq>`. */
const MESSAGE_HASH = /^#m=([1-9][0-9]{0,15})$/;

/** The address of message `seq`: the room's, with `#m=<seq>`. */
export function messageLink(seq: number): string {
  return `${location.origin}${location.pathname}#m=${seq}`;
}

/**
 * Takes the reader to a message: from a reply's preview, or from a link to
 * it (`#m=<seq>`, on opening the page or when the address changes). A
 * message the list shows is scrolled to, highlighted for a moment and
 * focused. One it does not show is read with `history({around})`.
 *
 * When that page joins the messages the list shows up to now (it reaches
 * into them, or it is the newest page), the list shows everything from the
 * page on. Otherwise the list shows the page alone, "further back": newer
 * messages are not added to it meanwhile (the SDK still keeps them), older
 * ones load above it as usual, and "Jump to latest" (or sending a message)
 * goes back to the newest messages, from where the list left them.
 */
export class JumpToMessage {
  readonly #connection: RoomConnection;
  readonly #list: MessageList;
  readonly #older: OlderHistory;
  readonly #follow: ScrollFollow;
  readonly #announcer: Announcer;
  /** While the list shows a page further back: the first seq of the newest messages it showed before. */
  #latestFrom: number | null = null;
  /** Bumped by every jump, so that a page answered after a later jump is dropped. */
  #generation = 0;
  #unhighlight: ReturnType<typeof setTimeout> | undefined;

  constructor(
    connection: RoomConnection,
    list: MessageList,
    older: OlderHistory,
    follow: ScrollFollow,
    announcer: Announcer,
  ) {
    this.#connection = connection;
    this.#list = list;
    this.#older = older;
    this.#follow = follow;
    this.#announcer = announcer;
    let welcomed = false;
    connection.on("welcome", () => {
      if (welcomed) return;
      welcomed = true;
      // The welcome's history is delivered right after this event: the link is followed once it is shown.
      queueMicrotask(() => this.#followLink());
    });
    addEventListener("hashchange", () => this.#followLink());
    // A break in the view is shown among the newest messages (view-breaks.ts).
    connection.on("truncated", () => this.toLatest());
  }

  /** Whether the list shows a page further back, to which new messages are not added. */
  get isAway(): boolean {
    return this.#latestFrom !== null;
  }

  /** Scrolls to message `seq` and highlights it, reading the page around it when the list does not show it. */
  async to(seq: number): Promise<void> {
    const shown = this.#list.item(seq);
    if (shown !== null) {
      this.#highlight(shown);
      return;
    }
    const generation = ++this.#generation;
    const latestFrom = this.#latestFrom ?? this.#list.firstSeq ?? (this.#connection.lastDeliveredSeq ?? 0) + 1;
    let page: Awaited<ReturnType<RoomConnection["history"]>>;
    try {
      page = await this.#connection.history({ around: seq });
    } catch {
      // The connection stopped before the answer: nothing moved, and the reader can follow the link again.
      if (generation === this.#generation) this.#announcer.announce("That message could not be loaded.");
      return;
    }
    const first = page.messages[0];
    const last = page.messages.at(-1);
    if (generation !== this.#generation || first === undefined || last === undefined) {
      if (first === undefined) this.#gone(seq);
      return;
    }
    if (page.hasNewer !== true || last.seq >= latestFrom) {
      this.#latestFrom = null;
      this.#list.show(this.#connection.messages.filter((message) => message.seq >= first.seq));
      this.#follow.atLatest();
    } else {
      this.#latestFrom = latestFrom;
      this.#list.show(page.messages);
      this.#follow.leaveLatest(() => this.toLatest());
    }
    this.#older.restarted(!page.hasMore);
    const item = this.#list.item(seq);
    if (item !== null) this.#highlight(item);
    else this.#gone(seq);
  }

  /** A link to a message the room no longer keeps (trimmed, or never a message): said where it would be. */
  #gone(seq: number): void {
    const text = "That message is no longer kept by the room.";
    this.#list.noticeAt(seq, text);
    this.#announcer.announce(text);
  }

  /** Shows the newest messages again, from where the list left them, at the bottom. */
  toLatest(): void {
    const from = this.#latestFrom;
    if (from !== null) {
      this.#generation++;
      this.#latestFrom = null;
      this.#list.show(this.#connection.messages.filter((message) => message.seq >= from));
      this.#older.restarted(false);
      this.#follow.atLatest();
    }
    this.#follow.toBottom();
  }

  #followLink(): void {
    const seq = MESSAGE_HASH.exec(location.hash)?.[1];
    if (seq !== undefined && this.#connection.user !== null) void this.to(Number(seq));
  }

  #highlight(item: HTMLLIElement): void {
    for (const other of this.#list.element.querySelectorAll(`.${HIGHLIGHT}`)) other.classList.remove(HIGHLIGHT);
    clearTimeout(this.#unhighlight);
    item.scrollIntoView({ block: "center" });
    item.tabIndex = -1;
    item.classList.add(HIGHLIGHT);
    item.focus({ preventScroll: true });
    this.#unhighlight = setTimeout(() => item.classList.remove(HIGHLIGHT), HIGHLIGHT_MS);
  }
}
