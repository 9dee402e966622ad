/** The command line of `npm run bench`. */

import { SCENARIOS, type ScenarioName } from "./figure.ts";
import { PROFILE_NAMES, type ProfileName } from "./profiles.ts";

export interface RunOptions {
  profile: ProfileName;
  scenarios: ScenarioName[];
  /** Whether to CPU-profile the Worker isolate while the app is measured. */
  cpuProfile: boolean;
  /** The arguments as given, for the command line recorded with the results. */
  args: string[];
}

const USAGE = `usage: npm run bench -- [--quick | --full | --smoke] [--profile] [--only=${SCENARIOS.join(",")}]`;

export function parseRunOptions(args: string[]): RunOptions {
  const options: RunOptions = { profile: "quick", scenarios: [...SCENARIOS], cpuProfile: false, args };
  for (const arg of args) {
    const profile = PROFILE_NAMES.find((name) => arg === `--${name}`);
    if (profile !== undefined) {
      options.profile = profile;
    } else if (arg === "--profile") {
      options.cpuProfile = true;
    } else if (arg.startsWith("--only=")) {
      options.scenarios = arg
        .slice("--only=".length)
        .split(",")
        .map((name) => {
          const scenario = SCENARIOS.find((known) => known === name);
          if (scenario === undefined) throw new Error(`unknown scenario ${name}\n${USAGE}`);
          return scenario;
        });
    } else {
      throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  return options;
}
