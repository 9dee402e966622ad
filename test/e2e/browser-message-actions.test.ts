/**
 * Messages people can change and answer, in real Chromium against `wrangler
 * dev`: replies, edits in place, deletions after a confirmation, reactions
 * through the emoji picker, mentions completed from `@`, links to a
 * message; each seen by the others as it happens, and by whoever arrives or
 * reloads later as it is now. By mouse, by keyboard alone, at phone width
 * and in the dark scheme.
 */
import type { BrowserContextOptions, Page } from "playwright-core";
import { expect, it } from "vitest";
import { ARTIFACTS_DIR, describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import {
  chooseFromMenu,
  deleteMessage,
  drawnMessages,
  editMessage,
  focused,
  menuItems,
  messageAt,
  messageWithText,
  openMessageMenu,
  reactWithPicker,
  seqOf,
  setTabHidden,
  sharedView,
  waitForDrawn,
} from "./support/message-actions.ts";
import {
  freshRoom,
  openRoom,
  PAGE_WAIT_MS,
  postMessages,
  sendMessage,
  waitForConnection,
  waitForMessages,
  waitForMessageText,
  waitForPeopleList,
} from "./support/room-page.ts";

/** A generous send rate, so that a test can seed a room with many messages quickly. */
const VARS = { SEND_RATE_PER_SECOND: 1000, SEND_BURST: 1000 };

describeInBrowser("the web client: changing and answering messages", () => {
  const app = useBrowserFixture({ vars: VARS });
  const person = (options: BrowserContextOptions = {}) => app.person(options);

  /** Two people in a fresh room, each seeing the other online. */
  async function twoPeople(prefix: string, options: BrowserContextOptions = {}, bobsOptions = options) {
    const room = freshRoom(prefix);
    const alice = await openRoom(await person(options), app.url, room, "alice");
    const bob = await openRoom(await person(bobsOptions), app.url, room, "bob");
    await waitForPeopleList(alice, ["alice (you)", "bob"]);
    return { room, alice, bob };
  }

  /** Replies to the message with text `to`, from its menu, with `text`. */
  async function reply(page: Page, to: string, text: string): Promise<void> {
    await chooseFromMenu(page, messageWithText(page, to), "Reply");
    await page.locator("#reply-bar").filter({ hasText: `Replying to` }).waitFor();
    const box = page.getByRole("textbox", { name: "Message", exact: true });
    expect(await focused(page)).toMatchObject({ role: "textarea", seq: null });
    await box.fill(text);
    await box.press("Enter");
  }

  it("lets two people reply, edit, react, mention and delete, each seeing the other's changes", async () => {
    const { room, alice, bob } = await twoPeople("actions");
    await sendMessage(alice, "Lunch at noon?");
    await waitForMessageText(bob, "Lunch at noon?");
    const first = await seqOf(messageWithText(alice, "Lunch at noon?"));

    // Bob answers: the bar says to what, and the reply quotes it for both.
    await chooseFromMenu(bob, messageWithText(bob, "Lunch at noon?"), "Reply");
    expect(await bob.locator("#reply-bar").textContent()).toContain("Replying to alice: Lunch at noon?");
    await bob.getByRole("textbox", { name: "Message", exact: true }).fill("Sounds good");
    await bob.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    expect(await bob.locator("#reply-bar").isHidden()).toBe(true);
    for (const page of [alice, bob]) {
      await waitForDrawn(page, (drawn) =>
        drawn.some(
          (message) =>
            message.text === "Sounds good" &&
            message.replyTo?.author === "alice" &&
            message.replyTo.text === "Lunch at noon?",
        ),
      );
    }

    // Alice edits in place: both see the new text, marked edited, and the reply's quote follows.
    await editMessage(alice, messageWithText(alice, "Lunch at noon?"), "Lunch at 12:30?");
    for (const page of [alice, bob]) {
      const drawn = await waitForDrawn(page, (messages) =>
        messages.some((message) => message.text === "Lunch at 12:30?" && message.edited),
      );
      expect(drawn.find((message) => message.text === "Sounds good")?.replyTo?.text).toBe("Lunch at 12:30?");
      expect(await messageAt(page, first).locator(".message-edited").getAttribute("title")).toMatch(/^Edited /);
    }

    // The quote goes to the message it answers.
    await messageWithText(bob, "Sounds good").locator(".reply-preview").click();
    await messageAt(bob, first).and(bob.locator(".highlight")).waitFor();
    expect((await focused(bob)).seq).toBe(String(first));

    // Bob reacts through the picker; Alice sees the count and who, then adds hers.
    await reactWithPicker(bob, messageAt(bob, first), "thumbs up");
    await waitForDrawn(alice, (drawn) =>
      drawn.some((message) =>
        message.reactions.some(
          (reaction) =>
            reaction.emoji === "👍" &&
            reaction.count === 1 &&
            !reaction.pressed &&
            reaction.who === "bob reacted with 👍",
        ),
      ),
    );
    await messageAt(alice, first).locator(".reaction").filter({ hasText: "👍" }).click();
    const pressed = alice.locator(`#messages li.message[data-seq="${first}"] .reaction[aria-pressed="true"]`);
    await pressed.filter({ hasText: "2" }).waitFor();
    expect(await pressed.getAttribute("title")).toBe("bob and you reacted with 👍");
    const bobsView = await waitForDrawn(bob, (drawn) =>
      drawn.some((message) => message.reactions.some((reaction) => reaction.count === 2)),
    );
    expect(bobsView.find((message) => message.seq === first)?.reactions).toEqual([
      { emoji: "👍", count: 2, pressed: true, who: "You and alice reacted with 👍" },
    ]);

    // A mention completed from `@`: Bob, in another tab meanwhile, sees it highlighted and counted apart.
    await setTabHidden(bob, true);
    const box = alice.getByRole("textbox", { name: "Message", exact: true });
    await box.pressSequentially("@bo", { delay: 20 });
    await alice.getByRole("listbox", { name: "People to mention" }).getByRole("option", { name: "bob" }).waitFor();
    await box.press("Enter");
    expect(await box.inputValue()).toBe("@bob ");
    await box.pressSequentially("see you there", { delay: 5 });
    await box.press("Enter");
    const mention = messageWithText(bob, "@bob see you there");
    await mention.locator(".mention.mention-self").filter({ hasText: "@bob" }).waitFor();
    expect(await mention.getAttribute("class")).toContain("mentions-me");
    expect(await bob.title()).toBe(`(1 · 1 @) #${room} · edgechat`);
    await sendMessage(alice, "and bring the slides");
    await waitForMessageText(bob, "and bring the slides");
    expect(await bob.title()).toBe(`(2 · 1 @) #${room} · edgechat`);
    await setTabHidden(bob, false);
    expect(await bob.title()).toBe(`#${room} · edgechat`);
    expect(await bob.locator("#announcer").textContent()).toContain("alice mentioned you: @bob see you there");

    // Alice deletes, after saying Cancel once: both see the stub, and the reply's quote says so.
    await chooseFromMenu(alice, messageAt(alice, first), "Delete");
    const dialog = alice.getByRole("dialog", { name: "Delete this message?" });
    await dialog.waitFor();
    expect((await focused(alice)).label).toBe("Cancel");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await drawnMessages(alice)).find((message) => message.seq === first)?.deleted).toBe(false);
    await deleteMessage(alice, messageAt(alice, first));
    for (const page of [alice, bob]) {
      const drawn = await waitForDrawn(page, (messages) =>
        messages.some((message) => message.seq === first && message.deleted),
      );
      expect(drawn.find((message) => message.seq === first)).toMatchObject({ text: "", reactions: [] });
      expect(drawn.find((message) => message.text === "Sounds good")?.replyTo).toEqual({
        author: "alice",
        text: "message deleted",
        deleted: true,
      });
    }
    // A deleted message offers only its link.
    await openMessageMenu(bob, messageAt(bob, first));
    expect(await menuItems(bob)).toEqual(["Copy link"]);
    await bob.keyboard.press("Escape");
    expect(sharedView(await drawnMessages(bob))).toEqual(sharedView(await drawnMessages(alice)));
    await bob.screenshot({ path: `${ARTIFACTS_DIR}/message-actions-desktop.png` });
  });

  it("edits the last own message with Up in an empty message box", async () => {
    const { alice, bob } = await twoPeople("up-arrow");
    await sendMessage(alice, "first");
    await sendMessage(bob, "from bob");
    await sendMessage(alice, "secnod");
    await waitForMessages(alice, 3);
    const last = messageAt(alice, await seqOf(messageWithText(alice, "secnod")));
    const box = alice.getByRole("textbox", { name: "Message", exact: true });
    await box.focus();
    await box.press("ArrowUp");
    const edit = last.getByRole("textbox", { name: "Edit message" });
    await edit.waitFor();
    expect(await edit.inputValue()).toBe("secnod");
    expect(await focused(alice)).toMatchObject({ role: "textarea" });
    // Escape leaves it as it was, with the focus back in the message box.
    await edit.press("Escape");
    await edit.waitFor({ state: "detached" });
    expect(await focused(alice)).toMatchObject({ role: "textarea", seq: null });
    await box.press("ArrowUp");
    await edit.fill("second\nwith a second line");
    await edit.press("Enter");
    await waitForDrawn(bob, (drawn) =>
      drawn.some((message) => message.text === "second\nwith a second line" && message.edited),
    );
    // Up with text in the box moves the caret, as it always did.
    await box.fill("draft");
    await box.press("ArrowUp");
    expect(await alice.locator(".message-edit").count()).toBe(0);
  });

  it("opens a message's menu by keyboard alone, moves with the arrows, and returns the focus on Escape", async () => {
    const { alice } = await twoPeople("keyboard");
    await sendMessage(alice, "keyboard only");
    await waitForMessageText(alice, "keyboard only");
    await alice.locator("#scroller").focus();
    await alice.keyboard.press("Tab");
    expect(await focused(alice)).toMatchObject({ label: "Message actions" });
    const button = messageWithText(alice, "keyboard only").getByRole("button", { name: "Message actions" });
    expect(await button.evaluate((element) => getComputedStyle(element).opacity)).toBe("1");
    await alice.keyboard.press("Enter");
    const labels = async () => (await focused(alice)).label;
    expect(await labels()).toBe("Reply");
    expect(await menuItems(alice)).toEqual(["Reply", "React", "Edit", "Delete", "Copy link"]);
    const moves: [string, string][] = [
      ["ArrowDown", "React"],
      ["ArrowDown", "Edit"],
      ["ArrowUp", "React"],
      ["End", "Copy link"],
      ["ArrowDown", "Reply"],
      ["ArrowUp", "Copy link"],
      ["Home", "Reply"],
    ];
    for (const [key, label] of moves) {
      await alice.keyboard.press(key);
      expect(await labels(), `after ${key}`).toBe(label);
    }
    await alice.keyboard.press("Escape");
    await alice.getByRole("menu").waitFor({ state: "detached" });
    expect(await focused(alice)).toMatchObject({ label: "Message actions" });
    expect(await button.getAttribute("aria-expanded")).toBe("false");

    // Edit, by keyboard: Enter saves, and the focus comes back to the message's button.
    await alice.keyboard.press("Enter");
    await alice.keyboard.press("ArrowDown");
    await alice.keyboard.press("ArrowDown");
    await alice.keyboard.press("Enter");
    expect(await focused(alice)).toMatchObject({ role: "textarea" });
    await alice.keyboard.press("End");
    await alice.keyboard.type(", edited");
    await alice.keyboard.press("Enter");
    await waitForMessageText(alice, "keyboard only, edited");
    expect(await focused(alice)).toMatchObject({ label: "Message actions" });

    // React, by keyboard: the picker's search, Enter picks the best match.
    await alice.keyboard.press("Enter");
    await alice.keyboard.press("ArrowDown");
    await alice.keyboard.press("Enter");
    await alice.getByRole("dialog", { name: "Choose an emoji" }).waitFor();
    await alice.keyboard.type("tada");
    await alice.keyboard.press("Enter");
    await alice.locator('.reaction[aria-pressed="true"]').filter({ hasText: "🎉" }).waitFor();
  });

  it("shows a newcomer, and a person who reloads, every message as it is now", async () => {
    const { room, alice, bob } = await twoPeople("state");
    await sendMessage(alice, "the plan");
    await sendMessage(alice, "a typo");
    await waitForMessageText(bob, "a typo");
    await reply(bob, "the plan", "agreed");
    await waitForMessageText(alice, "agreed");
    await editMessage(alice, messageWithText(alice, "the plan"), "the new plan");
    await waitForMessageText(bob, "the new plan");

    // Bob reloads mid-way and comes back to the room as it is.
    await bob.reload();
    await waitForConnection(bob, "online");
    await waitForDrawn(bob, (drawn) => drawn.some((message) => message.text === "the new plan" && message.edited));
    await reactWithPicker(bob, messageWithText(bob, "the new plan"), "red heart");
    await deleteMessage(alice, messageWithText(alice, "a typo"));
    await waitForDrawn(
      alice,
      (drawn) => drawn.some((message) => message.deleted) && drawn.some((message) => message.reactions.length === 1),
    );
    const expected = sharedView(await drawnMessages(alice));
    expect(expected).toEqual([
      {
        seq: expect.any(Number),
        author: "alice",
        text: "the new plan",
        edited: true,
        deleted: false,
        replyTo: null,
        reactions: [{ emoji: "❤️", count: 1 }],
      },
      {
        seq: expect.any(Number),
        author: "alice",
        text: "",
        edited: false,
        deleted: true,
        replyTo: null,
        reactions: [],
      },
      {
        seq: expect.any(Number),
        author: "bob",
        text: "agreed",
        edited: false,
        deleted: false,
        replyTo: { author: "alice", text: "the new plan", deleted: false },
        reactions: [],
      },
    ]);
    await waitForDrawn(bob, (drawn) => JSON.stringify(sharedView(drawn)) === JSON.stringify(expected));

    // Carol arrives after it all, and so does Bob once more.
    const carol = await openRoom(await person(), app.url, room, "carol");
    await waitForDrawn(carol, (drawn) => JSON.stringify(sharedView(drawn)) === JSON.stringify(expected));
    const heart = (await drawnMessages(carol))[0]?.reactions[0];
    expect(heart).toEqual({ emoji: "❤️", count: 1, pressed: false, who: "bob reacted with ❤️" });
    await bob.reload();
    await waitForConnection(bob, "online");
    await waitForDrawn(bob, (drawn) => JSON.stringify(sharedView(drawn)) === JSON.stringify(expected));
    expect((await drawnMessages(bob))[0]?.reactions[0]?.pressed).toBe(true);
  });

  it("copies a message's link, and opens one scrolled to its message, read around it", async () => {
    const room = freshRoom("links");
    await postMessages(
      app.url,
      room,
      Array.from({ length: 120 }, (_, index) => `message ${index + 1}`),
    );
    const profile = await person({ permissions: ["clipboard-read", "clipboard-write"] });
    const alice = await openRoom(profile, app.url, room, "alice");
    await waitForMessageText(alice, "message 120");
    await chooseFromMenu(alice, messageWithText(alice, "message 118"), "Copy link");
    await messageWithText(alice, "message 118").locator(".copied-note").waitFor();
    const roomUrl = `${app.url}/r/${room.toLowerCase()}`;
    expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe(`${roomUrl}#m=118`);

    // A fresh page opened on message 10, which is not among the newest the welcome shows.
    const visitor = await (await person({ permissions: ["clipboard-read", "clipboard-write"] })).newPage();
    await visitor.goto(`${roomUrl}#m=10`);
    const target = messageAt(visitor, 10);
    await target.and(visitor.locator(".highlight")).waitFor({ timeout: PAGE_WAIT_MS });
    expect(await target.locator(".message-text").textContent()).toBe("message 10");
    expect((await focused(visitor)).seq).toBe("10");
    const [box, scroller] = await Promise.all([target.boundingBox(), visitor.locator("#scroller").boundingBox()]);
    if (box === null || scroller === null) throw new Error("the message and the list are on screen");
    expect(box.y).toBeGreaterThanOrEqual(scroller.y);
    expect(box.y + box.height).toBeLessThanOrEqual(scroller.y + scroller.height);
    // The highlight is for a moment only.
    await target.and(visitor.locator(".highlight")).waitFor({ state: "detached", timeout: PAGE_WAIT_MS });
    // The page around it, older ones first: nothing newer is mixed in until the reader goes back.
    const shown = (await drawnMessages(visitor)).map((message) => message.seq);
    expect(shown[0]).toBe(1);
    expect(shown.includes(120)).toBe(false);
    await postMessages(app.url, room, ["message 121"]);
    await visitor.waitForTimeout(300);
    expect((await drawnMessages(visitor)).some((message) => message.text === "message 121")).toBe(false);

    // A link to a message the room does not keep says so, where the message would be.
    const lost = await (await person()).newPage();
    await lost.goto(`${roomUrl}#m=5000`);
    await lost
      .locator("#messages .list-notice")
      .filter({ hasText: "That message is no longer kept by the room." })
      .waitFor({ timeout: PAGE_WAIT_MS });

    // The room's own link stays the room's.
    await visitor.getByRole("button", { name: "Copy link", exact: true }).click();
    expect(await visitor.evaluate(() => navigator.clipboard.readText())).toBe(roomUrl);

    await visitor.getByRole("button", { name: "Jump to latest ↓" }).click();
    await waitForMessageText(visitor, "message 121");
    expect(await messageAt(visitor, 10).count()).toBe(0);
    expect(await visitor.getByRole("button", { name: "Jump to latest ↓" }).isHidden()).toBe(true);
    const newest = (await drawnMessages(visitor)).map((message) => message.seq);
    expect(newest.at(-1)).toBe(121);
    // One run of messages, without a gap: everything from where the welcome began up to the newest.
    expect(newest).toEqual(Array.from({ length: newest.length }, (_, index) => 122 - newest.length + index));
  });

  it("fits the menu and the reactions on a phone, opening the menu with a long press", async () => {
    const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 };
    // Alice holds a touch screen; Bob, at the same width, a mouse.
    const { alice, bob } = await twoPeople("phone", { ...phone, hasTouch: true }, phone);
    await sendMessage(alice, "On a phone, everything fits: a fairly long message that wraps over lines");
    await sendMessage(bob, "short");
    const long = "On a phone, everything fits: a fairly long message that wraps over lines";
    await waitForMessageText(bob, long);
    for (const name of ["thumbs up", "red heart", "face with tears of joy", "party popper", "fire"]) {
      await reactWithPicker(bob, messageWithText(bob, long), name);
    }
    await waitForDrawn(alice, (drawn) => drawn.some((message) => message.reactions.length === 5));

    // A long press on the message opens its menu.
    const text = messageWithText(alice, long).locator(".message-text");
    const where = await text.boundingBox();
    if (where === null) throw new Error("the message is on screen");
    const point = { pointerType: "touch", isPrimary: true, clientX: where.x + 20, clientY: where.y + 5 };
    await text.dispatchEvent("pointerdown", point);
    await alice.waitForTimeout(700);
    await text.dispatchEvent("pointerup", point);
    const menu = alice.getByRole("menu", { name: "Message actions" });
    await menu.waitFor();
    const overflow = await alice.evaluate(() => ({
      page: document.documentElement.scrollWidth - window.innerWidth,
      list:
        (document.getElementById("scroller")?.scrollWidth ?? 0) -
        (document.getElementById("scroller")?.clientWidth ?? 0),
    }));
    expect(overflow).toEqual({ page: 0, list: 0 });
    for (const part of [menu, alice.locator(".reactions").first()]) {
      const box = await part.boundingBox();
      expect(box).not.toBeNull();
      expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    }
    await alice.screenshot({ path: `${ARTIFACTS_DIR}/message-actions-phone.png` });
    await alice.keyboard.press("Escape");

    // Holding a finger and moving it scrolls, and opens nothing.
    await text.dispatchEvent("pointerdown", point);
    await text.dispatchEvent("pointermove", { ...point, clientY: point.clientY + 40 });
    await alice.waitForTimeout(700);
    expect(await menu.count()).toBe(0);
  });

  it("draws reactions, quotes and the menu readably in the dark scheme", async () => {
    const { alice, bob } = await twoPeople("dark", { colorScheme: "dark", deviceScaleFactor: 2 });
    await sendMessage(alice, "dark mode");
    await waitForMessageText(bob, "dark mode");
    await reply(bob, "dark mode", "looks good");
    await reactWithPicker(bob, messageWithText(bob, "dark mode"), "thumbs up");
    await waitForDrawn(alice, (drawn) => drawn.some((message) => message.reactions.length === 1));
    await messageWithText(alice, "looks good").hover();
    await alice.screenshot({ path: `${ARTIFACTS_DIR}/message-actions-dark.png` });
    const contrast = await alice.evaluate(() => {
      const channels = (colour: string) => (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const luminance = (colour: string) => {
        const [r = 0, g = 0, b = 0] = channels(colour).map((value) => {
          const c = value / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (selector: string) => {
        const element = document.querySelector(selector);
        if (element === null) return 0;
        const style = getComputedStyle(element);
        const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
        return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
      };
      return {
        page: luminance(getComputedStyle(document.body).backgroundColor),
        reaction: ratio(".reaction"),
        quote: ratio(".reply-preview"),
      };
    });
    expect(contrast.page).toBeLessThan(0.05);
    expect(contrast.reaction).toBeGreaterThan(4.5);
    expect(contrast.quote).toBeGreaterThan(4.5);
  });
});
