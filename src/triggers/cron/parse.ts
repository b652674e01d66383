import { SkiffError } from "../../errors.js";
import type { CronField, CronFields, CronTerm } from "./fields.js";

/**
 * Month names in calendar order: JAN is month 1.
 *
 * @example
 * ```ts
 * MONTHS.indexOf("JUL") + 1; // 7
 * ```
 */
export const MONTHS: readonly string[] = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
];

/**
 * Day names in standard cron order: SUN is 0. Names are how a day-of-week field is written portably, since
 * Cloudflare and standard cron number the days differently and skiff refuses numbers there.
 *
 * @example
 * ```ts
 * WEEKDAYS.indexOf("MON"); // 1, as in "0 9 * * MON-FRI"
 * ```
 */
export const WEEKDAYS: readonly string[] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  readonly name: CronField["name"];
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 0, max: 6, names: WEEKDAYS },
];

function fail(expression: string, why: string): never {
  throw new SkiffError(`cron expression "${expression}" is invalid: ${why}`);
}

// A number or a name of the field, with the name (upper-cased) when one was written.
function value(expression: string, field: FieldSpec, token: string): { n: number; name?: string } {
  const upper = token.toUpperCase();
  if (field.names) {
    const i = field.names.indexOf(upper);
    if (i >= 0) return { n: i + field.min, name: upper };
  }
  if (!/^\d+$/.test(token)) fail(expression, `"${token}" is not a valid ${field.name}`);
  if (field.name === "day-of-week") {
    // Cloudflare counts weekdays 1-7 from Sunday; standard cron (Vercel) counts 0-6 from Sunday, so "1-5" means
    // Sun-Thu on one platform and Mon-Fri on the other. Names mean the same day everywhere.
    fail(
      expression,
      `numeric day-of-week "${token}" means different days on different platforms (Cloudflare: 1 = Sunday; standard cron: 1 = Monday); use names such as MON-FRI`,
    );
  }
  const n = Number(token);
  if (n < field.min || n > field.max)
    fail(expression, `${field.name} ${n} is outside ${field.min}-${field.max}`);
  return { n };
}

function parseTerm(expression: string, field: FieldSpec, text: string): CronTerm {
  const upper = text.toUpperCase();
  if (field.name === "day-of-month" && /^(L|LW|\d{1,2}W)$/.test(upper)) {
    if (upper === "L") return { kind: "last", text };
    if (upper === "LW") return { kind: "last-weekday", text };
    return { kind: "nearest-weekday", text, day: value(expression, field, upper.slice(0, -1)).n };
  }
  if (field.name === "day-of-week") {
    const last = /^([A-Z]{3})L$/.exec(upper);
    if (last) return { kind: "last-of-month", text, weekday: value(expression, field, last[1] ?? "").n };
    const nth = /^([A-Z]{3})#([1-5])$/.exec(upper);
    if (nth)
      return {
        kind: "nth-of-month",
        text,
        weekday: value(expression, field, nth[1] ?? "").n,
        nth: Number(nth[2]),
      };
  }
  const [base = "", stepText, extra] = text.split("/");
  if (extra !== undefined) fail(expression, `"${text}" has more than one "/"`);
  let step: number | undefined;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
      fail(expression, `step "${stepText}" in "${text}" must be a positive integer`);
    if (base !== "*" && !base.includes("-"))
      fail(
        expression,
        `"${text}": a step needs "*" or a range before it (e.g. ${base}-${field.max}/${stepText})`,
      );
    step = Number(stepText);
  }
  if (base === "*") return { kind: "every", text, step };
  const [fromText = "", toText, more] = base.split("-");
  if (more !== undefined) fail(expression, `"${base}" is not a valid range`);
  const from = value(expression, field, fromText);
  if (toText === undefined) return { kind: "value", text, value: from.n, name: from.name };
  const to = value(expression, field, toText);
  if (to.n < from.n) fail(expression, `range "${base}" runs backwards`);
  return { kind: "range", text, from: from.n, to: to.n, step, fromName: from.name, toName: to.name };
}

// Every number the plain terms select; the Quartz-style terms are matched per month by the occurrence search.
function valuesOf(terms: readonly CronTerm[], spec: FieldSpec): number[] {
  const set = new Set<number>();
  for (const term of terms) {
    if (term.kind === "value") set.add(term.value);
    if (term.kind !== "every" && term.kind !== "range") continue;
    const [from, to] = term.kind === "every" ? [spec.min, spec.max] : [term.from, term.to];
    for (let v = from; v <= to; v += term.step ?? 1) set.add(v);
  }
  return [...set].sort((a, b) => a - b);
}

function parseField(expression: string, spec: FieldSpec, text: string): CronField {
  const terms = text.split(",").map((item) => {
    if (!item) fail(expression, `empty list item in the ${spec.name} field`);
    return parseTerm(expression, spec, item);
  });
  return { ...spec, text, any: text === "*", terms, values: valuesOf(terms, spec) } as CronField;
}

/**
 * Parses a cron expression as skiff defines it, the common ground of every platform it targets: 5 fields (minute
 * hour day-of-month month day-of-week), UTC, `* , - /`, month and weekday names, `L`/`LW`/`nW` in day-of-month and
 * `FRIL`/`MON#2` in day-of-week (Cloudflare's Quartz-style extensions). Numeric weekdays are refused because
 * Cloudflare and standard cron number them differently. Throws a {@link SkiffError} quoting the expression and
 * saying what to change. Dependency-free: it ships in every Worker and edge bundle.
 *
 * @example
 * ```ts
 * parseCron("0 9 * * MON-FRI").dayOfWeek.values; // [1, 2, 3, 4, 5]
 * parseCron("0 9 * * 1-5"); // throws: use names such as MON-FRI
 * ```
 */
export function parseCron(expression: string): CronFields {
  if (typeof expression !== "string")
    throw new SkiffError(`a cron expression must be a string (got ${typeof expression})`);
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new SkiffError(
      `cron expression "${expression}" must have 5 fields (minute hour day-of-month month day-of-week), in UTC; got ${parts.length}`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((part, i) =>
    parseField(expression, FIELDS[i] as FieldSpec, part),
  ) as [CronField, CronField, CronField, CronField, CronField];
  return { expression, minute, hour, dayOfMonth, month, dayOfWeek };
}

/**
 * Validates a cron expression (see {@link parseCron} for the syntax): returns nothing, throws a {@link SkiffError}
 * quoting the expression and saying what to change.
 *
 * @example
 * ```ts
 * validateCron("0 9 * * MON-FRI"); // ok
 * validateCron("0 9 * * 1-5");     // throws: use names such as MON-FRI
 * ```
 */
export function validateCron(expression: string): void {
  parseCron(expression);
}
