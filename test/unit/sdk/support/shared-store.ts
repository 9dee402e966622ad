/**
 * A session store whose queue another tab shares: the test plays that tab,
 * changing the queue and deciding when this connection gets the lease to
 * send it, as the browser's store does with IndexedDB and a Web Lock.
 */
import type { PendingMessage, SavedSession, SessionStore } from "../../../../client/sdk.ts";

export class SharedStore implements SessionStore {
  /** What the connection saved last. */
  saved: SavedSession | null = null;
  readonly #watchers = new Set<(outbox: PendingMessage[]) => void>();
  #asking: (() => void) | null = null;
  #holding = false;

  /** Whether the connection asks for the lease and does not have it yet. */
  get asking(): boolean {
    return this.#asking !== null;
  }

  /** Whether the connection holds the lease. */
  get holding(): boolean {
    return this.#holding;
  }

  load(): SavedSession | null {
    return this.saved;
  }

  save(session: SavedSession): void {
    this.saved = session;
  }

  watch(changed: (outbox: PendingMessage[]) => void): () => void {
    this.#watchers.add(changed);
    return () => this.#watchers.delete(changed);
  }

  lease(granted: () => void): () => void {
    this.#asking = granted;
    return () => {
      this.#asking = null;
      this.#holding = false;
    };
  }

  /** The other tab let go of the lease: the connection asking for it gets it. */
  grant(): void {
    const granted = this.#asking;
    if (granted === null) throw new Error("the connection is not asking for the lease");
    this.#asking = null;
    this.#holding = true;
    granted();
  }

  /** The other tab changed the queue to `outbox`. */
  changeElsewhere(outbox: PendingMessage[]): void {
    for (const watcher of this.#watchers) watcher(outbox);
  }
}
