/**
 * Bundles the benchmark's Worker (bench/worker.mts, and through it the app)
 * once, into a folder wrangler does not watch, with a wrangler config that
 * serves that bundle as it is. `wrangler dev` rebuilds and restarts the
 * runtime whenever a source file changes; in a checkout that people are
 * editing, that would restart rooms mid-run and mix code versions in one
 * table. A snapshot makes one run measure one version of the code.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

export interface WorkerSnapshot {
  /** The generated wrangler config, relative to the project root. */
  config: string;
  /** The bundle's source map, for naming sources in CPU profiles. */
  sourceMap: string;
}

/** Where snapshots go: under wrangler's own (git-ignored) working folder. */
const SNAPSHOT_DIR = "bench/.wrangler/snapshot";
const BUNDLE = "worker.js";

export async function snapshotWorker(projectRoot: string): Promise<WorkerSnapshot> {
  const dir = join(projectRoot, SNAPSHOT_DIR);
  await mkdir(dir, { recursive: true });
  await build({
    entryPoints: [join(projectRoot, "bench/worker.mts")],
    outfile: join(dir, BUNDLE),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    // As wrangler resolves a package that has no `exports` (partyserver): the neutral platform reads no main field.
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    sourcemap: "external",
    logLevel: "warning",
  });
  const template = await readFile(join(projectRoot, "bench/wrangler.toml"), "utf8");
  const config = template.replace(/^main = .*$/m, `main = "${BUNDLE}"\nno_bundle = true`);
  if (config === template) throw new Error("bench/wrangler.toml has no `main` line to point at the snapshot");
  await writeFile(join(dir, "wrangler.toml"), config);
  return { config: `${SNAPSHOT_DIR}/wrangler.toml`, sourceMap: join(dir, `${BUNDLE}.map`) };
}
