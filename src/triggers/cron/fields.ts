/**
 * One comma-separated term of a cron field, as parsed: `*` or `*\/step` (`every`), `n` (`value`), `a-b` or
 * `a-b/step` (`range`), and the Quartz-style forms Cloudflare accepts: `L`, `LW` and `nW` in day-of-month, `FRIL`
 * and `MON#2` in day-of-week. Numbers are the field's own (months 1-12, weekdays 0-6 from Sunday); `name` keeps a
 * month or weekday name as written, upper-cased, so renderings can keep the user's spelling.
 *
 * @example
 * ```ts
 * parseCron("0 9 * JAN-MAR MON#2").month.terms[0]; // { kind: "range", from: 1, to: 3, fromName: "JAN", toName: "MAR", text: "JAN-MAR" }
 * ```
 */
export type CronTerm =
  | { readonly kind: "every"; readonly text: string; readonly step?: number }
  | { readonly kind: "value"; readonly text: string; readonly value: number; readonly name?: string }
  | {
      readonly kind: "range";
      readonly text: string;
      readonly from: number;
      readonly to: number;
      readonly step?: number;
      readonly fromName?: string;
      readonly toName?: string;
    }
  | { readonly kind: "last"; readonly text: string }
  | { readonly kind: "last-weekday"; readonly text: string }
  | { readonly kind: "nearest-weekday"; readonly text: string; readonly day: number }
  | { readonly kind: "last-of-month"; readonly text: string; readonly weekday: number }
  | { readonly kind: "nth-of-month"; readonly text: string; readonly weekday: number; readonly nth: number };

/**
 * One parsed field of a cron expression. `any` is true for a field that is exactly `*`, which, for the two day
 * fields, decides how they combine (see {@link CronFields}). `values` lists, ascending, every number the plain terms
 * select; the Quartz-style terms depend on the month and are matched by the occurrence search.
 *
 * @example
 * ```ts
 * parseCron("*\/20 9-11 * * *").minute.values; // [0, 20, 40]
 * ```
 */
export interface CronField {
  readonly name: "minute" | "hour" | "day-of-month" | "month" | "day-of-week";
  readonly min: number;
  readonly max: number;
  readonly text: string;
  readonly any: boolean;
  readonly terms: readonly CronTerm[];
  readonly values: readonly number[];
}

/**
 * A cron expression parsed once, the single source every skiff rule reads: validation, next and latest occurrence,
 * the Vercel and AWS renderings. `expression` is the string as given (what handlers see). As in standard cron, when
 * both day fields are restricted a day matches when either does; when one of them is `*`, the other decides.
 *
 * @example
 * ```ts
 * const fields: CronFields = parseCron("0 9 * * MON-FRI");
 * fields.dayOfWeek.values; // [1, 2, 3, 4, 5]
 * ```
 */
export interface CronFields {
  readonly expression: string;
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dayOfMonth: CronField;
  readonly month: CronField;
  readonly dayOfWeek: CronField;
}
