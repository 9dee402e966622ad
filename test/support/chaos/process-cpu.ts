/**
 * CPU time of a process group, from /proc (Linux): `wrangler dev` and the
 * two workerd processes it starts (its proxy and the app's runtime) share the
 * group the dev server was started in, so the group's CPU time is what the
 * local runtime spent.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux the project runs on. */
const CLOCK_TICKS = 100;

/** User plus system CPU time, in ms, of every live process in group `groupId`. */
export function groupCpuMs(groupId: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      // The process exited between the listing and the read.
      continue;
    }
    // Fields after the command name (in parentheses, which may hold spaces), from proc(5):
    // state ppid pgrp ... utime stime are the 3rd, 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === groupId) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS;
}
