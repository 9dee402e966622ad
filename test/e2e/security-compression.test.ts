/**
 * WebSocket compression. A room's frames put secrets (the identity token in
 * each welcome) and text anyone in the room chooses (the history in that
 * same welcome, and every later message) into one compressed stream when
 * permessage-deflate is negotiated, which is the setting for a CRIME/BREACH
 * style attack: an observer of encrypted frame sizes who can post into the
 * room learns the token byte by byte. OWASP's WebSocket Security Cheat Sheet
 * says to disable compression in that case (docs/reliability.md, "WebSocket
 * compression"). Workers negotiate it for every compatibility date from
 * 2023-08-15 unless the `no_web_socket_compression` flag is set.
 *
 * Locally, `wrangler dev` cannot show the Worker's own choice: its proxy
 * worker answers the upgrade and negotiates compression itself, whatever the
 * flags. So the test reads the deployment's configuration, and reports what
 * the local runtime negotiated alongside.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../support/dev-server.ts";
import { ChaosRuntime } from "../support/chaos/chaos-runtime.ts";
import { reportFigures } from "../support/chaos/figures.ts";
import { probeUpgrade } from "../support/chaos/upgrade-probe.ts";

/** The first compatibility date on which Workers negotiate permessage-deflate by default. */
const COMPRESSION_DATE = "2023-08-15";
let runtime: ChaosRuntime;

beforeAll(async () => {
  runtime = await ChaosRuntime.start();
});

afterAll(async () => {
  await runtime.stop();
});

describe("WebSocket compression", () => {
  it("is off for the deployed Worker, since a welcome compresses a token with others' text", async () => {
    const config = await readFile(join(PROJECT_ROOT, "wrangler.toml"), "utf8");
    const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(config)?.[1] ?? "";
    const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(config)?.[1] ?? "";
    const offered = await probeUpgrade(`${runtime.url}/api/rooms/compression-${crypto.randomUUID()}/ws`, {
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
    });
    await reportFigures("compression", {
      title: "WebSocket compression: what is configured, and what the local runtime negotiated",
      command: "npm run build && npx vitest run --project e2e test/e2e/security-compression.test.ts",
      rows: {
        compatibility_date: date,
        compatibility_flags: `[${flags}]`,
        "answer to an offer of permessage-deflate under wrangler dev": String(
          offered.headers["sec-websocket-extensions"] ?? "(none)",
        ),
      },
    });
    expect(date < COMPRESSION_DATE || flags.includes('"no_web_socket_compression"')).toBe(true);
  });
});
