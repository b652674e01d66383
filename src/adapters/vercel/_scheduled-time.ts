const MINUTE = 60_000;
// Hobby cron jobs fire anywhere within the scheduled hour (https://vercel.com/docs/cron-jobs/usage-and-pricing).
const LATE_WINDOW = 60 * MINUTE;

// Whether `value` is one of the values a minute or hour field lists (`*`, `n`, `a-b`, `*/s`, `a-b/s`, lists).
// The syntax was validated when the cron was registered.
function fieldMatches(field: string, value: number, max: number): boolean {
  return field.split(",").some((item) => {
    const [range = "*", stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = 0;
    let to = max;
    if (range !== "*") {
      const [a = "", b] = range.split("-");
      from = Number(a);
      to = b !== undefined ? Number(b) : stepText !== undefined ? max : from;
    }
    return value >= from && value <= to && (value - from) % step === 0;
  });
}

/**
 * @internal The time a Vercel cron invocation was scheduled for. Vercel sends none, and on Hobby an invocation can
 * arrive up to an hour late, so "now" would make a `0 9 * * *` report say 09:37 and give a duplicate delivery a
 * different time than the original. The latest minute, at most an hour back, that the expression's minute and hour
 * fields match is the occurrence being run (what Workers' `scheduledTime` and Vercel Schedules call the scheduled
 * time); the day fields matched too, or Vercel would not have invoked it. On time (Pro), that is the current minute.
 * When nothing matches within the hour (a manual run from the dashboard), the current minute is used.
 * Deliberately small and without croner, which stays out of edge bundles.
 *
 * @example
 * ```ts
 * scheduledTimeOf("0 9 * * *", Date.parse("2026-01-02T09:37:12Z")) // Date.parse("2026-01-02T09:00:00Z")
 * ```
 */
export function scheduledTimeOf(expression: string, now: number): number {
  const minute = Math.floor(now / MINUTE) * MINUTE;
  const [minutes = "*", hours = "*"] = expression.trim().split(/\s+/);
  for (let t = minute; minute - t <= LATE_WINDOW; t -= MINUTE) {
    const date = new Date(t);
    if (fieldMatches(minutes, date.getUTCMinutes(), 59) && fieldMatches(hours, date.getUTCHours(), 23))
      return t;
  }
  return minute;
}
