import { expect, it } from "vitest";
import { describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import {
  freshRoom,
  openRoom,
  PAGE_WAIT_MS,
  postMessages,
  sendMessage,
  shownMessages,
  transcript,
  waitForMessages,
  waitForMessageText,
  waitForPeopleList,
} from "./support/room-page.ts";

/** A generous send rate, so that tests can fill a room quickly; a small presence limit, to reach a "large" room. */
const VARS = { SEND_RATE_PER_SECOND: 1000, SEND_BURST: 1000, PRESENCE_LIMIT: 3, OCCUPANCY_INTERVAL_MS: 300 };

describeInBrowser("the web client: chatting", () => {
  const app = useBrowserFixture({ vars: VARS });
  const person = () => app.person();

  it("joins a room by name from the landing page, under the room's canonical name", async () => {
    const page = await (await person()).newPage();
    await page.goto(app.url);
    const input = page.getByLabel("Room name");
    await input.fill("not a room!");
    await input.press("Enter");
    await page.getByRole("alert").filter({ hasText: "A room name is" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    const room = freshRoom("Landing");
    await input.fill(room);
    await input.press("Enter");
    await page.waitForURL(`**/r/${room.toLowerCase()}`);
    await page.locator("#room-name").filter({ hasText: room.toLowerCase() }).waitFor();
  });

  it.each([
    ["हिन्दी", "हिन्दी"],
    ["தமிழ்", "தமிழ்"],
    ["สวัสดี", "สวัสดี"],
    ["İstanbul", "i\u0307stanbul"],
  ])("joins a room named in any script from the landing page, and chats in it: %s", async (typed, shown) => {
    const suffix = crypto.randomUUID().slice(0, 8);
    const page = await (await person()).newPage();
    await page.goto(app.url);
    const input = page.getByLabel("Room name");
    await input.fill(`${typed}-${suffix}`);
    await input.press("Enter");
    await page.waitForURL((url) => decodeURIComponent(url.pathname) === `/r/${shown}-${suffix}`);
    await page
      .locator("#room-name")
      .filter({ hasText: `${shown}-${suffix}` })
      .waitFor();
    const room = `${shown}-${suffix}`;
    const other = await openRoom(await person(), app.url, room, "ravi");
    await page.getByLabel("Choose a nickname to start chatting").waitFor();
    await page.locator("#nickname-input").fill("அருண்");
    await page.locator("#nickname-input").press("Enter");
    await sendMessage(page, "नमस्ते");
    await waitForMessageText(other, "नमस्ते");
    expect((await shownMessages(other)).map((message) => message.author)).toEqual(["அருண்"]);
  });

  it("creates a private room from the landing page and opens it", async () => {
    const page = await (await person()).newPage();
    await page.goto(app.url);
    await page.getByRole("button", { name: "Create a private room" }).click();
    await page.waitForURL(/\/r\/[a-z2-7]{26}$/);
    const room = new URL(page.url()).pathname.slice("/r/".length);
    await page.locator("#room-name").filter({ hasText: room }).waitFor();
  });

  it("paints the room before its connection is up", async () => {
    const room = freshRoom("paint");
    const page = await (await person()).newPage();
    // A socket that never answers: nothing on the page may wait for it.
    await page.routeWebSocket(/\/ws/, () => undefined);
    await page.goto(`${app.url}/r/${room}`);
    await page.locator("#room-name").filter({ hasText: room }).waitFor();
    await page.getByLabel("Choose a nickname to start chatting").waitFor();
    expect(await page.locator("#connection-text").textContent()).toBe("Connecting…");
    expect(await page.locator("#history-edge").textContent()).toBe("Loading messages…");
    expect(await page.title()).toBe(`#${room} · edgechat`);
  });

  it("lets two people chat both ways, both seeing one order", async () => {
    const room = freshRoom("chat");
    const alice = await openRoom(await person(), app.url, room, "alice");
    const bob = await openRoom(await person(), app.url, room, "bob");
    for (const round of [1, 2, 3]) {
      await sendMessage(alice, `alice ${round}`);
      await sendMessage(bob, `bob ${round}`);
    }
    const alicesView = await waitForMessages(alice, 6);
    const bobsView = await waitForMessages(bob, 6);
    expect(alicesView.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(transcript(bobsView)).toEqual(transcript(alicesView));
    expect(alicesView.filter((message) => message.own).map((message) => message.text)).toEqual([
      "alice 1",
      "alice 2",
      "alice 3",
    ]);
    expect(bobsView.filter((message) => message.own).every((message) => message.author === "bob")).toBe(true);
    expect(await alice.locator("#outbox li").count()).toBe(0);
  });

  it("shows a newcomer the history, who is online, and who is typing", async () => {
    const room = freshRoom("arrive");
    await postMessages(app.url, room, ["first", "second", "third"], "bot");
    const alice = await openRoom(await person(), app.url, room, "alice");
    expect(transcript(await waitForMessages(alice, 3))).toEqual(["1 bot: first", "2 bot: second", "3 bot: third"]);
    await alice.locator("#history-edge").filter({ hasText: "This is the beginning of the room." }).waitFor();
    await alice.locator(".day-separator").filter({ hasText: "Today" }).waitFor();

    const bobsProfile = await person();
    const bob = await openRoom(bobsProfile, app.url, room, "bob");
    await waitForMessages(bob, 3);
    await waitForPeopleList(alice, ["alice (you)", "bob"]);
    await waitForPeopleList(bob, ["bob (you)", "alice"]);
    for (const page of [alice, bob]) await page.locator("#people-count").filter({ hasText: /^2$/ }).waitFor();

    await bob.getByRole("textbox", { name: "Message", exact: true }).pressSequentially("hello", { delay: 20 });
    await alice.locator("#typing").filter({ hasText: "bob is typing…" }).waitFor();
    await bob.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    await waitForMessageText(alice, "hello");
    await alice.waitForFunction(() => document.getElementById("typing")?.textContent === "");
    // Screen readers hear new messages through the live region, not the history shown on arrival.
    const announced = await alice.locator("#announcer[aria-live='polite']").textContent();
    expect(announced).toContain("bob: hello");
    expect(announced).not.toContain("first");

    await bobsProfile.close();
    await alice.locator("#people-count").filter({ hasText: /^1$/ }).waitFor();
    await waitForPeopleList(alice, ["alice (you)"]);
  });

  it("sends on Enter, starts a new line on Shift+Enter, and keeps emoji and CJK intact", async () => {
    const room = freshRoom("keys");
    const alice = await openRoom(await person(), app.url, room, "alice");
    const bob = await openRoom(await person(), app.url, room, "bob");
    const box = alice.getByRole("textbox", { name: "Message", exact: true });
    await box.pressSequentially("你好，世界");
    await box.press("Shift+Enter");
    await box.pressSequentially("こんにちは 🎉 👩‍👩‍👧 🇯🇵");
    expect(await shownMessages(alice)).toEqual([]);
    await box.press("Enter");
    const text = "你好，世界\nこんにちは 🎉 👩‍👩‍👧 🇯🇵";
    await waitForMessageText(bob, text);
    await waitForMessageText(alice, text);
    expect(await box.inputValue()).toBe("");
    const lineCount = await bob
      .locator("#messages .message-text")
      .evaluate((node) => node.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(node).lineHeight));
    expect(Math.round(lineCount)).toBe(2);
  });

  it("loads older messages when scrolling up, in order, down to the beginning", async () => {
    const room = freshRoom("older");
    const texts = Array.from({ length: 120 }, (_, index) => `message ${index + 1}`);
    await postMessages(app.url, room, texts, "bot");
    const alice = await openRoom(await person(), app.url, room, "alice");
    const newest = await waitForMessages(alice, 50);
    expect(newest[0]?.seq).toBe(71);
    expect(newest.at(-1)?.seq).toBe(120);
    for (let scrolls = 0; scrolls < 10; scrolls++) {
      if ((await alice.locator("#messages li.message").count()) === 120) break;
      await alice.locator("#scroller").evaluate((scroller) => {
        scroller.scrollTop = 0;
      });
      await alice.waitForTimeout(300);
    }
    const all = await waitForMessages(alice, 120);
    expect(all.map((message) => message.text)).toEqual(texts);
    await alice.locator("#history-edge").filter({ hasText: "This is the beginning of the room." }).waitFor();
    expect(await alice.locator(".day-separator").count()).toBe(1);
  });

  it("labels the days of older messages relative to the reader's clock", async () => {
    const room = freshRoom("days");
    await postMessages(app.url, room, ["from the day before"], "bot");
    const context = await person();
    const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000);
    const page = await context.newPage();
    await page.clock.setFixedTime(tomorrow);
    await page.goto(`${app.url}/r/${room}`);
    await page.locator(".day-separator").filter({ hasText: "Yesterday" }).waitFor({ timeout: PAGE_WAIT_MS });
  });

  it("shows the count and says the list is partial in a room beyond the presence limit", async () => {
    const room = freshRoom("large");
    const alice = await openRoom(await person(), app.url, room, "alice");
    await openRoom(await person(), app.url, room, "bob");
    const carolsProfile = await person();
    await openRoom(carolsProfile, app.url, room, "carol");
    await waitForPeopleList(alice, ["alice (you)", "bob", "carol"]);
    const davesProfile = await person();
    const dave = await openRoom(davesProfile, app.url, room, "dave");
    for (const page of [alice, dave]) {
      await page.locator("#people-count").filter({ hasText: /^4$/ }).waitFor();
      await page.locator("#people-partial:not([hidden])").filter({ hasText: "and 1 more" }).waitFor();
    }
    await davesProfile.close();
    await carolsProfile.close();
    await alice.locator("#people-count").filter({ hasText: /^2$/ }).waitFor();
    await alice.locator("#people-partial[hidden]").waitFor({ state: "attached" });
    await waitForPeopleList(alice, ["alice (you)", "bob"]);
  });
});
