/**
 * Drives the web client in Chromium the way a person does: opening a room,
 * choosing a nickname, typing and pressing Enter. It reads the page back
 * through what is on screen (roles, text) and the `data-*` attributes the
 * client puts on messages.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";

/** How long a page may take to show what a test waits for; a restart of the runtime takes longest. */
export const PAGE_WAIT_MS = 20_000;

/** One message as a person sees it in the list. */
export interface ShownMessage {
  seq: number;
  author: string;
  text: string;
  own: boolean;
}

/** A fresh browser profile: its own storage, so its own nickname, token and outbox. */
export async function newPerson(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
}

/** Opens `/r/<room>`, picks `nickname` if the page asks for one, and waits until it is online. */
export async function openRoom(
  context: BrowserContext,
  baseUrl: string,
  room: string,
  nickname: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/r/${encodeURIComponent(room)}`);
  const askedForName = page.locator("#nickname-form:not([hidden])");
  const composer = page.locator("#composer:not([hidden])");
  await askedForName.or(composer).first().waitFor({ timeout: PAGE_WAIT_MS });
  if (await askedForName.isVisible()) await chooseNickname(page, nickname);
  await waitForConnection(page, "online");
  // The room confirms the name: the people list shows it as the room knows it.
  await waitForPeople(page, (people) => people.includes(`${nickname} (you)`));
  return page;
}

/** Waits until the people list, as "name" and "name (you)" lines, satisfies `check`; returns it. */
export async function waitForPeople(
  page: Page,
  check: (people: string[]) => boolean,
  timeout = PAGE_WAIT_MS,
): Promise<string[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const people = await page.locator("#people-list li").allTextContents();
    if (check(people)) return people;
    if (Date.now() > deadline) throw new Error(`the people list stayed ${JSON.stringify(people)}`);
    await page.waitForTimeout(50);
  }
}

/** Waits until the people list is exactly `people`, in order (the reader first). */
export async function waitForPeopleList(page: Page, people: readonly string[]): Promise<void> {
  await waitForPeople(page, (shown) => JSON.stringify(shown) === JSON.stringify(people));
}

/** Answers the nickname form. */
export async function chooseNickname(page: Page, nickname: string): Promise<void> {
  const input = page.locator("#nickname-input");
  await input.fill(nickname);
  await input.press("Enter");
  await page.locator("#composer:not([hidden])").waitFor({ timeout: PAGE_WAIT_MS });
}

/** Types a message into the message box and presses Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message", exact: true });
  await input.fill(text);
  await input.press("Enter");
}

/** The connection state the page shows: connecting, online, reconnecting or offline. */
export async function waitForConnection(page: Page, state: string, timeout = PAGE_WAIT_MS): Promise<void> {
  await page.locator(`#connection[data-state="${state}"]`).waitFor({ timeout });
}

/** The stored messages the page shows, in screen order. */
export function shownMessages(page: Page): Promise<ShownMessage[]> {
  return page.$$eval("#messages li.message", (items) =>
    items.map((item) => ({
      seq: Number(item.getAttribute("data-seq")),
      author: item.querySelector(".message-author")?.textContent ?? "",
      text: item.querySelector(".message-text")?.textContent ?? "",
      own: item.classList.contains("own"),
    })),
  );
}

/** Waits until the page shows at least `count` stored messages. */
export async function waitForMessages(page: Page, count: number, timeout = PAGE_WAIT_MS): Promise<ShownMessage[]> {
  await page.waitForFunction((n) => document.querySelectorAll("#messages li.message").length >= n, count, {
    timeout,
  });
  return shownMessages(page);
}

/** Waits until the page shows a stored message with exactly this text. */
export async function waitForMessageText(page: Page, text: string, timeout = PAGE_WAIT_MS): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll("#messages li.message .message-text")].some((node) => node.textContent === wanted),
    text,
    { timeout },
  );
}

/** "seq author: text" lines, the form in which two people's views are compared. */
export function transcript(messages: readonly ShownMessage[]): string[] {
  return messages.map((message) => `${message.seq} ${message.author}: ${message.text}`);
}

/** Posts messages over the HTTP API as a bot would, one after another, so that they get consecutive seqs. */
export async function postMessages(
  baseUrl: string,
  room: string,
  texts: readonly string[],
  name = "bot",
): Promise<void> {
  let token: string | undefined;
  for (const text of texts) {
    const response = await fetch(`${baseUrl}/api/rooms/${encodeURIComponent(room)}/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, name, ...(token === undefined ? {} : { token }) }),
    });
    if (response.status !== 201) throw new Error(`posting failed with ${response.status}: ${await response.text()}`);
    const body: unknown = await response.json();
    if (typeof body === "object" && body !== null && "token" in body && typeof body.token === "string") {
      token = body.token;
    }
  }
}

/** A room of its own for each test. */
export function freshRoom(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
