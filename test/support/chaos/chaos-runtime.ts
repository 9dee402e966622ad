/**
 * The app under faults: `wrangler dev` on loopback that a run can crash
 * (SIGKILL to its whole process group, as a machine failure would) or
 * reload (SIGTERM, standing in for a deploy that replaces the runtime), then
 * start again on the same port and persisted state. It keeps the output of
 * every incarnation, so a run can check that none of it carries a secret.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevServer, type DevServerOptions, startDevServer } from "../../../support/dev-server.ts";
import { snapshotApp } from "./app-snapshot.ts";

const START_ATTEMPTS = 3;

export class ChaosRuntime {
  readonly #options: DevServerOptions;
  #server: DevServer;
  #up = true;
  readonly #pastLogs: string[] = [];
  /** Every server this runtime started, so that `stop` leaves none behind. */
  readonly #started: DevServer[];

  private constructor(server: DevServer, options: DevServerOptions) {
    this.#server = server;
    this.#options = options;
    this.#started = [server];
  }

  /** Starts `wrangler dev` on a snapshot of the app that no edit or build elsewhere reloads (see app-snapshot.ts). */
  static async start(options: DevServerOptions = {}): Promise<ChaosRuntime> {
    const withConfig = { ...options, config: options.config ?? (await snapshotApp()) };
    // A port found free can be taken by another process before wrangler binds it; a new one is tried then.
    for (let attempt = 1; ; attempt++) {
      try {
        return new ChaosRuntime(await startDevServer(withConfig), withConfig);
      } catch (error) {
        if (attempt >= START_ATTEMPTS || options.port !== undefined || !String(error).includes("in use")) throw error;
      }
    }
  }

  get url(): string {
    return this.#server.url;
  }

  /** The process group of the running incarnation (wrangler and its workerd processes). */
  get processGroup(): number {
    return this.#server.pid;
  }

  /** Kills the runtime's process group with SIGKILL. */
  async crash(): Promise<void> {
    await this.#server.kill();
    this.#down();
  }

  /** Stops the runtime gracefully, with SIGTERM to its process group. */
  async shutDown(): Promise<void> {
    await this.#server.stop();
    this.#down();
  }

  /**
   * Starts the runtime again on the same port, and on the same state unless
   * `freshState` (a deployment whose storage was lost); resolves once it serves /healthz.
   */
  async restart({ freshState = false } = {}): Promise<void> {
    const { port } = this.#server;
    const persistTo = freshState ? await mkdtemp(join(tmpdir(), "edgechat-state-")) : this.#server.persistTo;
    this.#server = await startDevServer({ ...this.#options, port, persistTo });
    this.#started.push(this.#server);
    this.#up = true;
  }

  /** The output of every incarnation so far. */
  log(): string {
    return [...this.#pastLogs, ...(this.#up ? [this.#server.log()] : [])].join("\n");
  }

  /** Stops whatever is still running. */
  async stop(): Promise<void> {
    for (const server of this.#started) await server.stop();
    if (this.#up) this.#down();
  }

  #down(): void {
    this.#pastLogs.push(this.#server.log());
    this.#up = false;
  }
}
