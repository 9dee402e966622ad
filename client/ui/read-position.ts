import type { RoomConnection } from "../sdk.ts";
import { el } from "./dom.ts";
import type { MessageList } from "./message-list.ts";
import type { ScrollFollow } from "./scroll-follow.ts";

/** The room hears of the reader's position at most this often; a scroll fires many events. */
const MARK_EVERY_MS = 1000;

/**
 * What the reader has actually seen, told to the room (`markRead`): the
 * newest message shown, whenever the list is at its bottom, showing the
 * newest messages, and the tab is visible. A position seen just before the
 * tab was hidden is sent at once.
 *
 * On opening the room, a reader whose position is below the newest message
 * finds a "New messages" divider before the first message from someone
 * else they have not read, and the view opens there instead of at the
 * bottom. The divider stays for this visit; the next one places it anew.
 * A first unread message older than the welcome's page gets no divider.
 */
export class ReadPosition {
  readonly #connection: RoomConnection;
  readonly #list: MessageList;
  readonly #follow: ScrollFollow;
  readonly #isAway: () => boolean;
  /** The newest seq the reader has seen; 0 before the first. */
  #seen = 0;
  #sentAt = -MARK_EVERY_MS;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Nothing is marked until the view has opened where the reader left off. */
  #opened = false;

  /** `isAway` says whether the list shows a page further back (jump-to-message.ts). */
  constructor(
    connection: RoomConnection,
    list: MessageList,
    follow: ScrollFollow,
    scroller: HTMLElement,
    isAway: () => boolean,
  ) {
    this.#connection = connection;
    this.#list = list;
    this.#follow = follow;
    this.#isAway = isAway;
    let welcomed = false;
    connection.on("welcome", ({ read }) => {
      if (welcomed) return;
      welcomed = true;
      // The welcome's history is delivered right after this event, and marked read at the bottom: its `read` is taken now.
      queueMicrotask(() => {
        if (read !== undefined) this.#openAt(read);
        this.#opened = true;
        this.check();
      });
    });
    scroller.addEventListener("scroll", () => this.check(), { passive: true });
    document.addEventListener("visibilitychange", () =>
      document.visibilityState === "visible" ? this.check() : this.#send(),
    );
  }

  /** Marks the newest message shown as read if the reader can see it; call when messages were added at the bottom. */
  check(): void {
    const newest = this.#list.lastSeq;
    if (!this.#opened || document.visibilityState !== "visible" || !this.#follow.atBottom || this.#isAway()) return;
    if (newest === null || newest <= this.#seen) return;
    this.#seen = newest;
    const wait = this.#sentAt + MARK_EVERY_MS - Date.now();
    if (wait <= 0) this.#send();
    else this.#timer ??= setTimeout(() => this.#send(), wait);
  }

  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#seen === 0) return;
    this.#sentAt = Date.now();
    this.#connection.markRead(this.#seen);
  }

  #openAt(read: number): void {
    const me = this.#connection.user?.id;
    const first = this.#connection.messages.find((message) => message.seq > read && message.user.id !== me);
    const item = first === undefined ? null : this.#list.item(first.seq);
    if (item === null) return;
    const divider = el("li", "unread-divider", el("span", "", "New messages"));
    divider.setAttribute("role", "separator");
    divider.ariaLabel = "New messages";
    item.before(divider);
    divider.scrollIntoView({ block: "start" });
  }
}
