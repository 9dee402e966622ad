/**
 * Starts the socket.io peer (bench/socket-io/server.ts) as a child Node
 * process on 127.0.0.1, learns its port from its first line, and stops it
 * by its pid. The benchmark reads that process's CPU time as the peer's
 * server time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export interface SocketIoProcess {
  pid: number;
  port: number;
  /** Stops the process (SIGTERM, then SIGKILL if it lingers) and resolves once it has exited. */
  stop(): Promise<void>;
}

const SERVER_SCRIPT = fileURLToPath(new URL("./server.ts", import.meta.url));
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3000;

export async function startSocketIo(): Promise<SocketIoProcess> {
  const child = spawn(process.execPath, [SERVER_SCRIPT], { stdio: ["ignore", "pipe", "pipe"] });
  const { pid } = child;
  if (pid === undefined) throw new Error("the socket.io server could not be started");
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-3000);
  });
  const stop = () => stopChild(child, pid);
  try {
    const port = await portOf(child, () => stderr);
    return { pid, port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The port from the server's first line of output. */
function portOf(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => reject(new Error(`the socket.io server did not listen within ${START_TIMEOUT_MS} ms: ${stderr()}`)),
      START_TIMEOUT_MS,
    );
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the socket.io server exited with ${code}: ${stderr()}`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (line === undefined || !stdout.includes("\n")) return;
      clearTimeout(timer);
      const port: unknown = Reflect.get(JSON.parse(line), "port");
      if (typeof port === "number") resolve(port);
      else reject(new Error(`the socket.io server printed no port: ${line}`));
    });
  });
}

async function stopChild(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  process.kill(pid, "SIGTERM");
  const timer = setTimeout(() => process.kill(pid, "SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
