/**
 * The test layers, one vitest project each (see docs/testing.md):
 * - unit: pure modules in Node.
 * - room: the Worker and Room inside workerd, with the contract's default limits.
 * - room-tight: the same with small limits, for retention, large rooms and capacity.
 * - room-relay: the same with a relay threshold of two connections, for the relay tier.
 * - e2e: the running app (`wrangler dev` on loopback) driven by the SDK and by Chromium.
 * - chaos: long fault and abuse runs against the running app (`npm run test:chaos`), not part of `npm test`.
 */
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const wrangler = { configPath: "./wrangler.toml" };

/** Small limits, so that tests reach them with a handful of clients and messages. */
export const TIGHT_VARS = {
  HISTORY_LIMIT: 5,
  RESUME_LIMIT: 4,
  PRESENCE_LIMIT: 3,
  MAX_CONNECTIONS: 6,
  OCCUPANCY_INTERVAL_MS: 300,
  TYPING_INTERVAL_MS: 300,
  SEND_RATE_PER_SECOND: 1000,
  SEND_BURST: 1000,
  ABUSE_ERROR_LIMIT: 5,
  ABUSE_WINDOW_MS: 2000,
  ABUSE_COOLDOWN_MS: 500,
  HISTORY_BYTES_PER_SECOND: 4000,
  HISTORY_BYTES_BURST: 8000,
  ALLOWED_ORIGINS: "https://allowed.example, http://localhost:5173",
  // Every room of two or more connections coalesces with the longest window, 100 ms.
  COALESCE_SENDS_PER_SECOND: 20,
};

/**
 * A room takes two connections of its own; every later one is held by a
 * relay, of two per region; and it coalesces with the longest window.
 */
export const RELAY_VARS = {
  PRESENCE_LIMIT: 2,
  RELAY_THRESHOLD: 2,
  RELAY_SHARDS: 2,
  COALESCE_SENDS_PER_SECOND: 20,
  SEND_RATE_PER_SECOND: 1000,
  SEND_BURST: 1000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        plugins: [cloudflareTest({ wrangler })],
        test: { name: "room", include: ["test/room/**/*.test.ts"] },
      },
      {
        plugins: [cloudflareTest({ wrangler, miniflare: { bindings: TIGHT_VARS } })],
        test: { name: "room-tight", include: ["test/room-tight/**/*.test.ts"] },
      },
      {
        plugins: [cloudflareTest({ wrangler, miniflare: { bindings: RELAY_VARS } })],
        test: { name: "room-relay", include: ["test/room-relay/**/*.test.ts"] },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          // Each file starts its own wrangler dev; one at a time keeps a 2-core machine responsive.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "chaos",
          include: ["test/chaos/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
