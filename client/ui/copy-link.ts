/** How long a copy button says "Copied" before it reads as before. */
export const CONFIRM_MS = 2000;

/**
 * "Copy link": puts the room's address on the clipboard. The Clipboard API
 * exists only in secure contexts (https, or localhost), so a deployment
 * served over plain http offers the link in a prompt to copy by hand.
 */
export function offerCopyLink(button: HTMLButtonElement, label: HTMLElement, link: () => string): void {
  const idle = label.textContent ?? "";
  let reset: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener("click", async () => {
    clearTimeout(reset);
    if (await copyToClipboard(link())) {
      label.textContent = "Copied";
      button.dataset.copied = "true";
      reset = setTimeout(() => {
        label.textContent = idle;
        delete button.dataset.copied;
      }, CONFIRM_MS);
    } else {
      prompt("Copy this link to the room:", link());
    }
  });
}

/** Puts text on the clipboard; false where there is no Clipboard API or the browser refuses. */
export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard here, or permission refused: the caller offers the text instead.
    return false;
  }
}
