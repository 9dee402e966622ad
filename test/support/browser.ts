/**
 * Real Chromium for browser tests: Debian's `chromium`, driven by
 * playwright-core. Where Chromium is missing, browser tests fail under
 * CI=true and are skipped elsewhere, with a message that names the install
 * command.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { describe } from "vitest";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../../support/chromium.ts";
import { PROJECT_ROOT } from "../../support/dev-server.ts";

export const INSTALL_COMMAND = "apt-get update && apt-get install -y chromium";

/** Where browser tests keep screenshots; look at them before calling a UI change done. */
export const ARTIFACTS_DIR = join(PROJECT_ROOT, "test/artifacts");

const available = existsSync(CHROMIUM_PATH);
if (!available && process.env.CI !== "true") {
  console.warn(`\n*** Browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH}. Install it with: ${INSTALL_COMMAND}\n`);
}

/** `describe` for tests that need Chromium: skipped without it, except in CI, where they fail. */
export const describeInBrowser: typeof describe.skip =
  available || process.env.CI === "true" ? describe : describe.skip;

export async function launchChromium(): Promise<Browser> {
  if (!available) throw new Error(`no Chromium at ${CHROMIUM_PATH}; install it with: ${INSTALL_COMMAND}`);
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] });
}
