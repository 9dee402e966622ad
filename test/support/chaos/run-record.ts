/**
 * A fault run written to disk: every client's log and every room's final
 * history, under test/artifacts/chaos/<run>/. The checks read the run back
 * from there, so they judge exactly what was recorded, and a failed run can
 * be inspected (or checked again) after the fact.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Message } from "../../../protocol/frames.ts";
import { PROJECT_ROOT } from "../../../support/dev-server.ts";
import type { ClientLog } from "./recorded-client.ts";

export const CHAOS_ARTIFACTS = join(PROJECT_ROOT, "test/artifacts/chaos");

export interface RunRecord {
  logs: ClientLog[];
  /** Each room's retained history, oldest first, by room name. */
  histories: Record<string, Message[]>;
}

/** Writes a run under its name, replacing an earlier run of that name; returns the folder. */
export async function saveRun(name: string, run: RunRecord): Promise<string> {
  const folder = join(CHAOS_ARTIFACTS, name);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  for (const [index, log] of run.logs.entries()) {
    await writeFile(join(folder, `client-${String(index).padStart(4, "0")}.json`), JSON.stringify(log));
  }
  for (const [room, history] of Object.entries(run.histories)) {
    await writeFile(join(folder, `history-${room}.json`), JSON.stringify(history));
  }
  return folder;
}

export async function loadRun(folder: string): Promise<RunRecord> {
  const run: RunRecord = { logs: [], histories: {} };
  for (const file of (await readdir(folder)).sort()) {
    const text = await readFile(join(folder, file), "utf8");
    if (file.startsWith("client-")) {
      const log: ClientLog = JSON.parse(text);
      run.logs.push(log);
    } else if (file.startsWith("history-")) {
      const history: Message[] = JSON.parse(text);
      run.histories[file.slice("history-".length, -".json".length)] = history;
    }
  }
  return run;
}
