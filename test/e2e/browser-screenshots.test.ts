/**
 * The room and landing pages at phone and desktop sizes, in light and dark,
 * saved as screenshots under test/artifacts/ for people to look at, and
 * checked for what breaks a layout: sideways scrolling, a message box out of
 * reach, a colour scheme not followed.
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { ARTIFACTS_DIR, describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import { chooseNickname, openRoom, postMessages, sendMessage, waitForMessages } from "./support/room-page.ts";

const SIZES = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;
const SCHEMES = ["light", "dark"] as const;

describeInBrowser("the web client: layouts", () => {
  const app = useBrowserFixture();
  /** Screenshots at twice the pixels, as on a phone's screen. */
  const person = () => app.person({ deviceScaleFactor: 2 });

  /** Nothing scrolls sideways, and the message box is on screen. */
  async function expectUsableLayout(page: Page, width: number, height: number): Promise<void> {
    const overflow = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth - window.innerWidth,
      list:
        (document.getElementById("scroller")?.scrollWidth ?? 0) -
        (document.getElementById("scroller")?.clientWidth ?? 0),
    }));
    expect(overflow).toEqual({ page: 0, list: 0 });
    const box = await page.getByRole("textbox", { name: "Message", exact: true }).boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? -1) >= 0 && (box?.y ?? -1) >= 0).toBe(true);
    expect((box?.x ?? width) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
    expect((box?.y ?? height) + (box?.height ?? 0)).toBeLessThanOrEqual(height);
  }

  /** The page's background: dark in the dark scheme, light in the light one. */
  async function backgroundLightness(page: Page): Promise<number> {
    const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [red = 0, green = 0, blue = 0] = (colour.match(/\d+/g) ?? []).map(Number);
    return (red + green + blue) / (3 * 255);
  }

  it("lays out a lively room on a phone and a desktop, light and dark", async () => {
    const room = "general";
    await postMessages(app.url, room, [
      "Welcome to #general! Docs: https://developers.cloudflare.com/durable-objects/",
    ]);
    await postMessages(app.url, room, ["会議は15時からです。よろしくお願いします 🙏"], "carol");
    const bob = await openRoom(await person(), app.url, room, "bob");
    const alice = await openRoom(await person(), app.url, room, "alice");
    await sendMessage(bob, "Shipping the new build today 🚀\nThe changelog is in the usual place.");
    await waitForMessages(alice, 3);
    await sendMessage(alice, "Sounds good, I'll review it after lunch 👍");
    await waitForMessages(bob, 4);
    await sendMessage(
      bob,
      "https://example.com/a/very/long/path/that/must/wrap/instead/of/widening/the/screen?with=query&and=more",
    );
    await waitForMessages(alice, 5);

    for (const [size, { width, height }] of Object.entries(SIZES)) {
      for (const scheme of SCHEMES) {
        await alice.setViewportSize({ width, height });
        await alice.emulateMedia({ colorScheme: scheme });
        // The room relays one typing signal per person every 2 s (and sending counted as typing): wait that out.
        await alice.waitForTimeout(2500);
        await bob.getByRole("textbox", { name: "Message", exact: true }).pressSequentially("…", { delay: 10 });
        await alice.locator("#typing").filter({ hasText: "bob is typing…" }).waitFor();
        await expectUsableLayout(alice, width, height);
        const lightness = await backgroundLightness(alice);
        if (scheme === "dark") expect(lightness).toBeLessThan(0.2);
        else expect(lightness).toBeGreaterThan(0.8);
        await alice.screenshot({ path: `${ARTIFACTS_DIR}/room-${size}-${scheme}.png` });
        await bob.getByRole("textbox", { name: "Message", exact: true }).fill("");
      }
    }

    await alice.setViewportSize(SIZES.phone);
    await alice.emulateMedia({ colorScheme: "dark" });
    // The panel follows the width through a resize listener, which runs after the viewport changes.
    await alice.locator("#people").waitFor({ state: "hidden", timeout: 5000 });
    await alice.getByRole("button", { name: /online/ }).click();
    await alice.locator("#people-list").filter({ hasText: "bob" }).waitFor();
    await alice.screenshot({ path: `${ARTIFACTS_DIR}/room-phone-people-dark.png` });
    await alice.keyboard.press("Escape");
    await alice.locator("#people").waitFor({ state: "hidden", timeout: 5000 });
  });

  it("asks for a nickname and shows a failed message legibly on a phone", async () => {
    const page = await (await person()).newPage();
    await page.setViewportSize(SIZES.phone);
    await page.goto(`${app.url}/r/general`);
    await page.getByLabel("Choose a nickname to start chatting").waitFor();
    await page.locator("#messages li.message").first().waitFor();
    await page.screenshot({ path: `${ARTIFACTS_DIR}/room-phone-nickname-light.png` });
    await chooseNickname(page, "dana");
    await sendMessage(page, `${"far too long ".repeat(320)}end`);
    await page.getByRole("button", { name: "Discard" }).waitFor();
    await expectUsableLayout(page, SIZES.phone.width, SIZES.phone.height);
    await page.screenshot({ path: `${ARTIFACTS_DIR}/room-phone-failed-light.png` });
  });

  it("lays out the landing page on a phone and a desktop, light and dark", async () => {
    const page = await (await person()).newPage();
    for (const [size, { width, height }] of Object.entries(SIZES)) {
      for (const scheme of SCHEMES) {
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(app.url);
        await page.getByRole("button", { name: "Create a private room" }).waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
        await page.screenshot({ path: `${ARTIFACTS_DIR}/landing-${size}-${scheme}.png` });
      }
    }
  });
});
