/**
 * Calls in real Chromium, each person a browser profile of their own with
 * a fake camera and microphone (support/call-browser.ts), all on
 * 127.0.0.1. What a person sees is read from the call's tiles (their
 * `data-*` attributes, call-tiles.ts) and the timeline; what they receive
 * from `getStats()` of the page's own RTCPeerConnections, which the init
 * script records: media flows when the inbound-rtp bytes of both audio
 * and video grow over a second on every open connection.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import {
  launchCallChromium,
  newCallPerson,
  type Received,
  receivedByConnection,
  signalsSent,
} from "../../support/call-browser.ts";
import { type DevServer, startDevServer } from "../../support/dev-server.ts";
import { describeInBrowser } from "../support/browser.ts";
import { freshRoom, openRoom, PAGE_WAIT_MS } from "./support/room-page.ts";

/** Long enough for a second of media to arrive on a machine the other tests share. */
const GROWTH_MS = 1000;

describeInBrowser("the web client: calls", () => {
  let server: DevServer | undefined;
  let browser: Browser | undefined;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    server = await startDevServer();
    browser = await launchCallChromium();
  });

  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens the room as a new person with a fake camera and microphone. */
  async function person(room: string, name: string): Promise<Page> {
    if (browser === undefined || server === undefined) throw new Error("the server and Chromium start in beforeAll");
    const context = await newCallPerson(browser);
    closers.push(() => context.close());
    return openRoom(context, server.url, room, name);
  }

  it("two people join a call and each receives the other's audio and video", async () => {
    const room = freshRoom("call-two");
    const alice = await person(room, "alice");
    const bob = await person(room, "bob");
    await joinCall(alice);
    await waitForNote(bob, "alice started a call");
    await joinCall(bob);
    await waitForTiles(alice, ["bob"]);
    await waitForTiles(bob, ["alice"]);
    await expectMediaFlowing(alice, 1);
    await expectMediaFlowing(bob, 1);
    await waitForNote(alice, "bob joined the call");
  });

  it("three people each receive the other two; when one leaves the other two carry on", async () => {
    const room = freshRoom("call-three");
    const alice = await person(room, "alice");
    const bob = await person(room, "bob");
    const carol = await person(room, "carol");
    for (const page of [alice, bob, carol]) await joinCall(page);
    await waitForTiles(alice, ["bob", "carol"]);
    await waitForTiles(bob, ["alice", "carol"]);
    await waitForTiles(carol, ["alice", "bob"]);
    for (const page of [alice, bob, carol]) await expectMediaFlowing(page, 2);

    await carol.locator("#call-button").click();
    await waitForTiles(alice, ["bob"]);
    await waitForTiles(bob, ["alice"]);
    await expectMediaFlowing(alice, 1);
    await expectMediaFlowing(bob, 1);
    expect(await receivedByConnection(carol)).toEqual([]);
    await waitForNote(alice, "carol left the call");
  });

  it("a reload rejoins the call, and media flows both ways again", async () => {
    const room = freshRoom("call-reload");
    const alice = await person(room, "alice");
    const bob = await person(room, "bob");
    await joinCall(alice);
    await joinCall(bob);
    await waitForTiles(alice, ["bob"]);
    const before = await alice.locator(".call-tile:not([data-peer=self])").getAttribute("data-peer");

    await bob.reload();
    await waitForTiles(bob, ["alice"]);
    await waitForTiles(alice, ["bob"]);
    // Bob is a new participant: a new connection with a new peer id, and Alice's old one to him is closed.
    expect(await alice.locator(".call-tile:not([data-peer=self])").getAttribute("data-peer")).not.toBe(before);
    await expectMediaFlowing(bob, 1);
    await expectMediaFlowing(alice, 1);
  });

  it("muting and turning the camera off show on the others' tiles, with no new offer", async () => {
    const room = freshRoom("call-media");
    const alice = await person(room, "alice");
    const bob = await person(room, "bob");
    await joinCall(alice);
    await joinCall(bob);
    await waitForTiles(alice, ["bob"]);
    const bobOnAlice = alice.locator(".call-tile:not([data-peer=self])");
    await bobOnAlice.and(alice.locator('[data-audio="on"][data-video="on"]')).waitFor({ timeout: PAGE_WAIT_MS });
    const offersBefore = (await signalsSent(bob)).descriptions + (await signalsSent(alice)).descriptions;

    await bob.getByRole("button", { name: "Microphone" }).click();
    await bob.getByRole("button", { name: "Camera" }).click();
    await bobOnAlice.and(alice.locator('[data-audio="off"][data-video="off"]')).waitFor({ timeout: PAGE_WAIT_MS });
    expect(await bobOnAlice.locator(".call-badge").allTextContents()).toEqual(["Muted", "Camera off"]);
    expect(await bob.getByRole("button", { name: "Camera" }).getAttribute("aria-pressed")).toBe("false");
    expect((await signalsSent(bob)).descriptions + (await signalsSent(alice)).descriptions).toBe(offersBefore);

    await bob.getByRole("button", { name: "Camera" }).click();
    await bobOnAlice.and(alice.locator('[data-video="on"]')).waitFor({ timeout: PAGE_WAIT_MS });
    // The new camera track reaches Alice on the connection she had.
    await expectMediaFlowing(alice, 1);
  });

  it("the last to leave ends the call, and the timeline says how long it lasted", async () => {
    const room = freshRoom("call-end");
    const alice = await person(room, "alice");
    const bob = await person(room, "bob");
    await joinCall(alice);
    await waitForNote(bob, "alice started a call");
    await alice.locator("#call-button").click();
    await waitForNote(bob, "Call ended · less than a minute");
    await bob.locator("#call").waitFor({ state: "hidden", timeout: PAGE_WAIT_MS });
    expect(await bob.locator("#call-button").textContent()).toContain("Call");
  });

  it("a browser that refuses the microphone and camera says how to allow them, and joins to listen", async () => {
    const room = freshRoom("call-refused");
    const alice = await person(room, "alice");
    const bob = await person(room, "bob");
    await bob.evaluate(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
    });
    await joinCall(alice);
    await joinCall(bob);
    await bob
      .locator(".call-message")
      .filter({ hasText: "The browser did not allow the microphone. Allow it for this site" })
      .waitFor({ timeout: PAGE_WAIT_MS });
    await waitForTiles(bob, ["alice"]);
    const bobTile = alice.locator(".call-tile:not([data-peer=self])");
    await waitForTiles(alice, ["bob"]);
    expect(await bobTile.getAttribute("data-audio")).toBe("off");
    expect(await bobTile.getAttribute("data-video")).toBe("off");
    // Bob hears and sees Alice though he sends nothing.
    await expectMediaFlowing(bob, 1);
  });
});

/** Presses the call button and waits until the page shows the person in the call. */
async function joinCall(page: Page): Promise<void> {
  await page.locator("#call-button").click();
  await page.locator('#call[data-phase="in"] .call-tile[data-peer="self"]').waitFor({ timeout: PAGE_WAIT_MS });
}

/** Waits until the page shows exactly these others' tiles (by name, sorted), each connected. */
async function waitForTiles(page: Page, names: readonly string[]): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const tiles = [...document.querySelectorAll<HTMLElement>(".call-tile:not([data-peer=self])")];
      const shown = tiles.map((tile) => tile.querySelector(".call-name-text")?.textContent ?? "").sort();
      return (
        JSON.stringify(shown) === JSON.stringify(wanted) && tiles.every((tile) => tile.dataset.state === "connected")
      );
    },
    [...names].sort(),
    { timeout: PAGE_WAIT_MS },
  );
}

/** Checks that the page has `connections` open peer connections and that each one's audio and video grow. */
async function expectMediaFlowing(page: Page, connections: number): Promise<void> {
  const first = await waitForMedia(page, connections);
  await page.waitForTimeout(GROWTH_MS);
  const second = await receivedByConnection(page);
  expect(second).toHaveLength(connections);
  for (const [index, now] of second.entries()) {
    const then = first[index];
    expect(now.state).toBe("connected");
    expect(now.audioBytes, "audio bytes received").toBeGreaterThan(then?.audioBytes ?? 0);
    expect(now.videoBytes, "video bytes received").toBeGreaterThan(then?.videoBytes ?? 0);
    expect(now.framesDecoded, "video frames decoded").toBeGreaterThan(0);
  }
}

/** Waits until the page has exactly `connections` open connections, each of which has received some of both kinds. */
async function waitForMedia(page: Page, connections: number): Promise<Received[]> {
  const deadline = Date.now() + PAGE_WAIT_MS;
  for (;;) {
    const received = await receivedByConnection(page);
    const flowing = received.every((each) => each.audioBytes > 0 && each.videoBytes > 0);
    if (received.length === connections && flowing) return received;
    if (Date.now() > deadline) throw new Error(`the connections stayed ${JSON.stringify(received)}`);
    await page.waitForTimeout(100);
  }
}

/** Waits until the timeline shows a note with exactly this text. */
async function waitForNote(page: Page, text: string): Promise<void> {
  await page.locator("#messages .list-notice").filter({ hasText: text }).first().waitFor({ timeout: PAGE_WAIT_MS });
}
