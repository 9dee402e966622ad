/**
 * CPU profiles of the Worker isolate (where the app's Room and the reference
 * rooms run) over the Chrome DevTools Protocol: `Profiler.start` and
 * `Profiler.stop` around a measured window. Each profile is written to
 * bench/results/ for DevTools and summarised by self time.
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { SourceMap } from "node:module";
import { join } from "node:path";
import type { InspectorSession } from "./inspector-session.ts";
import { type CpuProfile, type ProfileSummary, summariseProfile } from "./summarise-profile.ts";

export type { ProfileSummary } from "./summarise-profile.ts";

/** Microseconds between samples: fine enough for sub-millisecond handlers, cheap enough not to distort them much. */
const SAMPLING_INTERVAL_US = 200;

export class CpuProfiler {
  readonly #session: InspectorSession;
  readonly #sourceMap: SourceMap | null;
  readonly #resultsDir: string;
  readonly #stamp: string;
  #count = 0;

  private constructor(session: InspectorSession, sourceMap: SourceMap | null, resultsDir: string, stamp: string) {
    this.#session = session;
    this.#sourceMap = sourceMap;
    this.#resultsDir = resultsDir;
    this.#stamp = stamp;
  }

  /** Profiles over `session`; `sourceMapPath` is the source map of the bundle the runtime runs. */
  static async attach(
    session: InspectorSession,
    sourceMapPath: string,
    resultsDir: string,
    stamp: string,
  ): Promise<CpuProfiler> {
    await session.call("Profiler.enable");
    await session.call("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
    return new CpuProfiler(session, loadSourceMap(sourceMapPath), resultsDir, stamp);
  }

  async start(): Promise<void> {
    await this.#session.call("Profiler.start");
  }

  async stop(label: string): Promise<ProfileSummary> {
    const result = await this.#session.call("Profiler.stop");
    const profile = readProfile(result);
    const path = join(
      this.#resultsDir,
      `${this.#stamp}-${++this.#count}-${label.replace(/[^\w=-]+/g, "-")}.cpuprofile`,
    );
    await writeFile(path, JSON.stringify(profile));
    return { label, path, ...summariseProfile(profile, this.#sourceMap) };
  }
}

function readProfile(result: unknown): CpuProfile {
  const profile: unknown = typeof result === "object" && result !== null ? Reflect.get(result, "profile") : undefined;
  if (!isCpuProfile(profile)) throw new Error("Profiler.stop did not return a CPU profile");
  return profile;
}

/** The profile's outline; its nodes are V8's own and taken as V8 describes them. */
function isCpuProfile(value: unknown): value is CpuProfile {
  if (typeof value !== "object" || value === null) return false;
  const arrays = ["nodes", "samples", "timeDeltas"].every((field) => Array.isArray(Reflect.get(value, field)));
  const times = ["startTime", "endTime"].every((field) => typeof Reflect.get(value, field) === "number");
  return arrays && times;
}

/** The bundle's source map, or null when there is none (the summary then names bundle lines). */
function loadSourceMap(path: string): SourceMap | null {
  try {
    return new SourceMap(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    // No map or an unreadable one: profiles still work, with bundle positions.
    return null;
  }
}
