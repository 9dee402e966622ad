/**
 * The room page's controls in real Chromium against `wrangler dev`: the
 * nickname, failed messages, the unread count in the tab title, desktop
 * notifications, the copy-link button, and use by keyboard alone.
 */
import type { BrowserContextOptions, Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import {
  chooseNickname,
  freshRoom,
  openRoom,
  sendMessage,
  waitForConnection,
  waitForMessages,
  waitForMessageText,
  waitForPeopleList,
} from "./support/room-page.ts";

describeInBrowser("the web client: room controls", () => {
  const app = useBrowserFixture();
  const person = (options: BrowserContextOptions = {}) => app.person(options);

  /** Makes the page's tab count as hidden, as when the person switched to another tab. */
  async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
    await page.evaluate(
      (value) => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
        Object.defineProperty(document, "hidden", { configurable: true, get: () => value === "hidden" });
        document.dispatchEvent(new Event("visibilitychange"));
      },
      hidden ? "hidden" : "visible",
    );
  }

  it("asks for a nickname once, remembers it across rooms, and lets it be changed", async () => {
    const profile = await person();
    const alice = await profile.newPage();
    const room = freshRoom("nick");
    await alice.goto(`${app.url}/r/${room}`);
    const form = alice.getByLabel("Choose a nickname to start chatting");
    await form.fill("x".repeat(33));
    await form.press("Enter");
    await alice.getByRole("alert").filter({ hasText: "at most 32 characters" }).waitFor();
    await chooseNickname(alice, "alice");
    await waitForConnection(alice, "online");
    await sendMessage(alice, "hi");
    expect((await waitForMessages(alice, 1))[0]?.author).toBe("alice");

    const elsewhere = await profile.newPage();
    await elsewhere.goto(`${app.url}/r/${freshRoom("nick-other")}`);
    await waitForConnection(elsewhere, "online");
    expect(await elsewhere.locator("#nickname-form").isHidden()).toBe(true);
    await elsewhere.locator("#people-list").filter({ hasText: "alice (you)" }).waitFor();

    const bob = await openRoom(await person(), app.url, room, "bob");
    await alice.getByRole("button", { name: "Your nickname: alice. Change it" }).click();
    const rename = alice.getByLabel("Change your nickname");
    await rename.fill("alicia");
    await rename.press("Enter");
    await bob.locator("#people-list").filter({ hasText: "alicia" }).waitFor();
    await alice.getByRole("button", { name: "Your nickname: alicia. Change it" }).waitFor();
    await sendMessage(alice, "renamed");
    await waitForMessageText(bob, "renamed");
    expect((await waitForMessages(bob, 2))[1]?.author).toBe("alicia");
  });

  it("marks a message the room cannot take as failed, to retry, edit or discard", async () => {
    const alice = await openRoom(await person(), app.url, freshRoom("failed"), "alice");
    const box = alice.getByRole("textbox", { name: "Message", exact: true });
    const failed = alice.locator("#outbox li.failed");
    const tooLong = "y".repeat(4001);
    await sendMessage(alice, tooLong);
    await failed.filter({ hasText: "Too long to send" }).waitFor();
    await failed.getByRole("button", { name: "Retry" }).click();
    await failed.filter({ hasText: "Too long to send" }).waitFor();
    await failed.getByRole("button", { name: "Edit" }).click();
    await failed.waitFor({ state: "detached" });
    expect(await box.inputValue()).toBe(tooLong);
    await box.fill("short enough");
    await box.press("Enter");
    await waitForMessageText(alice, "short enough");

    await sendMessage(alice, "z".repeat(4001));
    await failed.getByRole("button", { name: "Discard" }).click();
    await failed.waitFor({ state: "detached" });
    expect(await box.inputValue()).toBe("");
    expect(await alice.locator("#outbox li").count()).toBe(0);
    expect((await waitForMessages(alice, 1)).map((message) => message.text)).toEqual(["short enough"]);
  });

  it("shares unsent messages between tabs: another tab of the same room shows them and cannot wipe them out", async () => {
    const room = freshRoom("tabs");
    const profile = await person();
    const firstTab = await openRoom(profile, app.url, room, "alice");
    const secondTab = await openRoom(profile, app.url, room, "alice");
    const tooLong = "kept ".repeat(801).trim();
    await sendMessage(firstTab, tooLong);
    await firstTab.locator("#outbox li.failed").waitFor();
    // The second tab saves its session (the token, the queue without its sent message) as its message is stored.
    await sendMessage(secondTab, "from the second tab");
    await waitForMessageText(secondTab, "from the second tab");
    await firstTab.reload();
    await waitForConnection(firstTab, "online");
    expect(await firstTab.locator("#outbox li.failed .message-text").textContent()).toBe(tooLong);
    expect(await secondTab.locator("#outbox li.failed .message-text").allTextContents()).toEqual([tooLong]);
    // Both tabs are one person: they share the identity, so the room counts one user.
    const bob = await openRoom(await person(), app.url, room, "bob");
    await bob.locator("#people-count").filter({ hasText: /^2$/ }).waitFor();
    await waitForPeopleList(bob, ["bob (you)", "alice"]);
  });

  it("counts unread messages in the tab title while the tab is hidden", async () => {
    const room = freshRoom("unread");
    const alice = await openRoom(await person(), app.url, room, "alice");
    const bob = await openRoom(await person(), app.url, room, "bob");
    expect(await alice.title()).toBe(`#${room} · edgechat`);
    await setTabHidden(alice, true);
    await sendMessage(bob, "one");
    await sendMessage(bob, "two");
    await waitForMessageText(alice, "two");
    expect(await alice.title()).toBe(`(2) #${room} · edgechat`);
    await setTabHidden(alice, false);
    expect(await alice.title()).toBe(`#${room} · edgechat`);
  });

  it("shows desktop notifications only after the person opts in", async () => {
    const room = freshRoom("notify");
    const profile = await person({ permissions: ["notifications"] });
    await profile.addInitScript(() => {
      const shown: { title: string; body: string | undefined }[] = [];
      Object.defineProperty(window, "shownNotifications", { value: shown });
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body });
        }
      };
    });
    const alice = await openRoom(profile, app.url, room, "alice");
    const bob = await openRoom(await person(), app.url, room, "bob");
    const shown = () => alice.evaluate(() => Reflect.get(window, "shownNotifications"));
    await setTabHidden(alice, true);
    await sendMessage(bob, "before opting in");
    await waitForMessageText(alice, "before opting in");
    expect(await shown()).toEqual([]);

    await setTabHidden(alice, false);
    const button = alice.getByRole("button", { name: "Notify me" });
    await button.click();
    await alice.locator('#notify[aria-pressed="true"]').filter({ hasText: "Notifications on" }).waitFor();
    // A room notifies about mentions only, until the person asks for every message.
    const setting = alice.getByLabel("Notify me about");
    expect(await setting.inputValue()).toBe("mentions");
    await setTabHidden(alice, true);
    await sendMessage(bob, "after opting in, no mention");
    await waitForMessageText(alice, "after opting in, no mention");
    expect(await shown()).toEqual([]);

    await setTabHidden(alice, false);
    await setting.selectOption("all");
    await setTabHidden(alice, true);
    await sendMessage(bob, "after opting in");
    await waitForMessageText(alice, "after opting in");
    expect(await shown()).toEqual([{ title: `bob in #${room}`, body: "after opting in" }]);
  });

  it("copies the room's link to the clipboard", async () => {
    const room = freshRoom("Copy");
    const profile = await person({ permissions: ["clipboard-read", "clipboard-write"] });
    const alice = await openRoom(profile, app.url, room, "alice");
    expect(new URL(alice.url()).pathname).toBe(`/r/${room.toLowerCase()}`);
    await alice.getByRole("button", { name: "Copy link" }).click();
    await alice.locator("#copy-link").filter({ hasText: "Copied" }).waitFor();
    expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe(`${app.url}/r/${room.toLowerCase()}`);
  });

  it("can be used by keyboard alone, with a visible focus ring", async () => {
    const room = freshRoom("keyboard");
    const alice = await openRoom(await person(), app.url, room, "alice");
    // A fresh load, with the nickname remembered: keyboard focus starts at the top of the page.
    await alice.reload();
    await waitForConnection(alice, "online");
    const reached: string[] = [];
    for (let presses = 0; presses < 15; presses++) {
      await alice.keyboard.press("Tab");
      const focused = await alice.evaluate(() => {
        const element = document.activeElement;
        return element instanceof HTMLElement
          ? { id: element.id || element.tagName, outline: getComputedStyle(element).outlineStyle }
          : { id: "", outline: "none" };
      });
      expect(focused.outline, `focus ring on #${focused.id}`).not.toBe("none");
      reached.push(focused.id);
      if (focused.id === "message-input") break;
    }
    expect(reached).toEqual(
      expect.arrayContaining(["copy-link", "notify", "people-toggle", "scroller", "nickname-chip"]),
    );
    expect(reached.at(-1)).toBe("message-input");
    await alice.keyboard.type("typed by keyboard");
    await alice.keyboard.press("Enter");
    await waitForMessageText(alice, "typed by keyboard");
    await alice.keyboard.press("Shift+Tab");
    await alice.keyboard.press("Enter");
    await alice.getByLabel("Change your nickname").waitFor();
    await alice.keyboard.press("Escape");
    await alice.locator("#composer:not([hidden])").waitFor();
  });
});
