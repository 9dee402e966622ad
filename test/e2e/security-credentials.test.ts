/**
 * No credentials in URLs, as a browser meets the app: the web client sends
 * its identity token in Sec-WebSocket-Protocol, so neither the request line
 * of any request the browser makes, nor any line the server logs (at `info`,
 * which logs every request line), nor the browser's console carries it.
 */
import type { CDPSession } from "playwright-core";
import { expect, it } from "vitest";
import { describeInBrowser } from "../support/browser.ts";
import { useBrowserFixture } from "./support/browser-fixture.ts";
import { freshRoom, openRoom, sendMessage, waitForConnection, waitForMessageText } from "./support/room-page.ts";

interface Handshake {
  url: string;
  protocols: string | undefined;
}

/** Records every WebSocket handshake the page's browser sends, with its Sec-WebSocket-Protocol header. */
async function recordHandshakes(session: CDPSession): Promise<Handshake[]> {
  const handshakes: Handshake[] = [];
  const urls = new Map<string, string>();
  session.on("Network.webSocketCreated", ({ requestId, url }) => urls.set(requestId, url));
  session.on("Network.webSocketWillSendHandshakeRequest", ({ requestId, request }) => {
    const headers: Record<string, string> = request.headers;
    const protocols = Object.entries(headers).find(([name]) => name.toLowerCase() === "sec-websocket-protocol")?.[1];
    handshakes.push({ url: urls.get(requestId) ?? "", protocols });
  });
  await session.send("Network.enable");
  return handshakes;
}

describeInBrowser("the identity token of a connecting browser", () => {
  const app = useBrowserFixture({ logLevel: "info" });

  it("travels in Sec-WebSocket-Protocol and in no request line, server log line or console line", async () => {
    const person = await app.person();
    const room = freshRoom("Credentials");
    const requestLines: string[] = [];
    const consoleLines: string[] = [];
    person.on("request", (request) => requestLines.push(`${request.method()} ${request.url()}`));
    person.on("console", (message) => consoleLines.push(message.text()));

    const page = await openRoom(person, app.url, room, "ada");
    const token = await page.evaluate((key) => localStorage.getItem(key), `edgechat:token:${room.toLowerCase()}`);
    if (token === null) throw new Error("the page kept no identity token");
    const handshakes = await recordHandshakes(await person.newCDPSession(page));

    // A reload connects with the saved token, as every later visit does.
    await page.reload();
    await waitForConnection(page, "online");
    await sendMessage(page, "hello");
    await waitForMessageText(page, "hello");

    const offered = handshakes.at(-1);
    expect(offered?.protocols).toBe(`edgechat.v2, token.${token}`);
    expect(offered?.url).toContain(`/api/rooms/${room.toLowerCase()}/ws`);
    const serverLines = app.server.log().split("\n");
    // The server logged the socket's request line, so the check below reads real request lines.
    expect(serverLines.some((line) => line.includes("/ws"))).toBe(true);
    const secret = token.slice(token.indexOf(".") + 1);
    for (const [where, lines] of [
      ["request line", [...requestLines, ...handshakes.map((handshake) => handshake.url)]],
      ["server log", serverLines],
      ["console", consoleLines],
    ] as const) {
      expect(
        lines.filter((line) => line.includes(secret)),
        where,
      ).toEqual([]);
    }
  });
});
