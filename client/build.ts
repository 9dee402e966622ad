/**
 * Builds the static web client into client/dist: the files of client/public,
 * the bundled TypeScript entry points and stylesheet, and the `_headers`
 * file that gives static files the same security headers as the Worker's
 * responses. Run by `npm start`, `npm test` and `npm run deploy` (through
 * wrangler's [build] command), so a stale client is never served.
 *
 * The scripts are split (esbuild's `splitting`, ES modules): each page's
 * entry, the chunks it imports statically (shared by both pages, or its
 * own), and chunks loaded on demand with `import()`, such as the emoji
 * picker and its emoji, the tools only moderators and owners use
 * (settings, invites, the moderation record, actions on a person), and a
 * room's call (its session, controls and tiles). A page
 * names its static chunks in `<link rel="modulepreload">`, written here, so
 * the browser fetches them beside the entry rather than after it. The build
 * prints the gzipped size of what a visitor downloads to open each page
 * (its entry, the entry's static chunks and the stylesheet) and fails when
 * either page's is over 40 KiB; the chunks loaded on demand have budgets
 * of their own, as nobody needs them to read and write: 24 KiB for the
 * pickers, the search and the tools of owned rooms together, and 10 KiB
 * for a call.
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

/** The pages' scripts, output name (without extension) to source, as the pages link them: /landing-page.js, /room-page.js. */
const PAGE_SCRIPTS = {
  "landing-page": "landing-page.ts",
  "room-page": "room-page.ts",
};
/** The stylesheets: /app.css, which every page links, and those ui/on-demand.ts links with what they style. */
const STYLESHEETS = {
  app: "styles/app.css",
  owners: "styles/owners.css",
  "emoji-picker": "styles/emoji-picker.css",
  search: "styles/search.css",
  call: "styles/call.css",
};
const ENTRY_POINTS = { ...PAGE_SCRIPTS, ...STYLESHEETS };
/** What a visitor's browser downloads to open a page, gzipped; the page must stay quick on a slow phone. */
const PAGE_BUDGET_GZIP_BYTES = 40 * 1024;
/** What the pages load on demand with `import()`, gzipped, apart from a call's. */
const ON_DEMAND_BUDGET_GZIP_BYTES = 24 * 1024;
/** A room's call, loaded when someone joins one or one is on: its script and call.css. */
const CALL_BUDGET_GZIP_BYTES = 10 * 1024;
/** The stylesheet every page links. */
const STYLESHEET = "app.css";

const bundle = await bundledFiles();
const files = new Map([
  ...(await publicFiles(bundle.staticImports)),
  ...bundle.files,
  ...iconFiles(),
  ["_headers", headersFile()],
]);
checkPageLinks(files);
reportSize(files, bundle.staticImports);
if (await isUpToDate(files)) {
  console.log("client/dist is up to date");
} else {
  await swapIn(files);
}

/** The files of client/public, by their path inside it, with the limits and the preloads filled into the pages. */
async function publicFiles(staticImports: StaticImports): Promise<Map<string, Uint8Array>> {
  const folder = join(root, "public");
  const names = await readdir(folder, { recursive: true, withFileTypes: true });
  const entries = names
    .filter((entry) => entry.isFile())
    .map(async (entry): Promise<[string, Uint8Array]> => {
      const path = join(entry.parentPath, entry.name);
      const name = relative(folder, path);
      const contents = await readFile(path);
      return [name, name.endsWith(".html") ? preloadChunks(fillLimits(name, contents), staticImports) : contents];
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

/** After each `<script type="module" src="/x.js">`, a modulepreload link for each chunk x.js imports statically. */
function preloadChunks(page: Uint8Array, staticImports: StaticImports): Uint8Array {
  const text = new TextDecoder()
    .decode(page)
    .replace(/^(\s*)<script type="module" src="\/([^"]+)"><\/script>$/gm, (line, indent: string, entry: string) => {
      const chunks = [...(staticImports.get(entry) ?? [])];
      return [line, ...chunks.map((chunk) => `${indent}<link rel="modulepreload" href="/${chunk}">`)].join("\n");
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

/** Each script of dist, by name, to every chunk it loads statically, directly or through another chunk. */
type StaticImports = Map<string, Set<string>>;

/** The bundles, chunks and source maps, built for dist's location but kept in memory, and how they import each other. */
async function bundledFiles(): Promise<{ files: Map<string, Uint8Array>; staticImports: StaticImports }> {
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, source]) => [name, join(root, source)])),
    absWorkingDir: root,
    outdir: dist,
    write: false,
    bundle: true,
    splitting: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
  });
  const direct = new Map<string, string[]>();
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    const imports = output.imports.filter((each) => each.kind === "import-statement" && !each.external);
    direct.set(
      distName(path),
      imports.map((each) => distName(each.path)),
    );
  }
  const staticImports: StaticImports = new Map();
  for (const name of direct.keys()) {
    const reached = new Set<string>();
    const next = [...(direct.get(name) ?? [])];
    for (let chunk = next.pop(); chunk !== undefined; chunk = next.pop()) {
      if (reached.has(chunk)) continue;
      reached.add(chunk);
      next.push(...(direct.get(chunk) ?? []));
    }
    staticImports.set(name, reached);
  }
  return {
    files: new Map(result.outputFiles.map((file) => [relative(dist, file.path), file.contents])),
    staticImports,
  };
}

/** A path of esbuild's metafile (relative to client/) as a name inside dist. */
function distName(path: string): string {
  return relative(dist, join(root, path));
}

function headersFile(): Uint8Array {
  const headers = Object.entries(SECURITY_HEADERS)
    .map(([name, value]) => `  ${name}: ${value}`)
    .join("\n");
  return new TextEncoder().encode(`/*\n${headers}\n`);
}

/**
 * Prints, gzipped at the highest level as a server would send them, what
 * opening each page downloads and what loads on demand; throws over budget.
 */
function reportSize(built: Map<string, Uint8Array>, staticImports: StaticImports): void {
  const gzipped = new Map(
    [...built]
      .filter(([name]) => name.endsWith(".js") || name.endsWith(".css"))
      .map(([name, contents]): [string, number] => [name, gzipSync(contents, { level: 9 }).byteLength]),
  );
  const loadedByPages = new Set([STYLESHEET]);
  for (const entry of Object.keys(PAGE_SCRIPTS)) {
    const script = `${entry}.js`;
    const loaded = [script, ...(staticImports.get(script) ?? []), STYLESHEET];
    for (const name of loaded) loadedByPages.add(name);
    checkBudget(`opening ${entry}`, loaded, gzipped, PAGE_BUDGET_GZIP_BYTES);
  }
  const onDemand = [...gzipped.keys()].filter((name) => !loadedByPages.has(name));
  const isCall = (name: string) => name.startsWith("call-") || name === "call.css";
  checkBudget(
    "loaded on demand",
    onDemand.filter((name) => !isCall(name)),
    gzipped,
    ON_DEMAND_BUDGET_GZIP_BYTES,
  );
  checkBudget("loaded for a call", onDemand.filter(isCall), gzipped, CALL_BUDGET_GZIP_BYTES);
}

function checkBudget(what: string, names: readonly string[], gzipped: Map<string, number>, budget: number): void {
  const sizes = names.map((name): [string, number] => [name, gzipped.get(name) ?? 0]);
  const total = sizes.reduce((sum, [, bytes]) => sum + bytes, 0);
  const each = sizes.map(([name, bytes]) => `${name} ${kib(bytes)}`).join(", ");
  console.log(`client JS + CSS ${what}: ${kib(total)} gzipped (${each}); budget ${kib(budget)}`);
  if (total > budget)
    throw new Error(`the client's JS + CSS ${what} is ${kib(total)} gzipped, over its ${kib(budget)} budget`);
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
