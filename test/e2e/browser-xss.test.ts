/**
 * Whatever people type, as messages or as names, the web client shows as
 * text: no markup is parsed, no script runs, and only http(s) addresses
 * become links, which open in a new tab without access to the page.
 */
import type { Page } from "playwright-core";
import { afterEach, expect, it } from "vitest";
import { describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import {
  freshRoom,
  openRoom,
  postMessages,
  sendMessage,
  waitForMessages,
  waitForMessageText,
  waitForPeopleList,
} from "./support/room-page.ts";

/** Each sets `window.__pwned` if it ever runs. */
const MESSAGE_PAYLOADS = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<script>window.__pwned='script'</script>`,
  `<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned='svg'"><script>window.__pwned='svg script'</script></svg>`,
  `<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
  `<a href="javascript:window.__pwned='anchor'">click me</a>`,
  `javascript:window.__pwned='bare javascript'`,
  `data:text/html,<script>window.__pwned='data'</script>`,
  `[click](javascript:window.__pwned='markdown')`,
  `<style>body{display:none}</style><b onmouseover="window.__pwned='hover'">hover</b>`,
  `</p></li></ol><img src=x onerror="window.__pwned='break out'">`,
];
/** Display names are at most 32 characters, enough for these. */
const NAME_PAYLOADS = ["<img src=x onerror=__pwned=1>", "<svg onload=__pwned=2>"];
/** Elements that user text must never become. */
const ACTIVE_ELEMENTS = "img, script, svg, iframe, object, embed, style, b, math, form, input";

describeInBrowser("the web client: hostile text", () => {
  const app = useBrowserFixture({ vars: { SEND_RATE_PER_SECOND: 1000, SEND_BURST: 1000 } });
  /** Dialogs any page opened; an alert() from a payload would show up here. */
  let dialogs: string[] = [];

  afterEach(() => {
    dialogs = [];
  });

  async function openAs(room: string, nickname: string): Promise<Page> {
    const context = await app.person();
    context.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return openRoom(context, app.url, room, nickname);
  }

  async function expectNothingRan(...pages: Page[]): Promise<void> {
    for (const page of pages) {
      // Give any handler that might have been attached (onerror, onload) time to fire.
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => Reflect.get(window, "__pwned"))).toBeUndefined();
      expect(await page.locator(`#messages :is(${ACTIVE_ELEMENTS})`).count()).toBe(0);
      expect(await page.locator(`#people-list :is(${ACTIVE_ELEMENTS})`).count()).toBe(0);
    }
    expect(dialogs).toEqual([]);
  }

  it("shows messages full of markup and script as the text that was typed", async () => {
    const room = freshRoom("xss-messages");
    const alice = await openAs(room, "alice");
    const bob = await openAs(room, "bob");
    for (const payload of MESSAGE_PAYLOADS) await sendMessage(alice, payload);
    // Alice's messages leave her outbox one at a time; the bot posts once they are all stored.
    await waitForMessages(alice, MESSAGE_PAYLOADS.length);
    await postMessages(app.url, room, MESSAGE_PAYLOADS, "bot");
    for (const page of [alice, bob]) {
      const shown = await waitForMessages(page, MESSAGE_PAYLOADS.length * 2);
      expect(shown.map((message) => message.text)).toEqual([...MESSAGE_PAYLOADS, ...MESSAGE_PAYLOADS]);
    }
    const hrefs = await bob
      .locator("#messages a")
      .evaluateAll((anchors) =>
        anchors.map((anchor) => ["href", "target", "rel"].map((name) => anchor.getAttribute(name)).join(" ")),
      );
    // The SVG namespace is an http address like any other; nothing else in these payloads is.
    expect(new Set(hrefs)).toEqual(new Set(["http://www.w3.org/2000/svg _blank noopener noreferrer"]));
    await expectNothingRan(alice, bob);
  });

  it("shows names full of markup as text in messages, presence and the typing line", async () => {
    const room = freshRoom("xss-names");
    const [firstName, secondName] = NAME_PAYLOADS;
    if (firstName === undefined || secondName === undefined) throw new Error("two name payloads expected");
    const first = await openAs(room, firstName);
    const second = await openAs(room, secondName);
    await waitForPeopleList(second, [`${secondName} (you)`, firstName]);
    await first.getByRole("textbox", { name: "Message", exact: true }).pressSequentially("typing", { delay: 20 });
    await second
      .locator("#typing")
      .filter({ hasText: `${firstName} is typing…` })
      .waitFor();
    await first.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    await waitForMessageText(second, "typing");
    expect((await waitForMessages(second, 1))[0]?.author).toBe(firstName);
    await expectNothingRan(first, second);
  });

  it("makes only http(s) addresses links, opening in a new tab without access to the page", async () => {
    const room = freshRoom("links");
    const alice = await openAs(room, "alice");
    const bob = await openAs(room, "bob");
    const text =
      "docs at https://example.com/a?b=1&c=2. also (http://example.org/x_(y)) but not javascript:alert(1), " +
      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== or vbscript:msgbox(1)";
    await sendMessage(alice, text);
    await waitForMessageText(bob, text);
    const links = await bob.locator("#messages a").evaluateAll((anchors) =>
      anchors.map((anchor) => ({
        text: anchor.textContent,
        href: anchor.getAttribute("href"),
        target: anchor.getAttribute("target"),
        rel: anchor.getAttribute("rel"),
      })),
    );
    expect(links).toEqual([
      {
        text: "https://example.com/a?b=1&c=2",
        href: "https://example.com/a?b=1&c=2",
        target: "_blank",
        rel: "noopener noreferrer",
      },
      {
        text: "http://example.org/x_(y)",
        href: "http://example.org/x_(y)",
        target: "_blank",
        rel: "noopener noreferrer",
      },
    ]);
    await expectNothingRan(alice, bob);
  });
});
