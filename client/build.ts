/**
 * Builds the static web client into client/dist: copies client/public,
 * bundles the TypeScript entry points, and writes the `_headers` file that
 * gives static files the same security headers as the Worker's responses.
 * Run by `npm start`, `npm test` and `npm run deploy` (through wrangler's
 * [build] command), so a stale client is never served.
 */
import { cp, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { SECURITY_HEADERS } from "../worker/security-headers.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
const dist = `${root}dist`;
/** Built beside dist and swapped in, so a server starting meanwhile never sees half a client. */
const staging = `${root}dist-${process.pid}`;

const ENTRY_POINTS = ["room-page.ts"];

await rm(staging, { recursive: true, force: true });
await mkdir(staging, { recursive: true });
await cp(`${root}public`, staging, { recursive: true });
await build({
  entryPoints: ENTRY_POINTS.map((entry) => `${root}${entry}`),
  outdir: staging,
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: "linked",
  logLevel: "warning",
});
const headers = Object.entries(SECURITY_HEADERS)
  .map(([name, value]) => `  ${name}: ${value}`)
  .join("\n");
await writeFile(`${staging}/_headers`, `/*\n${headers}\n`);
const previous = `${root}dist-old-${process.pid}`;
await rename(dist, previous).catch(() => undefined);
await rename(staging, dist);
await rm(previous, { recursive: true, force: true });
