import { SkiffError } from "../errors.js";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
/**
 * Day names in standard cron order: SUN is 0. Names are how a day-of-week field is written portably, since
 * Cloudflare and standard cron number the days differently and skiff refuses numbers there.
 *
 * @example
 * ```ts
 * WEEKDAYS.indexOf("MON"); // 1, as in "0 9 * * MON-FRI"
 * ```
 */
export const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 0, max: 6, names: WEEKDAYS },
];

function fail(expression: string, why: string): never {
  throw new SkiffError(`cron expression "${expression}" is invalid: ${why}`);
}

function value(expression: string, field: FieldSpec, token: string): number {
  const upper = token.toUpperCase();
  if (field.names) {
    const i = field.names.indexOf(upper);
    if (i >= 0) return field === FIELDS[3] ? i + 1 : i;
  }
  if (!/^\d+$/.test(token)) fail(expression, `"${token}" is not a valid ${field.name}`);
  if (field.name === "day-of-week") {
    // Cloudflare counts weekdays 1-7 from Sunday; standard cron (Vercel, croner) counts 0-6 from Sunday, so
    // "1-5" means Sun-Thu on one platform and Mon-Fri on the other. Names mean the same day everywhere.
    fail(
      expression,
      `numeric day-of-week "${token}" means different days on different platforms (Cloudflare: 1 = Sunday; standard cron: 1 = Monday); use names such as MON-FRI`,
    );
  }
  const n = Number(token);
  if (n < field.min || n > field.max)
    fail(expression, `${field.name} ${n} is outside ${field.min}-${field.max}`);
  return n;
}

function checkItem(expression: string, field: FieldSpec, item: string): void {
  const upper = item.toUpperCase();
  if (field.name === "day-of-month" && /^(L|LW|\d{1,2}W)$/.test(upper)) {
    if (upper.endsWith("W") && upper !== "LW") value(expression, field, upper.slice(0, -1));
    return;
  }
  if (field.name === "day-of-week") {
    const last = /^([A-Z]{3})L$/.exec(upper);
    if (last) return void value(expression, field, last[1] as string);
    const nth = /^([A-Z]{3})#([1-5])$/.exec(upper);
    if (nth) return void value(expression, field, nth[1] as string);
  }
  const [base = "", step, extra] = item.split("/");
  if (extra !== undefined) fail(expression, `"${item}" has more than one "/"`);
  if (step !== undefined) {
    if (!/^\d+$/.test(step) || Number(step) < 1)
      fail(expression, `step "${step}" in "${item}" must be a positive integer`);
    if (base !== "*" && !base.includes("-"))
      fail(
        expression,
        `"${item}": a step needs "*" or a range before it (e.g. ${base}-${field.max}/${step})`,
      );
  }
  if (base === "*") return;
  const [from = "", to, more] = base.split("-");
  if (more !== undefined) fail(expression, `"${base}" is not a valid range`);
  const a = value(expression, field, from);
  if (to !== undefined && value(expression, field, to) < a)
    fail(expression, `range "${base}" runs backwards`);
}

/**
 * Validates a cron expression as skiff defines it, the common ground of every platform it targets: 5 fields
 * (minute hour day-of-month month day-of-week), UTC, `* , - /`, month and weekday names, `L`/`LW`/`nW` in
 * day-of-month and `FRIL`/`MON#2` in day-of-week (Cloudflare's Quartz-style extensions). Numeric weekdays are
 * refused because Cloudflare and standard cron number them differently. Throws a {@link SkiffError} quoting the
 * expression and saying what to change.
 *
 * It is deliberately small and dependency-free: it ships in every Worker and edge bundle, while the scheduler and
 * the CLI use `croner` for computing run times.
 *
 * @example
 * ```ts
 * validateCron("0 9 * * MON-FRI"); // ok
 * validateCron("0 9 * * 1-5");     // throws: use names such as MON-FRI
 * ```
 */
export function validateCron(expression: string): void {
  if (typeof expression !== "string")
    throw new SkiffError(`a cron expression must be a string (got ${typeof expression})`);
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new SkiffError(
      `cron expression "${expression}" must have 5 fields (minute hour day-of-month month day-of-week), in UTC; got ${parts.length}`,
    );
  }
  parts.forEach((part, i) => {
    const field = FIELDS[i] as FieldSpec;
    for (const item of part.split(",")) {
      if (!item) fail(expression, `empty list item in the ${field.name} field`);
      checkItem(expression, field, item);
    }
  });
}
