/**
 * How long clients were away: for each link that ended, the time from its
 * end until the client's next welcome, read from the link traces.
 */
import type { LinkTrace } from "./flaky-link.ts";

/** Milliseconds from the end of each welcomed link to the next welcome, in order. */
export function resumeTimes(links: readonly LinkTrace[]): number[] {
  const times: number[] = [];
  links.forEach((link, index) => {
    if (link.welcomedAt === null || link.closedAt === null) return;
    const closedAt = link.closedAt;
    const back = links.slice(index + 1).find((later) => later.welcomedAt !== null)?.welcomedAt;
    if (back !== undefined && back !== null) times.push(back - closedAt);
  });
  return times;
}

/** For each moment in `at`, how long until every client had been welcomed again after it. */
export function timesUntilAllBack(at: readonly number[], clients: readonly (readonly LinkTrace[])[]): number[] {
  return at.map((moment) => {
    const backAt = clients.map(
      (links) => links.find((link) => link.welcomedAt !== null && link.welcomedAt > moment)?.welcomedAt ?? Number.NaN,
    );
    return Math.max(...backAt) - moment;
  });
}
