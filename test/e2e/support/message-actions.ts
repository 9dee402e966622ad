/**
 * Drives what can be done with a stored message, as a person does it: the
 * "⋯" menu and its items, the emoji picker, the edit box, the delete
 * dialog; and reads back each message as it is drawn now (its text, marks,
 * reply preview and reactions), to compare two people's views.
 */
import type { Locator, Page } from "playwright-core";
import { PAGE_WAIT_MS } from "./room-page.ts";

/** One message as drawn, with what it carries beside its text. */
export interface DrawnMessage {
  seq: number;
  author: string;
  text: string;
  edited: boolean;
  deleted: boolean;
  replyTo: { author: string; text: string; deleted: boolean } | null;
  reactions: { emoji: string; count: number; pressed: boolean; who: string }[];
  mentionsMe: boolean;
}

/** The stored message whose text is exactly `text`. */
export function messageWithText(page: Page, text: string): Locator {
  return page
    .locator("#messages li.message")
    .filter({ has: page.locator(".message-text").getByText(text, { exact: true }) });
}

/** The stored message `seq`, whatever it shows. */
export function messageAt(page: Page, seq: number): Locator {
  return page.locator(`#messages li.message[data-seq="${seq}"]`);
}

/** The seq of a message as drawn. */
export async function seqOf(message: Locator): Promise<number> {
  return Number(await message.getAttribute("data-seq", { timeout: PAGE_WAIT_MS }));
}

/** Opens a message's menu with its "⋯" button, as a mouse does; returns the menu. */
export async function openMessageMenu(page: Page, message: Locator): Promise<Locator> {
  await message.hover();
  await message.getByRole("button", { name: "Message actions" }).click();
  const menu = page.getByRole("menu", { name: "Message actions" });
  await menu.waitFor({ timeout: PAGE_WAIT_MS });
  return menu;
}

/** Chooses an item of a message's menu. */
export async function chooseFromMenu(page: Page, message: Locator, item: string): Promise<void> {
  const menu = await openMessageMenu(page, message);
  await menu.getByRole("menuitem", { name: item, exact: true }).click();
}

/** The labels of the open menu's items. */
export function menuItems(page: Page): Promise<string[]> {
  return page.getByRole("menu").getByRole("menuitem").allTextContents();
}

/** Reacts to a message from its menu, picking the emoji named `name` (its CLDR name) in the picker. */
export async function reactWithPicker(page: Page, message: Locator, name: string): Promise<void> {
  await chooseFromMenu(page, message, "React");
  const picker = page.getByRole("dialog", { name: "Choose an emoji" });
  await picker.getByRole("button", { name, exact: true }).first().click();
  await picker.waitFor({ state: "detached", timeout: PAGE_WAIT_MS });
}

/** Edits the reader's message in place from its menu, and saves with Enter. */
export async function editMessage(page: Page, message: Locator, text: string): Promise<void> {
  // Found by its seq: while it is edited, its text is a box, and a locator by its text finds it no more.
  const editing = messageAt(page, await seqOf(message));
  await chooseFromMenu(page, editing, "Edit");
  const box = editing.getByRole("textbox", { name: "Edit message" });
  await box.fill(text);
  await box.press("Enter");
  await box.waitFor({ state: "detached", timeout: PAGE_WAIT_MS });
}

/** Deletes the reader's message from its menu, confirming in the dialog. */
export async function deleteMessage(page: Page, message: Locator): Promise<void> {
  await chooseFromMenu(page, message, "Delete");
  const dialog = page.getByRole("dialog", { name: "Delete this message?" });
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await dialog.waitFor({ state: "detached", timeout: PAGE_WAIT_MS });
}

/** Every stored message as the page draws it, in screen order. */
export function drawnMessages(page: Page): Promise<DrawnMessage[]> {
  return page.$$eval("#messages li.message", (items) =>
    items.map((item) => {
      const preview = item.querySelector(".reply-preview");
      return {
        seq: Number(item.getAttribute("data-seq")),
        author: item.querySelector(".message-meta .message-author")?.textContent ?? "",
        text: item.querySelector(".message-text")?.textContent ?? "",
        edited: item.querySelector(".message-edited")?.textContent === "(edited)",
        deleted: item.querySelector(".message-deleted")?.textContent === "message deleted",
        replyTo:
          preview === null
            ? null
            : {
                author: preview.querySelector(".reply-author")?.textContent ?? "",
                text: preview.querySelector(".reply-text")?.textContent ?? "",
                deleted: preview.getAttribute("data-deleted") === "true",
              },
        reactions: [...item.querySelectorAll(".reaction")].map((button) => ({
          emoji: button.querySelector(".reaction-emoji")?.textContent ?? "",
          count: Number(button.querySelector(".reaction-count")?.textContent),
          pressed: button.getAttribute("aria-pressed") === "true",
          who: button.getAttribute("title") ?? "",
        })),
        mentionsMe: item.classList.contains("mentions-me"),
      };
    }),
  );
}

/** Waits until the page draws the messages so that `check` holds; returns them. */
export async function waitForDrawn(
  page: Page,
  check: (messages: DrawnMessage[]) => boolean,
  timeout = PAGE_WAIT_MS,
): Promise<DrawnMessage[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const drawn = await drawnMessages(page);
    if (check(drawn)) return drawn;
    if (Date.now() > deadline) throw new Error(`the messages stayed ${JSON.stringify(drawn, null, 1)}`);
    await page.waitForTimeout(50);
  }
}

/** What two people both see of the room: the drawing without what differs by reader (pressed, "you"). */
export function sharedView(messages: readonly DrawnMessage[]): unknown[] {
  return messages.map(({ seq, author, text, edited, deleted, replyTo, reactions }) => ({
    seq,
    author,
    text,
    edited,
    deleted,
    replyTo,
    reactions: reactions.map(({ emoji, count }) => ({ emoji, count })),
  }));
}

/** Makes the page's tab count as hidden (or visible again), as when the person switched tabs. */
export async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate(
    (value) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
      Object.defineProperty(document, "hidden", { configurable: true, get: () => value === "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    },
    hidden ? "hidden" : "visible",
  );
}

/** What has the keyboard focus: its text or label, and where it is. */
export function focused(page: Page): Promise<{ label: string; role: string; seq: string | null }> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement)) return { label: "", role: "", seq: null };
    return {
      label: element.getAttribute("aria-label") ?? element.textContent ?? "",
      role: element.getAttribute("role") ?? element.tagName.toLowerCase(),
      seq: element.closest("li.message")?.getAttribute("data-seq") ?? null,
    };
  });
}
