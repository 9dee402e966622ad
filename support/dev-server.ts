/**
 * Runs the app as users meet it: `wrangler dev` (workerd) on 127.0.0.1,
 * with its own persistence folder, in its own process group so that a test
 * can stop it, or kill it outright, without touching any other process.
 * The e2e and chaos tests and the benchmark all start the app through it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));
const WRANGLER = join(PROJECT_ROOT, "node_modules/wrangler/bin/wrangler.js");

export interface DevServerOptions {
  /** wrangler config file, relative to the project root. */
  config?: string;
  /** Vars that override wrangler.toml, as `wrangler dev --var` does. */
  vars?: Record<string, string | number>;
  /** Where room state persists; a fresh temporary folder by default. */
  persistTo?: string;
  port?: number;
  /** How long to wait for the server to answer /healthz. */
  readyTimeoutMs?: number;
  /** wrangler's log level; `info` also logs every request line. `warn` by default. */
  logLevel?: "warn" | "info" | "debug";
}

/**
 * Vars every local run needs: every client of a test or benchmark reaches
 * wrangler dev from the one loopback address, so the limit on new
 * identities per address (which assumes an address per person, or per NAT)
 * would refuse the 21st client of a room. It is raised here, once;
 * test/room/identities.test.ts proves the limit inside workerd, where each
 * request names its own address. A test's own `vars` override these.
 */
const LOCAL_VARS = { NEW_IDENTITIES_PER_MINUTE: 1_000_000 };

export interface DevServer {
  readonly url: string;
  readonly port: number;
  readonly persistTo: string;
  readonly pid: number;
  /** The last lines wrangler printed, for failure messages. */
  log(): string;
  /** Stops the server gracefully (SIGTERM to its process group). */
  stop(): Promise<void>;
  /** Kills the server's whole process group with SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

/** Attempts at starting a server whose ports another process took between choosing them and binding them. */
const START_ATTEMPTS = 3;

/**
 * Starts `wrangler dev` and resolves once it serves /healthz. Ports are
 * chosen free, but tests run side by side, so one can be taken before the
 * runtime binds it (wrangler binds ports of its own too): such a start is
 * tried again on fresh ports, unless the caller named the port.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(options);
    } catch (error) {
      const portTaken = String(error).includes("Address already in use");
      if (!portTaken || options.port !== undefined || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

async function startDevServerOnce(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const persistTo = options.persistTo ?? (await mkdtemp(join(tmpdir(), "edgechat-state-")));
  const args = [
    WRANGLER,
    "dev",
    "--config",
    join(PROJECT_ROOT, options.config ?? "wrangler.toml"),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(await freePort()),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
    "--log-level",
    options.logLevel ?? "warn",
  ];
  for (const [name, value] of Object.entries({ ...LOCAL_VARS, ...options.vars }))
    args.push("--var", `${name}:${value}`);
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      // The project's Node 22 first, as npm scripts have it, for wrangler's build step too.
      PATH: `${join(PROJECT_ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
      WRANGLER_SEND_METRICS: "false",
      // As `npm start` runs it: without the local trace collector (docs/performance.md, The local runtime).
      X_LOCAL_OBSERVABILITY: "false",
      CI: "true",
      NO_COLOR: "1",
    },
  });
  const lines: string[] = [];
  const record = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n"));
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout?.on("data", record);
  child.stderr?.on("data", record);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const server: DevServer = {
    url,
    port,
    persistTo,
    pid: child.pid ?? -1,
    log: () => lines.join("\n"),
    stop: () => signalGroup(child, "SIGTERM", exited),
    kill: () => signalGroup(child, "SIGKILL", exited),
  };
  try {
    await waitUntilHealthy(url, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await server.kill();
    throw new Error(`wrangler dev did not start: ${String(error)}\n${server.log()}`);
  }
  return server;
}

async function waitUntilHealthy(url: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error("the process exited");
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet; poll again.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no answer from ${url}/healthz within ${timeoutMs} ms`);
}

async function signalGroup(child: ChildProcess, signal: NodeJS.Signals, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
    return;
  }
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Exited between the timeout and the kill.
    }
    await exited;
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()));
    });
  });
}
