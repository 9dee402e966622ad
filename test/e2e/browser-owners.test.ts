/**
 * Rooms with owners in real Chromium against `wrangler dev`, as people use
 * them: an owner creates a room from the landing page and keeps the owner
 * link, invites a member and a moderator by link, the moderator mutes and
 * then bans a spammer (who is told why, on a phone in the dark scheme)
 * while the others keep chatting, and slow mode is shown to the person it
 * holds back, not to a moderator.
 */
import type { BrowserContext, Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { ARTIFACTS_DIR, describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import { messageWithText, reactWithPicker } from "./support/message-actions.ts";
import {
  chooseNickname,
  openRoom,
  PAGE_WAIT_MS,
  sendMessage,
  waitForConnection,
  waitForMessageText,
  waitForPeople,
} from "./support/room-page.ts";

const PHONE = { viewport: { width: 390, height: 844 }, colorScheme: "dark" } as const;

describeInBrowser("the web client: rooms with owners", () => {
  const app = useBrowserFixture();

  /**
   * Every console error (a script or stylesheet the Content-Security-Policy
   * refused, a chunk that failed to load) and every answer of 400 or more.
   */
  function watchProblems(page: Page): string[] {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
    return problems;
  }

  /** Opens an invite or owner link as a new person would, and picks a nickname. */
  async function openLink(context: BrowserContext, link: string, nickname: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(link);
    await chooseNickname(page, nickname);
    await waitForConnection(page, "online");
    await waitForPeople(page, (people) => people.includes(`${nickname} (you)`));
    return page;
  }

  /** Chooses an item of the header's Manage menu. */
  async function manage(page: Page, item: string): Promise<Locator> {
    await page.getByRole("button", { name: "Manage" }).click();
    await page.getByRole("menu", { name: "Manage the room" }).getByRole("menuitem", { name: item }).click();
    const dialog = page.getByRole("dialog", { name: item });
    await dialog.waitFor({ timeout: PAGE_WAIT_MS });
    return dialog;
  }

  /** Makes an invite link for `role` in the owner's Invite links dialog; returns it. */
  async function invite(page: Page, role: string): Promise<string> {
    const dialog = await manage(page, "Invite links");
    await dialog.getByLabel("Joins as").selectOption(role);
    await dialog.getByRole("button", { name: "Make a link" }).click();
    const link = dialog.getByRole("textbox", { name: "The new invite link" });
    await link.waitFor({ timeout: PAGE_WAIT_MS });
    await dialog.getByRole("listitem").filter({ hasText: role }).first().waitFor();
    const value = await link.inputValue();
    await page.screenshot({ path: `${ARTIFACTS_DIR}/owners-invite-${role}-desktop.png` });
    await dialog.getByRole("button", { name: "Close" }).click();
    return value;
  }

  /** Opens the actions for `name` beside their name in the people list, by keyboard, and chooses `item`. */
  async function actOn(page: Page, name: string, item: string): Promise<void> {
    const button = page.locator("#people-list").getByRole("button", { name: `Actions for ${name}` });
    await button.waitFor({ timeout: PAGE_WAIT_MS });
    await button.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: `Actions for ${name}` });
    await menu.waitFor({ timeout: PAGE_WAIT_MS });
    await menu.getByRole("menuitem", { name: item }).click();
  }

  it("lets an owner invite people and a moderator mute, then ban, a spammer while the others chat", async () => {
    // The owner creates the room from the landing page, and is shown the owner link once.
    const owner = await (await app.person()).newPage();
    const problems = watchProblems(owner);
    await owner.goto(app.url);
    await owner.getByRole("button", { name: "Create a private room" }).click();
    await chooseNickname(owner, "owner");
    const notice = owner.locator("#room-notice");
    await notice.getByText("This is your owner link: keep it; anyone who opens it owns this room").waitFor();
    const ownerLink = await notice.getByRole("textbox", { name: "Your owner link" }).inputValue();
    await owner.screenshot({ path: `${ARTIFACTS_DIR}/owners-owner-link-desktop.png` });
    expect(ownerLink).toMatch(/\/r\/[a-z2-7]{26}#k=[a-z2-7]{32}$/);
    // The key leaves the address bar once the room has answered it.
    await owner.waitForURL(/\/r\/[a-z2-7]{26}$/);
    const room = new URL(owner.url()).pathname.slice("/r/".length);
    expect(ownerLink).toContain(room);

    const memberLink = await invite(owner, "member");
    const moderatorLink = await invite(owner, "moderator");
    const member = await openLink(await app.person(), memberLink, "member");
    const moderator = await openLink(await app.person(), moderatorLink, "mod");
    const spammerContext = await app.person(PHONE);
    const spammer = await openRoom(spammerContext, app.url, room, "spammer");

    // Roles show in the member list; the Manage menu and the actions are for moderators and up.
    await waitForMembers(owner, ["owner", "owner"], ["mod", "moderator"], ["member", "member"]);
    expect(await member.getByRole("button", { name: "Manage" }).isHidden()).toBe(true);
    expect(await member.locator("#people-list").getByRole("button").count()).toBe(0);

    await sendMessage(spammer, "BUY NOW");
    await waitForMessageText(member, "BUY NOW");

    // Muted while writing: the spammer's box says why and does not send; the others carry on.
    const box = spammer.getByRole("textbox", { name: "Message", exact: true });
    await box.fill("BUY MORE");
    await actOn(moderator, "spammer", "Mute…");
    const muteDialog = moderator.getByRole("dialog", { name: "Mute spammer" });
    await muteDialog.waitFor();
    await moderator.screenshot({ path: `${ARTIFACTS_DIR}/owners-mute-dialog-desktop.png` });
    await muteDialog.getByLabel("For").selectOption({ label: "10 minutes" });
    await muteDialog.getByRole("textbox", { name: "Reason (optional)" }).fill("spam");
    await muteDialog.getByRole("button", { name: "Mute" }).click();
    await muteDialog.waitFor({ state: "detached" });
    await spammer.locator("#composer-note").getByText("You are muted for 10 min.").waitFor();
    expect(await box.getAttribute("aria-describedby")).toBe("composer-note");
    expect(await box.evaluate((input) => input instanceof HTMLTextAreaElement && input.readOnly)).toBe(true);
    await box.press("Enter");
    expect(await box.inputValue()).toBe("BUY MORE");
    expect(await spammer.locator("#outbox li").count()).toBe(0);
    await sendMessage(member, "lunch at noon?");
    for (const page of [owner, moderator, spammer]) await waitForMessageText(page, "lunch at noon?");
    // The emoji picker, loaded on demand with its stylesheet, still works.
    await reactWithPicker(owner, messageWithText(owner, "lunch at noon?"), "thumbs up");
    await messageWithText(member, "lunch at noon?").locator('.reaction[data-emoji="👍"]').waitFor();

    // Banned: the spammer is told so across the page, with the reason; the others still get every message.
    await actOn(moderator, "spammer", "Ban…");
    const banDialog = moderator.getByRole("dialog", { name: "Ban spammer?" });
    await banDialog.getByRole("textbox", { name: "Reason (optional)" }).fill("repeated spam");
    await banDialog.getByRole("button", { name: "Ban" }).click();
    const banned = spammer.locator("#room-notice");
    await banned.getByText("You are banned from this room.").waitFor({ timeout: PAGE_WAIT_MS });
    await banned.getByText("Reason: repeated spam").waitFor();
    await moderator.screenshot({ path: `${ARTIFACTS_DIR}/owners-moderator-desktop.png` });
    await waitForConnection(spammer, "offline");
    expect(await spammer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await spammer.screenshot({ path: `${ARTIFACTS_DIR}/owners-banned-phone-dark.png` });
    await waitForPeople(owner, (people) => !people.some((line) => line.startsWith("spammer")));
    await sendMessage(owner, "thanks, mod");
    for (const page of [member, moderator]) await waitForMessageText(page, "thanks, mod");

    // Coming back is refused with the same notice.
    const again = await spammerContext.newPage();
    await again.goto(`${app.url}/r/${room}`);
    await again.locator("#room-notice").getByText("You are banned from this room.").waitFor({ timeout: PAGE_WAIT_MS });

    // The record shows what the moderator did, newest first.
    const record = await manage(owner, "Moderation record");
    const entries = record.getByRole("listitem");
    await entries.first().waitFor();
    expect(await entries.first().textContent()).toContain("mod banned spammer");
    expect(await record.textContent()).toContain("mod muted spammer for 10 min");
    await owner.screenshot({ path: `${ARTIFACTS_DIR}/owners-record-desktop.png` });
    await owner.keyboard.press("Escape");
    await record.waitFor({ state: "detached" });
    expect(problems).toEqual([]);
  });

  it("shows slow mode to the person it holds back, and sends their message when the wait is over", async () => {
    const owner = await (await app.person({ viewport: PHONE.viewport })).newPage();
    await owner.goto(app.url);
    await owner.getByRole("button", { name: "Create a private room" }).click();
    await chooseNickname(owner, "owner");
    await owner.waitForURL(/\/r\/[a-z2-7]{26}$/);
    const room = new URL(owner.url()).pathname.slice("/r/".length);
    const guest = await openRoom(await app.person({ colorScheme: "dark" }), app.url, room, "guest");

    const settings = await manage(owner, "Room settings");
    await settings.getByLabel("Topic").fill("<b>release</b> week");
    await settings.getByLabel("Slow mode").selectOption({ label: "One message every 10 s" });
    expect(await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await owner.screenshot({ path: `${ARTIFACTS_DIR}/owners-settings-phone-light.png` });
    await settings.getByRole("button", { name: "Save" }).click();
    await settings.waitFor({ state: "detached" });

    // The topic is text, never markup.
    const topic = guest.locator("#room-topic");
    await topic.getByText("<b>release</b> week").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await topic.locator("b").count()).toBe(0);
    const note = guest.locator("#composer-note");
    await note.getByText("Slow mode: one message every 10 s.").waitFor();
    expect(await owner.locator("#composer-note").textContent()).toBe("");

    await sendMessage(guest, "first");
    await waitForMessageText(owner, "first");
    await sendMessage(guest, "second");
    await note.getByText(/^Slow mode: you can send again in \d+ s\.$/).waitFor({ timeout: PAGE_WAIT_MS });
    await guest.screenshot({ path: `${ARTIFACTS_DIR}/owners-slow-mode-dark.png` });
    // Held back, not lost: the room takes it once the interval is over.
    await waitForMessageText(owner, "second", 15_000);
    await note.getByText("Slow mode: one message every 10 s.").waitFor({ timeout: PAGE_WAIT_MS });

    // A moderator and up is not held back.
    await sendMessage(owner, "one");
    await sendMessage(owner, "two");
    await waitForMessageText(guest, "two", 5000);
  });

  it("tells a kicked person so and lets them rejoin, and lets into a key-only room only with a link", async () => {
    const owner = await (await app.person()).newPage();
    await owner.goto(app.url);
    await owner.getByRole("button", { name: "Create a private room" }).click();
    await chooseNickname(owner, "owner");
    await owner.waitForURL(/\/r\/[a-z2-7]{26}$/);
    const room = new URL(owner.url()).pathname.slice("/r/".length);
    const guestContext = await app.person();
    const guest = await openRoom(guestContext, app.url, room, "guest");

    await actOn(owner, "guest", "Kick…");
    const kickDialog = owner.getByRole("dialog", { name: "Kick guest?" });
    await kickDialog.getByRole("button", { name: "Kick" }).click();
    const notice = guest.locator("#room-notice");
    await notice.getByText("A moderator removed you from this room.").waitFor({ timeout: PAGE_WAIT_MS });
    await waitForConnection(guest, "offline");
    expect(await guest.locator("#reconnect").isHidden()).toBe(true);
    await notice.getByRole("button", { name: "Rejoin" }).click();
    await waitForConnection(guest, "online");
    expect(await guest.locator("#room-notice").isHidden()).toBe(true);

    // Only key holders may read now: the guest is shown the door, and comes back in with a reader's link.
    const settings = await manage(owner, "Room settings");
    await settings.getByLabel("Who can read").selectOption({ label: "Only people with an invite link" });
    await settings.getByRole("button", { name: "Save" }).click();
    await guest.locator("#room-notice").getByText("This room is only for people with an invite link.").waitFor();
    await waitForConnection(guest, "offline");
    const readerLink = await invite(owner, "reader");
    const reader = await openLinkAgain(guestContext, readerLink);
    await reader.locator("#composer-note").getByText("You can read this room but not write in it.").waitFor();
    await sendMessage(owner, "readers welcome");
    await waitForMessageText(reader, "readers welcome");
  });

  /** Opens a link in a browser profile that has already chosen its nickname. */
  async function openLinkAgain(context: BrowserContext, link: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(link);
    await waitForConnection(page, "online");
    return page;
  }

  /** Waits until the member list shows each [name, role] pair, in order, highest role first. */
  async function waitForMembers(page: Page, ...expected: [string, string][]): Promise<void> {
    const wanted = expected.map(([name, role]) => `${name}${role}`);
    const deadline = Date.now() + PAGE_WAIT_MS;
    for (;;) {
      const shown = await page
        .locator("#members-list li")
        .evaluateAll((items) =>
          items.map(
            (item) =>
              `${item.querySelector(".person-name")?.textContent ?? ""}${(item.querySelector(".person-role")?.textContent ?? "").replace("(you) ", "")}`,
          ),
        );
      if (JSON.stringify(shown) === JSON.stringify(wanted)) return;
      if (Date.now() > deadline) throw new Error(`the member list stayed ${JSON.stringify(shown)}`);
      await page.waitForTimeout(100);
    }
  }
});
