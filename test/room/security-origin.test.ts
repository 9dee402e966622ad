/**
 * The Worker's Origin policy inside workerd, without `wrangler dev`'s proxy
 * in front (that proxy rewrites any header naming its own host and drops an
 * empty Origin, so some origins cannot be tested through it; see
 * test/e2e/security-origin.test.ts). Every foreign or malformed origin is
 * refused on the socket endpoint and on the HTTP routes, before any Durable
 * Object exists.
 */
import { listDurableObjectIds } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connect, freshRoom, ORIGIN, upgrade } from "./support/client.ts";
import { statusAndCode } from "./support/http.ts";

/**
 * An empty Origin is not among them: workerd hands it to the Worker as no
 * Origin at all, which is what a non-browser client may send anyway; no
 * browser sends an empty one (an opaque origin is sent as "null").
 */
const FOREIGN = [
  "https://edgechat.test",
  "HTTP://edgechat.test",
  "http://EDGECHAT.TEST",
  "http://edgechat.test:80",
  "http://edgechat.test:8080",
  "ws://edgechat.test",
  "http://edgechat.test/",
  "http://edgechat.test.evil.example",
  "http://evil-edgechat.test",
  "http://localhost",
  "null",
  "file://",
  "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
  "moz-extension://0b4c1c4e-0000-4000-8000-000000000000",
  "http://edgechat.test, https://evil.example",
  "https://evil.example",
];

async function codeOf(response: Response): Promise<string> {
  // A socket or an event stream that was let in has no body to read, or one that never ends.
  if (response.status !== 403) {
    await response.body?.cancel();
    return `${response.status} let in`;
  }
  return statusAndCode(response);
}

describe("foreign origins inside workerd", () => {
  it("get no upgrade and no read, and start no Durable Object", async () => {
    const before = (await listDurableObjectIds(env.ROOM)).length;
    const answers: string[] = [];
    for (const origin of FOREIGN) {
      const room = freshRoom();
      answers.push(`${origin} ws -> ${await codeOf(await upgrade(room, "", { Origin: origin }))}`);
      for (const path of [`/api/rooms/${room}`, `/api/rooms/${room}/messages`, `/api/rooms/${room}/events`]) {
        const response = await exports.default.fetch(`${ORIGIN}${path}`, { headers: { Origin: origin } });
        answers.push(`${origin} ${path} -> ${await codeOf(response)}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith("-> 403 forbidden_origin"))).toEqual([]);
    expect(answers).toHaveLength(FOREIGN.length * 4);
    expect((await listDurableObjectIds(env.ROOM)).length).toBe(before);
  });

  it("leave the app's own origin free to connect", async () => {
    const client = await connect(freshRoom(), { origin: ORIGIN });
    expect(client.welcome.type).toBe("welcome");
  });
});
