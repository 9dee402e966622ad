/**
 * One queue of unsent messages per room for all of the browser's tabs, in
 * IndexedDB, so that a message typed offline outlives the tab it was typed
 * in. Every tab shows the queue; one tab at a time, the holder of the lease,
 * sends it.
 *
 * The lease is a Web Lock (navigator.locks), held by a tab while its
 * connection is online. The browser releases a lock when its tab closes,
 * crashes or navigates away, so another tab (or the reloaded one) takes over
 * at once. A lease record with an expiry in IndexedDB would have to be
 * renewed by a timer, and browsers throttle the timers of hidden tabs to
 * about once a minute: a hidden owner would lose its lease while alive, and
 * a closed one would hold it until it expired. (Chrome's Energy Saver also
 * leaves unfrozen a hidden tab holding a lock that another tab waits for.)
 *
 * Tabs tell each other that the queue changed over a BroadcastChannel, and
 * each then reads it again from IndexedDB, which stays the one truth.
 * Re-sending is safe: all tabs of a room are one user (one token in
 * localStorage), and the room stores a (user, id) once.
 */
import type { PendingMessage } from "../sdk.ts";
import {
  applyWrites,
  hasWrites,
  inQueueOrder,
  parseRecord,
  planWrites,
  type QueuedMessage,
  type QueueWrites,
  toRecord,
} from "./queued-messages.ts";

const DATABASE = "edgechat";
const DATABASE_VERSION = 1;
const STORE = "outbox";
const ROOM_INDEX = "room";
/** Some browsers never answer `indexedDB.open` in some private modes; the tab then keeps its own queue. */
const OPEN_TIMEOUT_MS = 3000;

export class SharedOutbox {
  readonly #database: IDBDatabase;
  readonly #room: string;
  readonly #channel: BroadcastChannel;
  readonly #watchers = new Set<(outbox: PendingMessage[]) => void>();
  /** The stored queue as this tab last read or wrote it, by id. */
  #known = new Map<string, QueuedMessage>();
  /** Counts this tab's writes, so that a read they overlapped is read again. */
  #writes = 0;
  #stale = false;
  #refreshing: Promise<void> | null = null;

  /** The room's shared queue; rejects where the browser cannot keep one (no IndexedDB, Web Locks or BroadcastChannel). */
  static async open(room: string): Promise<SharedOutbox> {
    // Web Locks exist only in secure contexts: a page served over plain http keeps a queue per tab.
    if (!("locks" in navigator) || typeof BroadcastChannel === "undefined" || typeof indexedDB === "undefined") {
      throw new Error("this browser cannot share a queue between tabs");
    }
    return new SharedOutbox(await openDatabase(), room);
  }

  private constructor(database: IDBDatabase, room: string) {
    this.#database = database;
    this.#room = room;
    this.#channel = new BroadcastChannel(`edgechat:outbox:${room}`);
    // The message says only "read again"; what it carries is never trusted.
    this.#channel.onmessage = () => void this.refresh();
  }

  /** Writes what this tab changed in the queue, and tells the other tabs. */
  save(outbox: readonly PendingMessage[]): void {
    const writes = planWrites(this.#known, outbox, Date.now());
    if (!hasWrites(writes)) return;
    applyWrites(this.#known, writes);
    this.#writes++;
    writeQueue(this.#database, this.#room, writes).then(
      () => this.#channel.postMessage("changed"),
      // Storage refused the write (quota, a closed database): the change lives as long as this page.
      () => undefined,
    );
  }

  /** Reports the queue as it is stored now, then after every change another tab makes; returns the function that stops. */
  watch(changed: (outbox: PendingMessage[]) => void): () => void {
    this.#watchers.add(changed);
    void this.refresh();
    return () => this.#watchers.delete(changed);
  }

  /** Waits for the room's lock, reads the queue as the last holder left it, then grants; the returned function lets go. */
  lease(granted: () => void): () => void {
    const asking = new AbortController();
    let letGo: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    navigator.locks
      .request(`edgechat:outbox:${this.#room}`, { signal: asking.signal }, async () => {
        await this.refresh();
        if (asking.signal.aborted) return;
        granted();
        await released;
      })
      .catch(() => {
        // Stopped asking before the lock was granted (an AbortError): nothing is held.
      });
    return () => {
      asking.abort();
      letGo();
    };
  }

  /** Reads the queue again and reports it; reads once more if this tab wrote meanwhile, as the read may predate the write. */
  refresh(): Promise<void> {
    this.#stale = true;
    this.#refreshing ??= this.#readUntilCurrent().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #readUntilCurrent(): Promise<void> {
    while (this.#stale) {
      this.#stale = false;
      const writes = this.#writes;
      const queue = await readQueue(this.#database, this.#room).catch(() => null);
      // A failed read keeps what this tab knows; the next change reads again.
      if (queue === null) return;
      if (writes !== this.#writes) {
        this.#stale = true;
        continue;
      }
      this.#known = new Map(queue.map((queued) => [queued.message.id, queued]));
      const outbox = queue.map((queued) => queued.message);
      for (const watcher of this.#watchers) watcher(outbox);
    }
  }
}

/** Opens the database, or rejects: refused (some private modes), blocked by an old tab, newer than this client, or too slow. */
function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let given = false;
    const giveUp = (reason: unknown) => {
      given = true;
      reject(reason);
    };
    const timeout = setTimeout(() => giveUp(new Error("IndexedDB did not open in time")), OPEN_TIMEOUT_MS);
    const request = indexedDB.open(DATABASE, DATABASE_VERSION);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: ["room", "id"] }).createIndex(ROOM_INDEX, "room");
    };
    request.onsuccess = () => {
      clearTimeout(timeout);
      const database = request.result;
      if (given) return database.close();
      // A newer client in another tab wants to upgrade: let it, rather than block it.
      database.onversionchange = () => database.close();
      resolve(database);
    };
    request.onerror = () => {
      clearTimeout(timeout);
      giveUp(request.error);
    };
    request.onblocked = () => giveUp(new Error("IndexedDB is blocked by another tab"));
  });
}

/** The room's queue in order. Damaged records are deleted as they are found, so they never come back. */
function readQueue(database: IDBDatabase, room: string): Promise<QueuedMessage[]> {
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(STORE, "readwrite");
    const found: QueuedMessage[] = [];
    const cursor = transaction.objectStore(STORE).index(ROOM_INDEX).openCursor(IDBKeyRange.only(room));
    cursor.onsuccess = () => {
      const record = cursor.result;
      if (record === null) return;
      const queued = parseRecord(room, record.value);
      if (queued === null) record.delete();
      else found.push(queued);
      record.continue();
    };
    transaction.oncomplete = () => resolve(found.sort(inQueueOrder));
    transaction.onabort = () => reject(transaction.error);
  });
}

function writeQueue(database: IDBDatabase, room: string, { added, changed, removed }: QueueWrites): Promise<void> {
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(STORE, "readwrite");
    const store = transaction.objectStore(STORE);
    for (const queued of added) store.put(toRecord(room, queued));
    for (const queued of changed) {
      const stored = store.getKey([room, queued.message.id]);
      stored.onsuccess = () => {
        if (stored.result !== undefined) store.put(toRecord(room, queued));
      };
    }
    for (const id of removed) store.delete([room, id]);
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error);
  });
}
