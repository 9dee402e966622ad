/**
 * Turns a V8 CPU profile of the Worker isolate into the functions and source
 * files that took the most self time. Positions in the bundle are mapped
 * back to the project's sources with the bundle's source map, so the summary
 * names `worker/history.ts:74`, not a line of the bundle.
 */
import type { SourceMap, SourceMapping } from "node:module";

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

export interface SelfTime {
  name: string;
  selfMs: number;
  /** Share of the isolate's busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  label: string;
  /** Time the isolate ran JavaScript, the runtime's APIs or its garbage collector. */
  busyMs: number;
  wallMs: number;
  functions: SelfTime[];
  files: SelfTime[];
  /** Where the raw profile was written, for DevTools. */
  path: string;
}

const TOP = 15;

export function summariseProfile(
  profile: CpuProfile,
  sourceMap: SourceMap | null,
): Omit<ProfileSummary, "label" | "path"> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (node === undefined || node.callFrame.functionName === "(idle)") return;
    busyUs += us;
    const { fn, file } = describe(node, sourceMap);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  });
  const rank = (totals: Map<string, number>): SelfTime[] =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return {
    busyMs: busyUs / 1000,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    functions: rank(byFunction),
    files: rank(byFile),
  };
}

/** A function as `name (source:line)`, and the file it belongs to. */
function describe(node: ProfileNode, sourceMap: SourceMap | null): { fn: string; file: string } {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const name = functionName === "" ? "(anonymous)" : functionName;
  if (name.startsWith("(")) return { fn: name, file: name };
  // Functions without a script are the runtime's own APIs (sql.exec, WebSocket.send, ...).
  if (url === "") return { fn: `${name} [runtime API]`, file: "(runtime APIs)" };
  const entry = sourceMap?.findEntry(lineNumber, columnNumber);
  if (entry === undefined || !isMapping(entry)) return { fn: `${name} (${url}:${lineNumber + 1})`, file: url };
  const file = projectPath(entry.originalSource);
  return { fn: `${name} (${file}:${entry.originalLine + 1})`, file };
}

/** findEntry answers an empty object for a position the map does not cover. */
function isMapping(entry: SourceMapping | Record<string, never>): entry is SourceMapping {
  return "originalSource" in entry;
}

/** A source path from the map, relative to the project when it lies inside it. */
function projectPath(source: string): string {
  const match = /(?:^|\/)((?:worker|bench|node_modules)\/.*)$/.exec(source.replace(/^file:\/\//, ""));
  return match?.[1] ?? source;
}
