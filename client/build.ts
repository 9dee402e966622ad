/**
 * Builds the static web client into client/dist: the files of client/public,
 * the bundled TypeScript entry points and stylesheet, and the `_headers`
 * file that gives static files the same security headers as the Worker's
 * responses. Run by `npm start`, `npm test` and `npm run deploy` (through
 * wrangler's [build] command), so a stale client is never served. It prints
 * the gzipped size of the client's JavaScript and CSS and fails when they
 * outgrow their budget.
 *
 * A page in client/public writes a limit as `{{FRAME_LIMITS.name}}`, and the
 * build fills in that limit from protocol/frames.ts: the page states it
 * without JavaScript, and never a number other than the one the protocol
 * enforces.
 *
 * The icon is drawn in client/favicon.ts and written as favicon.svg, which
 * the pages link, and favicon.ico, which browsers ask for on their own. The
 * build fails when a page links a stylesheet, script or icon that it does
 * not produce, which would otherwise show only as a 404 in a visitor's
 * console.
 *
 * `wrangler dev` runs this again whenever anything under client/ changes,
 * client/dist included, so a build that finds dist already up to date writes
 * nothing (otherwise every build would set off the next), and a new dist is
 * staged outside client/ and swapped in whole, so a server starting
 * meanwhile never sees half a client.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { FRAME_LIMITS } from "../protocol/frames.ts";
import { SECURITY_HEADERS } from "../protocol/security-headers.ts";
import { faviconIco, faviconSvg } from "./favicon.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
const dist = join(root, "dist");
const staging = join(root, "..", ".wrangler", `client-dist-${process.pid}`);
const previous = join(root, "..", ".wrangler", `client-dist-old-${process.pid}`);

/** Output name (without extension) to source, as the pages link them: /landing-page.js, /room-page.js, /app.css. */
const ENTRY_POINTS = {
  "landing-page": "landing-page.ts",
  "room-page": "room-page.ts",
  app: "styles/app.css",
};
/** Everything a visitor's browser downloads to run the client, gzipped; the page must stay quick on a slow phone. */
const BUDGET_GZIP_BYTES = 40 * 1024;

const files = new Map([
  ...(await publicFiles()),
  ...(await bundledFiles()),
  ...iconFiles(),
  ["_headers", headersFile()],
]);
checkPageLinks(files);
reportSize(files);
if (await isUpToDate(files)) {
  console.log("client/dist is up to date");
} else {
  await swapIn(files);
}

/** The files of client/public, by their path inside it, with the limits filled into the pages. */
async function publicFiles(): Promise<Map<string, Uint8Array>> {
  const folder = join(root, "public");
  const names = await readdir(folder, { recursive: true, withFileTypes: true });
  const entries = names
    .filter((entry) => entry.isFile())
    .map(async (entry): Promise<[string, Uint8Array]> => {
      const path = join(entry.parentPath, entry.name);
      const name = relative(folder, path);
      const contents = await readFile(path);
      return [name, name.endsWith(".html") ? fillLimits(name, contents) : contents];
    });
  return new Map(await Promise.all(entries));
}

/** Replaces each `{{FRAME_LIMITS.name}}` in a page with that limit; throws on any other `{{…}}`. */
function fillLimits(name: string, page: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(page).replace(/\{\{(.*?)\}\}/g, (placeholder, inner: string) => {
    const limit = /^FRAME_LIMITS\.(\w+)$/.exec(inner.trim())?.[1];
    if (limit === undefined || !isFrameLimit(limit)) {
      throw new Error(`client/public/${name}: ${placeholder} names no limit of FRAME_LIMITS`);
    }
    return String(FRAME_LIMITS[limit]);
  });
  return new TextEncoder().encode(text);
}

function isFrameLimit(name: string): name is keyof typeof FRAME_LIMITS {
  return Object.hasOwn(FRAME_LIMITS, name);
}

function iconFiles(): Map<string, Uint8Array> {
  return new Map([
    ["favicon.svg", new TextEncoder().encode(faviconSvg())],
    ["favicon.ico", faviconIco()],
  ]);
}

/** Throws when a page's `<link href>` or `<script src>` names a file of this site that the build does not produce. */
function checkPageLinks(built: Map<string, Uint8Array>): void {
  for (const [name, contents] of built) {
    if (!name.endsWith(".html")) continue;
    const page = new TextDecoder().decode(contents);
    for (const [, address] of page.matchAll(/<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]*)"/g)) {
      if (address === undefined || !address.startsWith("/") || address.startsWith("//")) continue;
      if (!built.has(address.slice(1))) {
        throw new Error(`client/public/${name} links ${address}, which the build does not produce`);
      }
    }
  }
}

/** The bundles and their source maps, built for dist's location but kept in memory. */
async function bundledFiles(): Promise<Map<string, Uint8Array>> {
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, source]) => [name, join(root, source)])),
    outdir: dist,
    write: false,
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: "linked",
    logLevel: "warning",
  });
  return new Map(result.outputFiles.map((file) => [relative(dist, file.path), file.contents]));
}

function headersFile(): Uint8Array {
  const headers = Object.entries(SECURITY_HEADERS)
    .map(([name, value]) => `  ${name}: ${value}`)
    .join("\n");
  return new TextEncoder().encode(`/*\n${headers}\n`);
}

/** Prints each .js and .css file gzipped at the highest level, as a server would send it; throws over budget. */
function reportSize(built: Map<string, Uint8Array>): void {
  const sizes = [...built]
    .filter(([name]) => name.endsWith(".js") || name.endsWith(".css"))
    .map(([name, contents]): [string, number] => [name, gzipSync(contents, { level: 9 }).byteLength])
    .sort(([a], [b]) => a.localeCompare(b));
  const total = sizes.reduce((sum, [, bytes]) => sum + bytes, 0);
  const each = sizes.map(([name, bytes]) => `${name} ${kib(bytes)}`).join(", ");
  console.log(`client JS + CSS: ${kib(total)} gzipped (${each}); budget ${kib(BUDGET_GZIP_BYTES)}`);
  if (total > BUDGET_GZIP_BYTES) {
    throw new Error(`the client's JS + CSS is ${kib(total)} gzipped, over its ${kib(BUDGET_GZIP_BYTES)} budget`);
  }
}

/** Whether dist holds exactly these files, byte for byte. */
async function isUpToDate(built: Map<string, Uint8Array>): Promise<boolean> {
  let present: string[];
  try {
    present = (await readdir(dist, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dist, join(entry.parentPath, entry.name)));
  } catch {
    // No dist yet: nothing is up to date.
    return false;
  }
  if (present.length !== built.size) return false;
  for (const name of present) {
    const contents = built.get(name);
    if (contents === undefined || !Buffer.from(contents).equals(await readFile(join(dist, name)))) return false;
  }
  return true;
}

/** Writes the files beside client/ and renames them into place as one folder. */
async function swapIn(built: Map<string, Uint8Array>): Promise<void> {
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [name, contents] of built) {
      const path = join(staging, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, contents);
    }
    await rename(dist, previous).catch(() => undefined);
    await rename(staging, dist);
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(previous, { recursive: true, force: true });
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
