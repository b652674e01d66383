import type { CronFields, CronTerm } from "./fields.js";
import { parseCron } from "./parse.js";

const MINUTE = 60_000;
// The Gregorian calendar repeats every 400 years, so an expression with no occurrence in 400 years has none at all
// (e.g. "0 0 30 2 *"): the search stops there instead of running forever.
const SEARCH_MONTHS = 400 * 12;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
const weekdayOf = (year: number, month: number, day: number): number =>
  new Date(Date.UTC(year, month, day)).getUTCDay();

// Quartz's `nW`: the weekday nearest day n, without leaving the month.
function nearestWeekday(year: number, month: number, day: number, last: number): number {
  if (day > last) return -1;
  const weekday = weekdayOf(year, month, day);
  if (weekday === 0) return day === last ? day - 2 : day + 1;
  if (weekday === 6) return day === 1 ? day + 2 : day - 1;
  return day;
}

function lastWeekday(year: number, month: number, last: number): number {
  const weekday = weekdayOf(year, month, last);
  return weekday === 0 ? last - 2 : weekday === 6 ? last - 1 : last;
}

function specialDay(term: CronTerm, year: number, month: number, day: number, last: number): boolean {
  switch (term.kind) {
    case "last":
      return day === last;
    case "last-weekday":
      return day === lastWeekday(year, month, last);
    case "nearest-weekday":
      return day === nearestWeekday(year, month, term.day, last);
    case "last-of-month":
      return weekdayOf(year, month, day) === term.weekday && day + 7 > last;
    case "nth-of-month":
      return weekdayOf(year, month, day) === term.weekday && Math.ceil(day / 7) === term.nth;
    default:
      return false;
  }
}

// The days of a month the expression runs on, ascending. Standard cron: with both day fields restricted a day
// matches when either does; a `*` day field leaves the decision to the other.
function daysOfMonth(fields: CronFields, year: number, month: number): number[] {
  const { dayOfMonth: dom, dayOfWeek: dow } = fields;
  const last = daysIn(year, month);
  const days: number[] = [];
  for (let day = 1; day <= last; day++) {
    const domHit = dom.values.includes(day) || dom.terms.some((t) => specialDay(t, year, month, day, last));
    const dowHit =
      dow.values.includes(weekdayOf(year, month, day)) ||
      dow.terms.some((t) => specialDay(t, year, month, day, last));
    if (dow.any ? domHit : dom.any ? dowHit : domHit || dowHit) days.push(day);
  }
  return days;
}

// Minutes of the day (hour * 60 + minute) the expression runs at, ascending.
function timesOfDay(fields: CronFields): number[] {
  return fields.hour.values.flatMap((h) => fields.minute.values.map((m) => h * 60 + m));
}

// The first (direction 1) or last (-1) run from `start` (a whole minute, included) onwards or backwards.
function search(fields: CronFields, start: number, direction: 1 | -1): number | null {
  const times = timesOfDay(fields);
  const ordered = direction === 1 ? times : [...times].reverse();
  const at = new Date(start);
  let year = at.getUTCFullYear();
  let month = at.getUTCMonth();
  let fromDay = at.getUTCDate();
  let fromTime = at.getUTCHours() * 60 + at.getUTCMinutes();
  for (let i = 0; i <= SEARCH_MONTHS; i++) {
    if (fields.month.values.includes(month + 1)) {
      const days = daysOfMonth(fields, year, month);
      if (direction === -1) days.reverse();
      for (const day of days) {
        if (direction * (day - fromDay) < 0) continue;
        const time = day === fromDay ? ordered.find((t) => direction * (t - fromTime) >= 0) : ordered[0];
        if (time !== undefined) return Date.UTC(year, month, day, Math.floor(time / 60), time % 60);
      }
    }
    month += direction;
    if (month > 11 || month < 0) {
      year += direction;
      month = (month + 12) % 12;
    }
    fromDay = direction === 1 ? 0 : 32;
  }
  return null;
}

const fieldsOf = (cron: CronFields | string): CronFields =>
  typeof cron === "string" ? parseCron(cron) : cron;
const msOf = (time: Date | number): number => (typeof time === "number" ? time : time.getTime());

/**
 * The next time (ms since the epoch, UTC, on a whole minute) an expression fires strictly after `after`, or `null`
 * when it never does (such as `0 0 30 2 *`). Takes the expression or its {@link parseCron} fields; a string is
 * validated and throws as `parseCron` does. What the local scheduler and the CLI run on.
 *
 * @example
 * ```ts
 * nextOccurrence("0 9 * * *", Date.parse("2026-01-01T10:00:00Z")); // Date.parse("2026-01-02T09:00:00Z")
 * ```
 */
export function nextOccurrence(cron: CronFields | string, after: Date | number): number | null {
  return search(fieldsOf(cron), Math.floor(msOf(after) / MINUTE) * MINUTE + MINUTE, 1);
}

/**
 * The latest time (ms since the epoch, UTC, on a whole minute) an expression fires at or before `at`, or `null`
 * when it never does. This is the occurrence a late invocation stands for (Vercel sends no scheduled time).
 *
 * @example
 * ```ts
 * latestOccurrence("0 9 * * *", Date.parse("2026-01-02T09:37:12Z")); // Date.parse("2026-01-02T09:00:00Z")
 * ```
 */
export function latestOccurrence(cron: CronFields | string, at: Date | number): number | null {
  return search(fieldsOf(cron), Math.floor(msOf(at) / MINUTE) * MINUTE, -1);
}
