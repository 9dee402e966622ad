/**
 * A flood run from a process of its own, as from an attacker's machine, so
 * that the flooder's own work (2,000 frames a second, a handshake per
 * reconnect) does not slow the process that measures the other clients'
 * delivery latency. `floodFromAnotherProcess` starts this file with the
 * project's Node; run as a script, it floods and prints its report as JSON.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CLIENT_FRAME, FRAME_LIMITS } from "../../../protocol/frames.ts";
import { type FloodReport, flood } from "./flooder.ts";

export type FloodedFrame = "send" | "typing" | "history";

export interface FloodJob {
  baseUrl: string;
  room: string;
  frame: FloodedFrame;
  /** Carried in every `send`, so that a run can look for it where it must not be. */
  marker: string;
  framesPerSecond: number;
  durationMs: number;
  reconnect: boolean;
  keepToken: boolean;
}

const SCRIPT = fileURLToPath(import.meta.url);

/** The n-th frame of a flood of `kind`. */
function frameOf(kind: FloodedFrame, marker: string): (n: number) => string {
  switch (kind) {
    case "send":
      return (n) => JSON.stringify({ type: CLIENT_FRAME.send, id: `f${n}`, text: `${marker} ${n}` });
    case "typing":
      return () => JSON.stringify({ type: CLIENT_FRAME.typing });
    case "history":
      return () => JSON.stringify({ type: CLIENT_FRAME.history, limit: FRAME_LIMITS.historyPageMax });
  }
}

/** Runs `job` in a child process and resolves with its report; the child is killed if it outlives the job by a minute. */
export function floodFromAnotherProcess(job: FloodJob): Promise<FloodReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, JSON.stringify(job)], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), job.durationMs + 60_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const last = output.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || last === "") {
        reject(new Error(`the flood process exited with ${code}`));
        return;
      }
      const report: FloodReport = JSON.parse(last);
      resolve(report);
    });
  });
}

if (process.argv[1] === SCRIPT) {
  const job: FloodJob = JSON.parse(process.argv[2] ?? "{}");
  const report = await flood(job.baseUrl, job.room, { ...job, frame: frameOf(job.frame, job.marker) });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
