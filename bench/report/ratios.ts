/**
 * The headline of each scenario that has references, and the app's figure
 * as a ratio to each reference's and each peer's figure of the same case in
 * the same run. A ratio is always app / other: above 1 is slower for a
 * latency, faster for a rate.
 */
import type { Figure, ScenarioName } from "../figure.ts";
import type { OtherTarget, TargetName } from "../targets.ts";

export const HEADLINE: Partial<Record<ScenarioName, { metric: string; lowerIsBetter: boolean }>> = {
  "fan-out": { metric: "p99", lowerIsBetter: true },
  ingest: { metric: "ackedPerSecond", lowerIsBetter: false },
  "connect-storm": { metric: "p99", lowerIsBetter: true },
  rooms: { metric: "ackedPerSecond", lowerIsBetter: false },
  reactions: { metric: "ackedPerSecond", lowerIsBetter: false },
};

/** The figure of `target` for the same scenario and case as `figure`. */
export function counterpart(figures: readonly Figure[], figure: Figure, target: TargetName): Figure | undefined {
  return figures.find((f) => f.scenario === figure.scenario && f.case === figure.case && f.target === target);
}

/** The app's headline over a reference's, or NaN when either is missing. */
export function ratioTo(figures: readonly Figure[], figure: Figure, reference: TargetName): number {
  const headline = HEADLINE[figure.scenario];
  const other = counterpart(figures, figure, reference);
  if (headline === undefined || other === undefined) return Number.NaN;
  return (figure.metrics[headline.metric] ?? Number.NaN) / (other.metrics[headline.metric] ?? Number.NaN);
}

/** The app's headline ratios of one case, as the results JSON records them; null where the other was not measured. */
export interface AppRatios {
  scenario: ScenarioName;
  case: string;
  metric: string;
  vs: Record<OtherTarget, number | null>;
}

/** The ratios of every figure of the app whose scenario has a headline. */
export function appRatios(figures: readonly Figure[]): AppRatios[] {
  return figures.flatMap((figure) => {
    const headline = HEADLINE[figure.scenario];
    if (figure.target !== "edgechat" || headline === undefined) return [];
    const to = (other: OtherTarget) => {
      const ratio = ratioTo(figures, figure, other);
      return Number.isNaN(ratio) ? null : ratio;
    };
    const vs = {
      bare: to("bare"),
      "bare+sqlite": to("bare+sqlite"),
      partyserver: to("partyserver"),
      "socket.io": to("socket.io"),
    };
    return [{ scenario: figure.scenario, case: figure.case, metric: headline.metric, vs }];
  });
}

/** CPU time `cpuMs` per operation of a figure (a delivery, an acknowledged message, a connection), in microseconds. */
export function serverMicrosPerOperation(figure: Figure, cpuMs: number): number {
  const operations = figure.metrics.operations;
  return operations === undefined || operations === 0 ? Number.NaN : (cpuMs * 1000) / operations;
}
