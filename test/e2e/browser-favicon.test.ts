/**
 * The app's icon: `/favicon.svg`, which both pages link, and `/favicon.ico`,
 * which browsers and crawlers ask for whatever a page links; and pages that
 * load without a single failed request in the console.
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import { freshRoom, PAGE_WAIT_MS, waitForConnection } from "./support/room-page.ts";

/** What Workers Static Assets may call an .ico; both name the same format. */
const ICO_TYPES = ["image/x-icon", "image/vnd.microsoft.icon"];

describeInBrowser("the web client: the icon", () => {
  const app = useBrowserFixture();

  /**
   * Every console error and every answer of 400 or more, the tab's icon
   * included, while `load` runs on a fresh page and until the browser has
   * fetched the icon. The icon is fetched by the browser rather than the
   * page, so only the DevTools protocol sees its request.
   */
  async function problemsWhile(load: (page: Page) => Promise<void>): Promise<string[]> {
    const page = await (await app.person()).newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    const devtools = await page.context().newCDPSession(page);
    await devtools.send("Network.enable");
    const iconFetched = new Promise<string>((resolve) => {
      devtools.on("Network.responseReceived", ({ response }) => {
        if (response.status >= 400) problems.push(`${response.status} ${response.url}`);
        const path = new URL(response.url).pathname;
        if (path.startsWith("/favicon.")) resolve(`${path} ${response.status}`);
      });
    });
    await load(page);
    const noIcon = new Promise<string>((resolve) => setTimeout(() => resolve("no icon fetched"), PAGE_WAIT_MS));
    expect(await Promise.race([iconFetched, noIcon])).toBe("/favicon.svg 200");
    return problems;
  }

  it("answers /favicon.ico with a 32×32 icon", async () => {
    const response = await fetch(`${app.url}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(ICO_TYPES).toContain(response.headers.get("Content-Type"));
    const bytes = new Uint8Array(await response.arrayBuffer());
    // ICONDIR (reserved 0, type 1 = icon, one image), then the image's width and height.
    expect([...bytes.subarray(0, 8)]).toEqual([0, 0, 1, 0, 1, 0, 32, 32]);
  });

  it("answers /favicon.svg with the SVG icon", async () => {
    const response = await fetch(`${app.url}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("image/svg+xml");
    expect(await response.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("loads the landing page without a failed request or a console error", async () => {
    const problems = await problemsWhile(async (page) => {
      await page.goto(app.url);
      await page.getByRole("heading", { name: "Join a room" }).waitFor();
    });
    expect(problems).toEqual([]);
  });

  it("loads a room page without a failed request or a console error", async () => {
    const problems = await problemsWhile(async (page) => {
      await page.goto(`${app.url}/r/${freshRoom("icon")}`);
      await waitForConnection(page, "online");
    });
    expect(problems).toEqual([]);
  });
});
