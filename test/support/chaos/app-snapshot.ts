/**
 * A snapshot of the app for fault runs: worker/, protocol/ and the built client/dist
 * copied under test/artifacts/chaos/, with wrangler.toml minus its `[build]`
 * section. `wrangler dev` reloads whenever a file it watches changes (the
 * Worker's sources, the client folder that `[build]` names), and a reload
 * drops every open socket with close 1006. On a machine where other people
 * edit the code or build the client, or where a run restarts its own server
 * (each start runs the build, which reloads every other server), those
 * reloads would be faults nobody chose. The snapshot is the same Worker, Room,
 * vars and workerd, frozen for the run; the run's command builds the client
 * beforehand (`npm run build`).
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../../support/dev-server.ts";
import { CHAOS_ARTIFACTS } from "./run-record.ts";

const SNAPSHOT_PREFIX = "app-";

/** Copies the app and returns its config's path relative to the project root, for `startDevServer({ config })`. */
export async function snapshotApp(): Promise<string> {
  await removeStaleSnapshots();
  const name = `${SNAPSHOT_PREFIX}${process.pid}-${Date.now()}`;
  const folder = join(CHAOS_ARTIFACTS, name);
  await mkdir(folder, { recursive: true });
  for (const source of ["worker", "protocol"]) {
    await cp(join(PROJECT_ROOT, source), join(folder, source), { recursive: true });
  }
  await cp(join(PROJECT_ROOT, "client/dist"), join(folder, "client/dist"), { recursive: true });
  const config = withoutBuild(await readFile(join(PROJECT_ROOT, "wrangler.toml"), "utf8"));
  await writeFile(join(folder, "wrangler.toml"), config);
  return join("test/artifacts/chaos", name, "wrangler.toml");
}

/** Drops the `[build]` table: every line from its header to the next table header. */
function withoutBuild(toml: string): string {
  const kept: string[] = [];
  let inBuild = false;
  for (const line of toml.split("\n")) {
    if (/^\s*\[/.test(line)) inBuild = /^\s*\[build\]\s*$/.test(line);
    if (!inBuild) kept.push(line);
  }
  return kept.join("\n");
}

/** Removes the snapshots of processes that are gone. */
async function removeStaleSnapshots(): Promise<void> {
  const entries = await readdir(CHAOS_ARTIFACTS).catch(() => []);
  for (const entry of entries) {
    const pid = Number(entry.slice(SNAPSHOT_PREFIX.length).split("-")[0]);
    if (entry.startsWith(SNAPSHOT_PREFIX) && Number.isSafeInteger(pid) && !isAlive(pid)) {
      await rm(join(CHAOS_ARTIFACTS, entry), { recursive: true, force: true });
    }
  }
}

/** Signal 0 only asks whether the process exists; EPERM means it does, under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
