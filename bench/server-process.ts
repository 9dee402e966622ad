/**
 * The servers' processes as the kernel sees them (/proc, Linux only).
 * `wrangler dev` starts two workerd processes in its process group: a proxy
 * that owns the public port and forwards every request and frame, and the
 * runtime that runs the Worker and its Durable Objects (the one with an
 * inspector). The socket.io peer is one Node process of its own. The
 * benchmark reads the processes' memory and CPU time.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux the project runs on. */
const CLOCK_TICKS = 100;

export interface WorkerdProcesses {
  /** Runs the Worker, the Room and the reference rooms. */
  runtime: number;
  /** Owns the public port and forwards to the runtime. */
  proxy: number;
}

/** Every server process of a run. */
export interface ServerProcesses {
  workerd: WorkerdProcesses;
  /** The socket.io peer's Node process. */
  socketIo: number;
}

/** The two workerd processes in the process group `groupId`. */
export function findWorkerd(groupId: number): WorkerdProcesses {
  let runtime: number | undefined;
  let proxy: number | undefined;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (stat === null || stat.comm !== "workerd" || stat.pgrp !== groupId) continue;
    if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--inspector-addr")) runtime = pid;
    else proxy = pid;
  }
  if (runtime === undefined || proxy === undefined) throw new Error(`no runtime and proxy workerd in group ${groupId}`);
  return { runtime, proxy };
}

/** Resident memory of a process in MiB. */
export function residentMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuTimeMs(pid: number): number {
  const stat = readStat(pid);
  if (stat === null) throw new Error(`process ${pid} is gone`);
  return ((stat.utime + stat.stime) * 1000) / CLOCK_TICKS;
}

interface Stat {
  comm: string;
  pgrp: number;
  utime: number;
  stime: number;
}

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    // The process exited between the directory listing and the read.
    return null;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).split(" ");
  // Fields after the name, from proc(5): state ppid pgrp ... utime (14th overall) stime (15th).
  return {
    comm: text.slice(open + 1, close),
    pgrp: Number(fields[2]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
  };
}
