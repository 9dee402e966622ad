/**
 * Adds to package-lock.json the other platforms' builds of packages that
 * ship native binaries (workerd, Biome, ...), when the registry that
 * produced the lockfile would not serve them. `npm ci` refuses a lockfile
 * that lacks an optional dependency, even one for another platform
 * (npm/cli#9846), so without these entries CI cannot install. Each entry
 * names its os, cpu and libc, so npm skips it on every other machine and
 * fetches it by name and version where it applies.
 *
 * Run `npm run lockfile:complete` after changing dependencies if `npm ci`
 * reports "Missing: <package> from lock file".
 */
import { readFileSync, writeFileSync } from "node:fs";

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

const OS_WORDS: Record<string, string> = {
  android: "android",
  darwin: "darwin",
  linux: "linux",
  win32: "win32",
  windows: "win32",
  freebsd: "freebsd",
  openbsd: "openbsd",
  netbsd: "netbsd",
  sunos: "sunos",
  aix: "aix",
};
const CPU_WORDS: Record<string, string> = {
  arm64: "arm64",
  x64: "x64",
  "64": "x64",
  arm: "arm",
  ia32: "ia32",
  loong64: "loong64",
  mips64el: "mips64el",
  ppc64: "ppc64",
  riscv64: "riscv64",
  s390x: "s390x",
};

const path = new URL("../package-lock.json", import.meta.url);
const lock: { packages: Record<string, LockEntry> } = JSON.parse(readFileSync(path, "utf8"));
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${key === "" ? "" : `${key}/`}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    const existing = lock.packages[nested] ?? lock.packages[hoisted];
    if (existing !== undefined && existing.version === version) continue;
    const words = (name.split("/").pop() ?? name).split("-");
    const os = words.map((word) => OS_WORDS[word]).find((value) => value !== undefined);
    const cpu = words.map((word) => CPU_WORDS[word]).find((value) => value !== undefined);
    if (os === undefined || cpu === undefined) continue;
    lock.packages[existing === undefined ? hoisted : nested] = {
      version,
      ...(entry.dev === true ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(words.includes("musl") ? { libc: ["musl"] } : {}),
    };
    added++;
    console.log(`added ${name}@${version} (${os}, ${cpu})`);
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} platform entries added`);
