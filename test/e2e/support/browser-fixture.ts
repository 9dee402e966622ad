/**
 * What every browser test file shares: one `wrangler dev` and one Chromium
 * for the file, and the people (browser profiles) each test opens, closed
 * after it.
 */
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { launchChromium } from "../../support/browser.ts";
import { type DevServer, type DevServerOptions, startDevServer } from "../../support/dev-server.ts";
import { newPerson } from "./room-page.ts";

export interface BrowserFixture {
  /** The app's address, once the server has started. */
  readonly url: string;
  /** A new person: a browser profile of their own, closed after the test. */
  person(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** Starts the server and Chromium before the file's tests and stops them after. */
export function useBrowserFixture(serverOptions: DevServerOptions = {}): BrowserFixture {
  let server: DevServer | undefined;
  let browser: Browser | undefined;
  let people: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startDevServer(serverOptions);
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const person of people) await person.close();
    people = [];
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get url() {
      if (server === undefined) throw new Error("the server starts in beforeAll");
      return server.url;
    },
    async person(options = {}) {
      if (browser === undefined) throw new Error("Chromium starts in beforeAll");
      const context = await newPerson(browser, options);
      people.push(context);
      return context;
    },
  };
}
