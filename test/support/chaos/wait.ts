/** Bounded waiting: every wait in a fault run has a deadline and says what it waited for. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Polls `condition` every `pollMs` until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, condition: () => boolean, timeoutMs: number, pollMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(pollMs);
  }
}

/**
 * Waits until `done` holds, for as long as `progress` keeps growing: throws
 * naming `what` when it has not grown for `stallMs`, or after `limitMs` in all.
 * For a backlog that drains at whatever rate the machine allows.
 */
export async function untilDrained(
  what: string,
  done: () => boolean,
  progress: () => number,
  stallMs: number,
  limitMs: number,
): Promise<void> {
  const limit = Date.now() + limitMs;
  let last = progress();
  let movedAt = Date.now();
  while (!done()) {
    const now = Date.now();
    const current = progress();
    if (current !== last) {
      last = current;
      movedAt = now;
    }
    if (now - movedAt > stallMs) throw new Error(`no progress for ${stallMs} ms waiting until ${what} (at ${current})`);
    if (now > limit) throw new Error(`timed out after ${limitMs} ms waiting until ${what} (at ${current})`);
    await sleep(100);
  }
}
