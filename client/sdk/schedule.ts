/** Stops a scheduled callback; calling it after the callback ran does nothing. */
export type Cancel = () => void;

/** Runs `callback` once after `ms`; injectable so that tests control time. */
export type Schedule = (callback: () => void, ms: number) => Cancel;

/** The platform's timers. */
export const realSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};
