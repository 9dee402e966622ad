/**
 * What every browser test file shares: one `wrangler dev` and one Chromium
 * for the file, and the people (browser profiles) each test opens, closed
 * after it. A test may kill the server and start another in its place.
 */
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type DevServer, type DevServerOptions, startDevServer } from "../../../support/dev-server.ts";
import { launchChromium } from "../../support/browser.ts";
import { newPerson } from "./room-page.ts";

export interface BrowserFixture {
  /** The app's address, once the server has started. */
  readonly url: string;
  /** The server the app runs on now. */
  readonly server: DevServer;
  /** Starts a server in place of the current one (which the test has killed), stopped after the file like the first. */
  replaceServer(options: DevServerOptions): Promise<void>;
  /** A new person: a browser profile of their own, closed after the test. */
  person(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** Starts the server and Chromium before the file's tests and stops them after. */
export function useBrowserFixture(serverOptions: DevServerOptions = {}): BrowserFixture {
  let server: DevServer | undefined;
  /** Every server started, so that afterAll stops each of them, whatever a test left running. */
  const started: DevServer[] = [];
  let browser: Browser | undefined;
  let people: BrowserContext[] = [];

  async function start(options: DevServerOptions): Promise<void> {
    server = await startDevServer(options);
    started.push(server);
  }

  beforeAll(async () => {
    await start(serverOptions);
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const person of people) await person.close();
    people = [];
  });

  afterAll(async () => {
    await browser?.close();
    for (const each of started) await each.stop();
  });

  return {
    get url() {
      return this.server.url;
    },
    get server() {
      if (server === undefined) throw new Error("the server starts in beforeAll");
      return server;
    },
    replaceServer: start,
    async person(options = {}) {
      if (browser === undefined) throw new Error("Chromium starts in beforeAll");
      const context = await newPerson(browser, options);
      people.push(context);
      return context;
    },
  };
}
