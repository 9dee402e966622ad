/**
 * Where Debian's Chromium is, and the flags it runs with here: headless, on
 * a machine without a display, a GPU or outside network. The browser tests
 * (test/support/browser.ts) and the calls benchmark (call-browser.ts) share
 * them.
 */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
