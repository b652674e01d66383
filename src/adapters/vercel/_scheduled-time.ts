import { latestOccurrence } from "../../triggers/cron/index.js";

const MINUTE = 60_000;
// Hobby cron jobs fire anywhere within the scheduled hour (https://vercel.com/docs/cron-jobs/usage-and-pricing).
const LATE_WINDOW = 60 * MINUTE;

/**
 * @internal The time a Vercel cron invocation was scheduled for. Vercel sends none, and on Hobby an invocation can
 * arrive up to an hour late, so "now" would make a `0 9 * * *` report say 09:37 and give a duplicate delivery a
 * different time than the original. The expression's latest occurrence at or before now, when at most an hour
 * back, is the occurrence being run (what Workers' `scheduledTime` and Vercel Schedules call the scheduled time);
 * on time (Pro), that is the current minute. When none is that recent (a manual run from the dashboard), the
 * current minute is used.
 *
 * @example
 * ```ts
 * scheduledTimeOf("0 9 * * *", Date.parse("2026-01-02T09:37:12Z")) // Date.parse("2026-01-02T09:00:00Z")
 * ```
 */
export function scheduledTimeOf(expression: string, now: number): number {
  const minute = Math.floor(now / MINUTE) * MINUTE;
  const latest = latestOccurrence(expression, now);
  return latest !== null && minute - latest <= LATE_WINDOW ? latest : minute;
}
