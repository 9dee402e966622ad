/** The machine and runtime a run measured, so that a figure is never quoted without them. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

export interface Machine {
  cores: number;
  cpu: string;
  ramGiB: number;
  node: string;
  workerd: string;
  wrangler: string;
  /** The peers' libraries. */
  partyserver: string;
  socketIo: string;
  /** The commit measured, and whether worker/ had uncommitted changes (the snapshot takes the files on disk). */
  commit: string;
  workerChanged: boolean;
}

export function describeMachine(projectRoot: string): Machine {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    ramGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    workerd: packageVersion(projectRoot, "workerd"),
    wrangler: packageVersion(projectRoot, "wrangler"),
    partyserver: packageVersion(projectRoot, "partyserver"),
    socketIo: packageVersion(projectRoot, "socket.io"),
    commit: git(projectRoot, ["rev-parse", "--short", "HEAD"]),
    workerChanged: git(projectRoot, ["status", "--porcelain", "--", "worker"]) !== "",
  };
}

/** A read-only git query; "unknown" outside a checkout. */
function git(projectRoot: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: projectRoot, encoding: "utf8" }).trim();
  } catch {
    // Not a git checkout (an unpacked release): the results say so.
    return "unknown";
  }
}

function packageVersion(projectRoot: string, name: string): string {
  const manifest: unknown = JSON.parse(readFileSync(join(projectRoot, "node_modules", name, "package.json"), "utf8"));
  const version = typeof manifest === "object" && manifest !== null ? Reflect.get(manifest, "version") : undefined;
  return typeof version === "string" ? version : "unknown";
}
