/**
 * The outbox that outlives its tab, in real Chromium: messages typed offline
 * wait in one queue that all of a browser's tabs of the room share, and
 * whichever tab is online sends them, once and in the order typed. What the
 * room stored is read back over its HTTP API.
 */
import type { BrowserContext, Page, WebSocketRoute } from "playwright-core";
import { expect, it } from "vitest";
import { describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import { freshRoom, openRoom, PAGE_WAIT_MS, sendMessage, waitForConnection } from "./support/room-page.ts";

describeInBrowser("the web client: one outbox for all tabs", () => {
  const app = useBrowserFixture();

  /** A person whose network the test turns off and on, with one browser profile: its tabs share storage. */
  async function personOffline(): Promise<{ profile: BrowserContext; network: NetworkSwitch }> {
    const profile = await app.person();
    return { profile, network: await networkSwitch(profile) };
  }

  /** Types messages one after another, each waiting in the page's outbox before the next. */
  async function typeOffline(page: Page, room: string, texts: readonly string[]): Promise<void> {
    for (const text of texts) {
      const before = (await storedQueue(page, room)).length;
      await sendMessage(page, text);
      await page.locator("#outbox li.pending").filter({ hasText: text }).waitFor();
      // Stored before anything else happens, as it is long before a person closes the tab.
      await until(`"${text}" is in the shared queue`, async () => (await storedQueue(page, room)).length > before);
    }
  }

  /**
   * The room's history, as "author: text" lines, once the messages before a
   * last one sent now are stored: the queue goes out in order through one
   * tab, so a duplicate of an earlier message would be stored before it.
   */
  async function historyUpTo(page: Page, room: string, barrier: string): Promise<string[]> {
    await sendMessage(page, barrier);
    let lines: string[] = [];
    await until(`"${barrier}" is stored`, async () => {
      lines = await roomHistory(room);
      return lines.some((line) => line.endsWith(`: ${barrier}`));
    });
    return lines;
  }

  async function roomHistory(room: string): Promise<string[]> {
    const response = await fetch(`${app.url}/api/rooms/${encodeURIComponent(room)}/messages?limit=100`);
    const body: unknown = await response.json();
    if (typeof body !== "object" || body === null || !("messages" in body) || !Array.isArray(body.messages)) {
      throw new Error(`not a page of messages: ${JSON.stringify(body)}`);
    }
    return body.messages.map((message: unknown) => {
      if (typeof message !== "object" || message === null || !("text" in message) || !("user" in message)) {
        throw new Error(`not a message: ${JSON.stringify(message)}`);
      }
      const { user, text } = message;
      const name = typeof user === "object" && user !== null && "name" in user ? user.name : null;
      return `${String(name)}: ${String(text)}`;
    });
  }

  it("sends what a closed tab typed offline from the next tab, once, in order, and closing it asks nothing", async () => {
    const room = freshRoom("closed-tab");
    const { profile, network } = await personOffline();
    const typedIn = await openRoom(profile, app.url, room, "alice");
    await network.goOffline([typedIn]);
    await typeOffline(typedIn, room, ["first, typed offline", "second, typed offline"]);
    const questions: string[] = [];
    typedIn.on("dialog", (dialog) => {
      questions.push(dialog.type());
      void dialog.accept();
    });
    await typedIn.close({ runBeforeUnload: true });
    await until("the tab is closed", async () => typedIn.isClosed());
    expect(questions).toEqual([]);

    await network.goOnline();
    const next = await openRoom(profile, app.url, room, "alice");
    expect(await historyUpTo(next, room, "typed in the next tab")).toEqual([
      "alice: first, typed offline",
      "alice: second, typed offline",
      "alice: typed in the next tab",
    ]);
    await next.locator("#outbox li").first().waitFor({ state: "detached" });
  });

  it("sends what a tab typed offline after that tab is reloaded, once, in order", async () => {
    const room = freshRoom("reloaded-tab");
    const { profile, network } = await personOffline();
    const tab = await openRoom(profile, app.url, room, "alice");
    await network.goOffline([tab]);
    await typeOffline(tab, room, ["one", "two"]);
    // Offline, the reload ends on the browser's error page; the next one, online, loads the room again.
    await expect(tab.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
    await network.goOnline();
    await tab.reload();
    await waitForConnection(tab, "online");
    expect(await historyUpTo(tab, room, "after the reload")).toEqual([
      "alice: one",
      "alice: two",
      "alice: after the reload",
    ]);
  });

  it("shows a message queued in one tab in the other's outbox too, and in neither once stored", async () => {
    const room = freshRoom("both-tabs");
    const { profile, network } = await personOffline();
    const first = await openRoom(profile, app.url, room, "alice");
    const second = await openRoom(profile, app.url, room, "alice");
    await network.goOffline([first, second]);
    await typeOffline(first, room, ["queued in the first tab"]);
    await second
      .locator("#outbox li.pending")
      .filter({ hasText: "queued in the first tab" })
      .filter({ hasText: "Waiting for the connection…" })
      .waitFor();

    await network.goOnline();
    for (const page of [first, second]) {
      await page.locator("#messages .message-text").filter({ hasText: "queued in the first tab" }).waitFor();
      await page.locator("#outbox li").first().waitFor({ state: "detached" });
    }
    expect(await historyUpTo(second, room, "barrier")).toEqual(["alice: queued in the first tab", "alice: barrier"]);
  });

  it("merges what two tabs queued offline in the order it was typed", async () => {
    const room = freshRoom("merged");
    const { profile, network } = await personOffline();
    const first = await openRoom(profile, app.url, room, "alice");
    const second = await openRoom(profile, app.url, room, "alice");
    await network.goOffline([first, second]);
    await typeOffline(first, room, ["1 from the first tab"]);
    await typeOffline(second, room, ["2 from the second tab"]);
    await typeOffline(first, room, ["3 from the first tab"]);
    for (const page of [first, second]) {
      await until("both tabs show the whole queue", async () => (await page.locator("#outbox li").count()) === 3);
    }
    expect(await first.locator("#outbox .message-text").allTextContents()).toEqual([
      "1 from the first tab",
      "2 from the second tab",
      "3 from the first tab",
    ]);

    await network.goOnline();
    expect(await historyUpTo(second, room, "4 after both")).toEqual([
      "alice: 1 from the first tab",
      "alice: 2 from the second tab",
      "alice: 3 from the first tab",
      "alice: 4 after both",
    ]);
  });

  it("drops a damaged record of the queue and sends the rest", async () => {
    const room = freshRoom("damaged");
    const { profile, network } = await personOffline();
    const tab = await openRoom(profile, app.url, room, "alice");
    await network.goOffline([tab]);
    await typeOffline(tab, room, ["survives the damage"]);
    await putRecord(tab, { room, id: "damaged", queuedAt: 0, text: 42, status: "sent" });
    const errors: string[] = [];
    profile.on("weberror", (error) => errors.push(String(error.error())));
    await tab.close();

    await network.goOnline();
    const next = await openRoom(profile, app.url, room, "alice");
    expect(await historyUpTo(next, room, "after")).toEqual(["alice: survives the damage", "alice: after"]);
    // The barrier's own ack empties the outbox after its echo is shown, as the other cases here wait for.
    await next.locator("#outbox li").first().waitFor({ state: "detached" });
    expect(await storedQueue(next, room)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("keeps a queue per tab where IndexedDB is unavailable: kept across a reload, and closing asks first", async () => {
    const room = freshRoom("no-indexeddb");
    const { profile, network } = await personOffline();
    // As in a private mode that refuses IndexedDB.
    await profile.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
    const tab = await openRoom(profile, app.url, room, "alice");
    await network.goOffline([tab]);
    await sendMessage(tab, "kept by the tab");
    await tab.locator("#outbox li.pending").filter({ hasText: "kept by the tab" }).waitFor();
    await expect(tab.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
    await network.goOnline();
    await tab.reload();
    await waitForConnection(tab, "online");
    expect(await historyUpTo(tab, room, "after the reload")).toEqual([
      "alice: kept by the tab",
      "alice: after the reload",
    ]);

    await network.goOffline([tab]);
    await sendMessage(tab, "lost with the tab");
    await tab.locator("#outbox li.pending").filter({ hasText: "lost with the tab" }).waitFor();
    // The prompt is answered (leave), so that the tab really closes and nothing is left open when the profile closes.
    const asked = new Promise<string>((resolve) =>
      tab.once("dialog", (dialog) => {
        resolve(dialog.type());
        void dialog.accept();
      }),
    );
    await tab.close({ runBeforeUnload: true });
    expect(await asked).toBe("beforeunload");
  });
});

/** The raw records of the room's shared queue, read from the page's IndexedDB. */
function storedQueue(page: Page, room: string): Promise<unknown[]> {
  return page.evaluate(
    (name) =>
      new Promise<unknown[]>((resolve, reject) => {
        const request = indexedDB.open("edgechat");
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const database = request.result;
          if (!database.objectStoreNames.contains("outbox")) {
            database.close();
            resolve([]);
            return;
          }
          const read = database.transaction("outbox").objectStore("outbox").index("room").getAll(name);
          read.onsuccess = () => {
            database.close();
            resolve(read.result);
          };
          read.onerror = () => reject(read.error);
        };
      }),
    room,
  );
}

/** Writes a record into the shared queue behind the app's back, as damaged storage would hold it. */
function putRecord(page: Page, record: Record<string, unknown>): Promise<void> {
  return page.evaluate(
    (value) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open("edgechat");
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const database = request.result;
          const transaction = database.transaction("outbox", "readwrite");
          transaction.objectStore("outbox").put(value);
          transaction.oncomplete = () => {
            database.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    record,
  );
}

/** Polls `check` until it holds, failing with `what` after the page wait. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PAGE_WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface NetworkSwitch {
  /** Cuts the network and waits until each page says it is reconnecting. */
  goOffline(pages: readonly Page[]): Promise<void>;
  goOnline(): Promise<void>;
}

/**
 * The network of one browser profile, going away as a lost network does:
 * pages no longer load, and the room's sockets drop and cannot reopen.
 * Chromium's offline mode alone keeps an open WebSocket open, so the room's
 * sockets pass through a route that closes them (both ends) while offline.
 */
async function networkSwitch(profile: BrowserContext): Promise<NetworkSwitch> {
  let offline = false;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await profile.routeWebSocket(
    (url) => url.pathname.endsWith("/ws"),
    (page) => {
      if (offline) return page.close();
      const link = { page, server: page.connectToServer() };
      open.add(link);
      page.onClose(() => open.delete(link));
    },
  );
  return {
    async goOffline(pages) {
      offline = true;
      await profile.setOffline(true);
      for (const link of [...open]) {
        open.delete(link);
        await link.server.close();
        await link.page.close();
      }
      for (const page of pages) await waitForConnection(page, "reconnecting");
    },
    async goOnline() {
      offline = false;
      await profile.setOffline(false);
    },
  };
}
