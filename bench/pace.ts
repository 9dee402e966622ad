/** Timing helpers for the load generator: every wait is bounded. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Calls `act(i)` for i = 0 .. count-1 at `ratePerSecond`, on an absolute schedule so that delays do not add up. */
export async function atRate(count: number, ratePerSecond: number, act: (i: number) => void): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / ratePerSecond - performance.now();
    if (wait >= 1) await sleep(wait);
    act(i);
  }
}

/** Resolves when `done` resolves or after `ms`, whichever comes first; true if `done` won. */
export async function within(done: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const won = await Promise.race([done.then(() => true as const), timeout]);
  clearTimeout(timer);
  return won;
}

/** Checks `condition` every `everyMs` until it holds or `ms` have passed; true if it held. */
export async function waitFor(condition: () => boolean, ms: number, everyMs = 10): Promise<boolean> {
  const until = performance.now() + ms;
  while (!condition()) {
    if (performance.now() >= until) return false;
    await sleep(everyMs);
  }
  return true;
}
