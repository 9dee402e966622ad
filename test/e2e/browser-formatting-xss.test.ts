/**
 * Formatting makes elements, but only its own few: hundreds of hostile
 * texts, combining schemes, markup and every place formatting can put them,
 * never run a script, never become another element, and never make a link
 * to anything but an http(s) address.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, expect, it } from "vitest";
import { describeInBrowser } from "../support/browser.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import { freshRoom, openRoom, postMessages, waitForMessages } from "./support/room-page.ts";
import { xssPayloads } from "./support/xss-payloads.ts";

/** A room's welcome shows its newest 50 messages, so each room gets that many payloads. */
const PAYLOADS_PER_ROOM = 50;
/** Elements that user text must never become. */
const ACTIVE_ELEMENTS = "script, img, svg, iframe, object, embed, style, math, form, input, video, audio, b";
/** The elements and attributes the formatting makes; anything else in message text came from the text. */
const FORMATTING_TAGS = ["p", "strong", "em", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "span", "div"];
const FORMATTING_ATTRIBUTES = ["class", "href", "title", "target", "rel", "start"];

/** What a page shows of its messages' formatting. */
interface Inspection {
  messages: number;
  elements: number;
  links: number;
  /** Elements or attributes the formatting never makes, as `tag` or `tag[attribute]`. */
  foreign: string[];
  /** Links that are not http(s), or that would hand the new tab this page. */
  unsafeLinks: string[];
}

describeInBrowser("the web client: formatting under hostile text", () => {
  const app = useBrowserFixture({ vars: { SEND_RATE_PER_SECOND: 1000, SEND_BURST: 1000 } });
  /** Dialogs any page opened; an alert() from a payload would show up here. */
  let dialogs: string[] = [];

  afterEach(() => {
    dialogs = [];
  });

  async function reader(options: Parameters<typeof app.person>[0] = {}): Promise<BrowserContext> {
    const context = await app.person(options);
    context.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return context;
  }

  it("shows the formatting subset as elements", async () => {
    const room = freshRoom("formatting");
    const text = [
      "**bold** *italic* _also_ ~~gone~~ `co*de*` [docs](https://example.com/docs) https://example.org/x.",
      "> quoted **line**",
      "- one",
      "- two",
      "3. three",
      "```js",
      'const tag = "<b>";',
      "```",
    ].join("\n");
    await postMessages(app.url, room, [text], "bot");
    const page = await openRoom(await reader(), app.url, room, "reader");
    await waitForMessages(page, 1);
    const shown = page.locator("#messages .message-text");
    const texts = (selector: string): Promise<string[]> => shown.locator(selector).allTextContents();
    expect(await texts(":scope > p strong")).toEqual(["bold"]);
    expect(await texts(":scope > p em")).toEqual(["italic", "also"]);
    expect(await texts(":scope > p s")).toEqual(["gone"]);
    expect(await texts(":scope > p code")).toEqual(["co*de*"]);
    expect(await texts("blockquote strong")).toEqual(["line"]);
    expect(await texts("ul li")).toEqual(["one", "two"]);
    expect(await texts("ol li")).toEqual(["three"]);
    expect(await shown.locator("ol").getAttribute("start")).toBe("3");
    expect(await texts(".code-language")).toEqual(["js"]);
    expect(await texts("pre code")).toEqual(['const tag = "<b>";']);
    const links = await shown
      .locator("a")
      .evaluateAll((anchors) =>
        anchors.map((anchor) =>
          [anchor.textContent, ...["href", "target", "rel"].map((name) => anchor.getAttribute(name))].join(" "),
        ),
      );
    expect(links).toEqual([
      "docs https://example.com/docs _blank noopener noreferrer",
      "https://example.org/x https://example.org/x _blank noopener noreferrer",
    ]);
    expect(await shown.locator(ACTIVE_ELEMENTS).count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("copies a code block with its Copy button, and wraps it on a phone", async () => {
    // A short name: a long one would widen the page's header, and this test is about the code block.
    const room = `code-${crypto.randomUUID().slice(0, 8)}`;
    const code = `curl -s https://example.com/${"very-long-path-segment/".repeat(12)}\n  | jq '.items[]'`;
    await postMessages(app.url, room, [`\`\`\`sh\n${code}\n\`\`\``], "bot");
    const context = await reader({
      viewport: { width: 390, height: 844 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const page = await openRoom(context, app.url, room, "reader");
    await waitForMessages(page, 1);
    const copy = page.getByRole("button", { name: "Copy code", exact: true });
    expect(await copy.getAttribute("type")).toBe("button");
    await copy.click();
    await page.locator(".copy-code").filter({ hasText: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    const overflow = await page.evaluate(() => {
      const sideways = (element: Element | null): number =>
        element === null ? -1 : element.scrollWidth - element.clientWidth;
      return {
        page: sideways(document.documentElement),
        list: sideways(document.getElementById("scroller")),
        code: sideways(document.querySelector("#messages pre")),
      };
    });
    expect(overflow).toEqual({ page: 0, list: 0, code: 0 });
  });

  it("runs none of 500+ hostile texts and links only http(s) addresses", { timeout: 300_000 }, async () => {
    const payloads = xssPayloads();
    expect(payloads.length).toBeGreaterThanOrEqual(500);
    const context = await reader();
    const totals: Inspection = { messages: 0, elements: 0, links: 0, foreign: [], unsafeLinks: [] };
    /** What `window.__pwned` was in each room where a payload ran. */
    const ran: unknown[] = [];
    const rooms = chunks(payloads, PAYLOADS_PER_ROOM);
    for (const batch of rooms) {
      const room = freshRoom("formatting-xss");
      await postMessages(app.url, room, batch, "bot");
      const page = await openRoom(context, app.url, room, "reader");
      expect((await waitForMessages(page, batch.length)).length).toBe(batch.length);
      // Give any handler that might have been attached (onerror, onload, onfocus) time to fire.
      await page.waitForTimeout(300);
      const pwned: unknown = await page.evaluate(() => Reflect.get(window, "__pwned"));
      if (pwned !== undefined) ran.push(pwned);
      expect(await page.locator(`#messages :is(${ACTIVE_ELEMENTS})`).count()).toBe(0);
      const inspection = await inspect(page);
      totals.messages += inspection.messages;
      totals.elements += inspection.elements;
      totals.links += inspection.links;
      totals.foreign.push(...inspection.foreign);
      totals.unsafeLinks.push(...inspection.unsafeLinks);
      await page.close();
    }
    await reportFigures("formatting-xss", {
      title: "Formatting: hostile texts shown in Chromium",
      command: "npm run build && npx vitest run --project e2e test/e2e/browser-formatting-xss.test.ts",
      rows: {
        payloads: payloads.length,
        rooms: rooms.length,
        "messages shown": totals.messages,
        "elements made by formatting": totals.elements,
        "http(s) links": totals.links,
        "rooms where a payload ran": ran.length,
        dialogs: dialogs.length,
        "foreign elements or attributes": totals.foreign.length,
        "unsafe links": totals.unsafeLinks.length,
      },
    });
    expect(ran).toEqual([]);
    expect(totals.messages).toBe(payloads.length);
    expect(totals.foreign).toEqual([]);
    expect(totals.unsafeLinks).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

/** Every element and attribute inside the page's message text, checked against what formatting makes. */
function inspect(page: Page): Promise<Inspection> {
  return page.evaluate(
    ({ tags, attributes }) => {
      const texts = [...document.querySelectorAll("#messages li.message .message-text")];
      const elements = texts.flatMap((text) => [...text.querySelectorAll("*")]);
      const foreign = elements.flatMap((element) => {
        const tag = element.localName;
        const badAttributes = element.getAttributeNames().filter((name) => !attributes.includes(name));
        const bad = badAttributes.map((name) => `${tag}[${name}]`);
        // The one button formatting makes is a code block's Copy button, with its type.
        if (tag === "button" && element.className === "copy-code") {
          return bad.filter((entry) => entry !== "button[type]");
        }
        return tags.includes(tag) ? bad : [tag, ...bad];
      });
      const anchors = elements.filter((element) => element instanceof HTMLAnchorElement);
      const unsafeLinks = anchors
        .filter(
          (anchor) =>
            !["http:", "https:"].includes(anchor.protocol) ||
            anchor.getAttribute("href") !== anchor.href ||
            anchor.target !== "_blank" ||
            anchor.rel !== "noopener noreferrer",
        )
        .map((anchor) => `${anchor.getAttribute("href")} ${anchor.target} ${anchor.rel}`);
      return { messages: texts.length, elements: elements.length, links: anchors.length, foreign, unsafeLinks };
    },
    { tags: FORMATTING_TAGS, attributes: FORMATTING_ATTRIBUTES },
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}
