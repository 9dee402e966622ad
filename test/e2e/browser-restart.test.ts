/**
 * The web client while the runtime under it crashes: `wrangler dev` is
 * killed (SIGKILL) and started again on the same port, with the same
 * persisted state or, once, with none.
 */
import { expect, it } from "vitest";
import { ARTIFACTS_DIR, describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import {
  freshRoom,
  openRoom,
  sendMessage,
  shownMessages,
  transcript,
  waitForConnection,
  waitForMessages,
  waitForMessageText,
} from "./support/room-page.ts";

/** The client backs off up to 15 s between attempts, and the runtime takes a while to start. */
const RECONNECT_WAIT_MS = 60_000;
const RESTART_TEST_MS = 180_000;

describeInBrowser("the web client: runtime restarts", () => {
  const app = useBrowserFixture();

  it(
    "shows reconnecting during a crash, then resumes with every message once, one typed offline included",
    async () => {
      const room = freshRoom("restart");
      const alice = await openRoom(await app.person(), app.url, room, "alice");
      const bob = await openRoom(await app.person(), app.url, room, "bob");
      await sendMessage(alice, "before 1");
      await sendMessage(bob, "before 2");
      await waitForMessages(alice, 2);
      await waitForMessages(bob, 2);
      // Sent right before the crash: it may be stored or not, but it must end up shown exactly once.
      await sendMessage(bob, "racing the crash");

      const { port, persistTo } = app.server;
      await app.server.kill();
      for (const page of [alice, bob]) {
        await waitForConnection(page, "reconnecting");
        await page.locator("#connection-text").filter({ hasText: "Reconnecting…" }).waitFor();
      }
      await sendMessage(alice, "typed while offline");
      await alice.locator("#outbox li.pending").filter({ hasText: "Waiting for the connection…" }).waitFor();
      await alice.screenshot({ path: `${ARTIFACTS_DIR}/room-reconnecting-desktop-light.png` });

      await app.replaceServer({ port, persistTo });
      for (const page of [alice, bob]) {
        await page
          .locator("#connection-text")
          .filter({ hasText: "Back online" })
          .waitFor({ timeout: RECONNECT_WAIT_MS });
      }
      await waitForMessageText(bob, "typed while offline");
      // Anything stored before the barrier reaches both pages before it: a duplicate would show up by then.
      await sendMessage(bob, "barrier");
      await waitForMessageText(alice, "barrier");
      await waitForMessageText(bob, "barrier");
      await alice.locator("#outbox li").first().waitFor({ state: "detached" });

      const alicesView = await shownMessages(alice);
      const bobsView = await shownMessages(bob);
      expect(alicesView.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(transcript(bobsView)).toEqual(transcript(alicesView));
      expect(alicesView.map((message) => message.text).sort()).toEqual(
        ["barrier", "before 1", "before 2", "racing the crash", "typed while offline"].sort(),
      );
      expect(alicesView.find((message) => message.text === "typed while offline")?.author).toBe("alice");
    },
    RESTART_TEST_MS,
  );

  it(
    "says so, and rebuilds the view, when the room comes back without the history it had",
    async () => {
      const room = freshRoom("reset");
      const alice = await openRoom(await app.person(), app.url, room, "alice");
      const bob = await openRoom(await app.person(), app.url, room, "bob");
      await sendMessage(alice, "from the lost history");
      await waitForMessages(bob, 1);

      const { port } = app.server;
      await app.server.kill();
      await waitForConnection(alice, "reconnecting");
      await app.replaceServer({ port });
      const notice = alice.locator("#messages .list-notice").filter({ hasText: "This room's history was reset" });
      await notice.waitFor({ timeout: RECONNECT_WAIT_MS });
      expect(await shownMessages(alice)).toEqual([]);
      await waitForConnection(bob, "online", RECONNECT_WAIT_MS);
      await sendMessage(bob, "after the reset");
      await waitForMessageText(alice, "after the reset");
      expect(transcript(await shownMessages(alice))).toEqual(["1 bob: after the reset"]);
      await alice.screenshot({ path: `${ARTIFACTS_DIR}/room-history-reset-desktop-light.png` });
    },
    RESTART_TEST_MS,
  );
});
