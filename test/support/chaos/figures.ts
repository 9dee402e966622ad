/**
 * The figures a fault run measured: printed as a table at the end of the
 * run, with the command that reproduces it, and kept as JSON under
 * test/artifacts/chaos/figures/ for docs/reliability.md.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CHAOS_ARTIFACTS } from "./run-record.ts";

export type Figure = string | number | boolean;

export interface FigureTable {
  title: string;
  /** The command that produces these figures. */
  command: string;
  rows: Record<string, Figure>;
}

export async function reportFigures(name: string, table: FigureTable): Promise<void> {
  const width = Math.max(...Object.keys(table.rows).map((key) => key.length));
  const lines = Object.entries(table.rows).map(([key, value]) => `  ${key.padEnd(width)}  ${format(value)}`);
  console.log(`\n${table.title}\n  (${table.command})\n${lines.join("\n")}\n`);
  const folder = join(CHAOS_ARTIFACTS, "figures");
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, `${name}.json`), JSON.stringify({ ...table, at: new Date().toISOString() }, null, 2));
}

function format(value: Figure): string {
  if (typeof value !== "number" || Number.isInteger(value)) return String(value);
  return value.toFixed(1);
}
