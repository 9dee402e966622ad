/** Dates and times in the reader's own locale and time zone. */
const TIME = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const DATE_THIS_YEAR = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });
const DATE_OTHER_YEAR = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "long", day: "numeric" });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

const DAY_MS = 24 * 60 * 60 * 1000;

/** The local calendar day of a timestamp, as a key that two messages of one day share. */
export function dayKey(ts: number): string {
  const date = new Date(ts);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** "Today", "Yesterday", or the date, for a day separator. */
export function dayLabel(ts: number, now: number = Date.now()): string {
  if (dayKey(ts) === dayKey(now)) return "Today";
  if (dayKey(ts) === dayKey(now - DAY_MS)) return "Yesterday";
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return (sameYear ? DATE_THIS_YEAR : DATE_OTHER_YEAR).format(ts);
}

/** The time of day, as shown beside a message. */
export function timeLabel(ts: number): string {
  return TIME.format(ts);
}

/** Date and time in full, for a tooltip. */
export function fullTimeLabel(ts: number): string {
  return FULL.format(ts);
}
