/**
 * Searching a room and reading it, in real Chromium against `wrangler dev`:
 * the search panel opened by its shortcuts, live results with what matched
 * marked, the keyboard through them to a message in context, cancelling;
 * and the read position: the view opening at a "New messages" divider, the
 * unread count in the title following the position the room keeps, across
 * a person's tabs and a reload. At phone width and in the dark scheme.
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { ARTIFACTS_DIR, describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import { focused, messageAt, setTabHidden } from "./support/message-actions.ts";
import {
  freshRoom,
  openRoom,
  PAGE_WAIT_MS,
  postMessages,
  waitForMessages,
  waitForMessageText,
} from "./support/room-page.ts";

/** A generous send rate, so that a test can seed a room with many messages quickly. */
const VARS = { SEND_RATE_PER_SECOND: 1000, SEND_BURST: 1000 };

/** 120 messages, a few with words to find: seq 5 and 101 say "zeppelin", 31 is Chinese, 61 has an emoji. */
const SEEDED = Array.from({ length: 120 }, (_, index) => {
  const seq = index + 1;
  if (seq === 5) return "The Zeppelin lands at dawn";
  if (seq === 31) return "我在东京工作";
  if (seq === 61) return "launch 🚀 today";
  if (seq === 101) return "another zeppelin sighting";
  return `message ${seq}`;
});

describeInBrowser("the web client: search and read positions", () => {
  const app = useBrowserFixture({ vars: VARS });

  async function seededRoom(prefix: string, options = {}): Promise<{ room: string; page: Page }> {
    const room = freshRoom(prefix);
    await postMessages(app.url, room, SEEDED);
    const page = await openRoom(await app.person(options), app.url, room, "alice");
    await waitForMessageText(page, "message 120");
    return { room, page };
  }

  /** The hits listed, as "author: text" with what matched in [brackets]. */
  function hits(page: Page): Promise<string[]> {
    return page.$$eval("#search-results [role=option]", (options) =>
      options.map((option) => {
        const text = option.querySelector(".search-hit-text");
        const marked = [...(text?.childNodes ?? [])]
          .map((node) =>
            node instanceof HTMLElement && node.tagName === "MARK" ? `[${node.textContent}]` : node.textContent,
          )
          .join("");
        return `${option.querySelector(".search-hit-meta b")?.textContent}: ${marked}`;
      }),
    );
  }

  async function waitForHits(page: Page, count: number): Promise<string[]> {
    await page.waitForFunction((n) => document.querySelectorAll("#search-results [role=option]").length === n, count, {
      timeout: PAGE_WAIT_MS,
    });
    return hits(page);
  }

  /** Waits until the hits listed are exactly `expected` (those of an earlier query stay until the next answer). */
  async function waitForHitList(page: Page, expected: readonly string[]): Promise<void> {
    const deadline = Date.now() + PAGE_WAIT_MS;
    for (;;) {
      const shown = await hits(page);
      if (JSON.stringify(shown) === JSON.stringify(expected)) return;
      if (Date.now() > deadline) throw new Error(`the hits stayed ${JSON.stringify(shown)}`);
      await page.waitForTimeout(50);
    }
  }

  const searchBox = (page: Page) => page.getByRole("searchbox", { name: "Search messages" });
  const status = (page: Page) => page.locator("#search-status");

  it("finds messages as the person types, and opens one in context from the keyboard", async () => {
    const { page } = await seededRoom("search");
    // Message 5 is older than the page the welcome shows.
    expect(await messageAt(page, 5).count()).toBe(0);
    await page.keyboard.press("Control+k");
    // The panel loads the first time it is opened.
    await page.getByRole("search", { name: "Search messages" }).waitFor({ state: "visible", timeout: 5000 });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-input");
    await searchBox(page).pressSequentially("zeppelin", { delay: 30 });
    // Newest first, with what matched marked.
    expect(await waitForHits(page, 2)).toEqual([
      "bot: another [zeppelin] sighting",
      "bot: The [Zeppelin] lands at dawn",
    ]);
    expect(await status(page).textContent()).toBe("2 found");
    await searchBox(page).press("ArrowDown");
    await searchBox(page).press("ArrowDown");
    const selected = page.locator("#search-results [aria-selected=true]");
    expect(await selected.getAttribute("data-seq")).toBe("5");
    expect(await searchBox(page).getAttribute("aria-activedescendant")).toBe("search-hit-5");
    await searchBox(page).press("ArrowUp");
    expect(await selected.getAttribute("data-seq")).toBe("101");
    await searchBox(page).press("ArrowDown");
    await searchBox(page).press("Enter");

    // The panel closes, and the message is shown in context, highlighted and focused.
    await page.locator("#search").waitFor({ state: "hidden" });
    const target = messageAt(page, 5);
    await target.and(page.locator(".highlight")).waitFor({ timeout: PAGE_WAIT_MS });
    expect((await focused(page)).seq).toBe("5");
    expect(await messageAt(page, 4).count()).toBe(1);
    const [box, scroller] = await Promise.all([target.boundingBox(), page.locator("#scroller").boundingBox()]);
    if (box === null || scroller === null) throw new Error("the message and the list are on screen");
    expect(box.y).toBeGreaterThanOrEqual(scroller.y);
    expect(box.y + box.height).toBeLessThanOrEqual(scroller.y + scroller.height);

    // The header's button opens the panel again, with the last query and its hits.
    await page.getByRole("button", { name: "Search", exact: true }).click();
    expect(await searchBox(page).inputValue()).toBe("zeppelin");
    expect(await hits(page)).toHaveLength(2);
  });

  it("opens with / outside a text field, finds CJK and emoji, and never shows query syntax as an error", async () => {
    const { page } = await seededRoom("search-keys");
    // In the message box, / is a character.
    const messageBox = page.getByRole("textbox", { name: "Message", exact: true });
    await messageBox.press("/");
    expect(await messageBox.inputValue()).toBe("/");
    expect(await page.locator("#search").isHidden()).toBe(true);
    await page.locator("#scroller").focus();
    await page.keyboard.press("/");
    await searchBox(page).waitFor();
    expect(await searchBox(page).inputValue()).toBe("");

    await searchBox(page).fill("东京");
    await waitForHitList(page, ["bot: 我在[东京]工作"]);
    await searchBox(page).fill("🚀");
    await waitForHitList(page, ["bot: launch [🚀] today"]);

    // Quotes, `*`, `-`, `NEAR(` and parentheses are text to find, never an error.
    const answers: [string, string][] = [
      ['"ship*', "No messages match"],
      ["-(message", "20 found"],
      ["NEAR(", "No messages match"],
      ['zeppelin*"', "2 found"],
    ];
    for (const [query, answer] of answers) {
      await searchBox(page).fill(query);
      await status(page).filter({ hasText: answer }).waitFor({ timeout: PAGE_WAIT_MS });
    }
    await searchBox(page).fill("xyzzy");
    await status(page).filter({ hasText: "No messages match" }).waitFor();
    expect(await hits(page)).toEqual([]);
  });

  it("pages to older results, and shows Searching… until Escape cancels the search and closes the panel", async () => {
    const { page } = await seededRoom("search-more");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await searchBox(page).fill("message");
    expect(await waitForHits(page, 20)).toHaveLength(20);
    await page.getByRole("button", { name: "Load older results" }).click();
    const all = await waitForHits(page, 40);
    expect(all[0]).toBe("bot: [message] 120");
    expect(all[39]).toBe("bot: [message] 80");

    // The room's answer is held back, so the search stays in flight.
    await page.evaluate(() => {
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        if (typeof data === "string" && data.includes('"type":"search"')) return;
        send.call(this, data);
      };
    });
    await searchBox(page).fill("zeppelin");
    await status(page).filter({ hasText: "Searching…" }).waitFor();
    expect(await page.locator("#search").getAttribute("aria-busy")).toBe("true");
    await searchBox(page).press("Escape");
    await page.locator("#search").waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-open");
    await page.keyboard.press("Control+k");
    expect(await status(page).textContent()).toBe("");
  });

  it("fits the search panel on a phone, readable in the dark scheme", async () => {
    const { page } = await seededRoom("search-phone", {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      colorScheme: "dark",
    });
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await searchBox(page).fill("zeppelin");
    await waitForHits(page, 2);
    await page.screenshot({ path: `${ARTIFACTS_DIR}/search-phone-dark.png` });
    const layout = await page.evaluate(() => {
      const panel = document.getElementById("search")?.getBoundingClientRect();
      const mark = document.querySelector("#search-results mark");
      return {
        sideways: document.documentElement.scrollWidth - window.innerWidth,
        left: panel?.left ?? -1,
        right: panel?.right ?? Number.POSITIVE_INFINITY,
        width: window.innerWidth,
        background: getComputedStyle(document.getElementById("search") ?? document.body).backgroundColor,
        markText: mark === null ? "" : getComputedStyle(mark).color,
      };
    });
    expect(layout.sideways).toBeLessThanOrEqual(0);
    expect(layout.left).toBeGreaterThanOrEqual(0);
    expect(layout.right).toBeLessThanOrEqual(layout.width);
    // Dark: a dark panel with light text in the marks.
    expect(layout.background).toBe("rgb(19, 21, 25)");
    expect(layout.markText).toBe("rgb(231, 233, 237)");
  });

  it("opens at a New messages divider before what the person has not read, and follows the position on every tab", async () => {
    const room = freshRoom("read");
    await postMessages(
      app.url,
      room,
      Array.from({ length: 40 }, (_, index) => `earlier ${index + 1}`),
    );
    const profile = await app.person();
    const first = await openRoom(profile, app.url, room, "alice");
    await waitForMessageText(first, "earlier 40");
    const divider = (page: Page) => page.getByRole("separator", { name: "New messages" });
    // A first visit has nothing unread.
    expect(await divider(first).count()).toBe(0);
    // A second tab of the same person, hidden, counts in its title what the person has not read.
    const second = await openRoom(profile, app.url, room, "alice");
    await setTabHidden(second, true);
    await first.close();
    await postMessages(app.url, room, ["from bob 1", "from bob 2", "from bob 3"], "bob");
    const title = `#${room.toLowerCase()} · edgechat`;
    await second.waitForFunction((wanted) => document.title === wanted, `(3) ${title}`, { timeout: PAGE_WAIT_MS });

    // The count comes from the position the room keeps, so a reload, still hidden, keeps it.
    await second.addInitScript(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    });
    await second.reload();
    await waitForMessages(second, 43);
    await second.waitForFunction((wanted) => document.title === wanted, `(3) ${title}`, { timeout: PAGE_WAIT_MS });

    // Back in the room: the divider stands right before the first of Bob's messages, in view.
    const third = await openRoom(profile, app.url, room, "alice");
    await waitForMessageText(third, "from bob 3");
    await divider(third).waitFor();
    const placed = await third.evaluate(() => {
      const line = document.querySelector("[role=separator][aria-label='New messages']");
      const next = line?.nextElementSibling;
      return { text: line?.textContent, next: next?.querySelector(".message-text")?.textContent ?? null };
    });
    expect(placed).toEqual({ text: "New messages", next: "from bob 1" });
    const [line, scroller] = await Promise.all([
      divider(third).boundingBox(),
      third.locator("#scroller").boundingBox(),
    ]);
    if (line === null || scroller === null) throw new Error("the divider and the list are on screen");
    expect(line.y).toBeGreaterThanOrEqual(scroller.y);
    expect(line.y + line.height).toBeLessThanOrEqual(scroller.y + scroller.height);

    // This tab showed everything to the bottom: the position moves, and the hidden tab's count clears.
    await second.waitForFunction((wanted) => document.title === wanted, title, { timeout: PAGE_WAIT_MS });
    // The divider stays for this visit, and is gone on the next.
    expect(await divider(third).count()).toBe(1);
    await third.reload();
    await waitForMessageText(third, "from bob 3");
    await third.waitForTimeout(300);
    expect(await divider(third).count()).toBe(0);
  });

  it("opens a long run of unread messages at its start, and marks it read only once scrolled to the end", async () => {
    const room = freshRoom("read-long");
    await postMessages(app.url, room, ["before 1", "before 2"]);
    const profile = await app.person();
    const reader = await openRoom(profile, app.url, room, "alice");
    await waitForMessageText(reader, "before 2");
    const watcher = await openRoom(profile, app.url, room, "alice");
    await setTabHidden(watcher, true);
    await reader.close();
    await postMessages(
      app.url,
      room,
      Array.from({ length: 45 }, (_, index) => `news ${index + 1}`),
      "bob",
    );
    const title = `#${room.toLowerCase()} · edgechat`;
    await watcher.waitForFunction((wanted) => document.title === wanted, `(45) ${title}`, { timeout: PAGE_WAIT_MS });

    const back = await openRoom(profile, app.url, room, "alice");
    await waitForMessageText(back, "news 45");
    const divider = back.getByRole("separator", { name: "New messages" });
    await divider.waitFor();
    const [line, scroller] = await Promise.all([divider.boundingBox(), back.locator("#scroller").boundingBox()]);
    if (line === null || scroller === null) throw new Error("the divider and the list are on screen");
    // At the top of the view, give or take a fraction of a pixel of rounding.
    expect(line.y).toBeGreaterThanOrEqual(scroller.y - 1);
    expect(line.y).toBeLessThan(scroller.y + scroller.height / 2);
    // Not at the bottom, so nothing more is read yet.
    await back.waitForTimeout(1500);
    expect(await watcher.title()).toBe(`(45) ${title}`);
    await back.locator("#scroller").evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await watcher.waitForFunction((wanted) => document.title === wanted, title, { timeout: PAGE_WAIT_MS });
  });
});
