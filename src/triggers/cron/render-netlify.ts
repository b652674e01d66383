import { SkiffError } from "../../errors.js";
import type { CronField, CronFields } from "./fields.js";
import { parseCron } from "./parse.js";

function field(fields: CronFields, f: CronField): string {
  if (f.any) return "*";
  return f.terms
    .map((term) => {
      if (term.kind === "every") return term.step === undefined ? "*" : `*/${term.step}`;
      if (term.kind === "value") return String(term.value);
      if (term.kind === "range")
        return `${term.from}-${term.to}${term.step === undefined ? "" : `/${term.step}`}`;
      throw new SkiffError(
        `cron "${fields.expression}": Netlify scheduled functions take crontab syntax (numbers, names, * , - /), not L, W or #; choose another expression for this cron`,
      );
    })
    .join(",");
}

/**
 * The `schedule` of a Netlify scheduled function for a skiff expression. Netlify takes crontab syntax, in UTC
 * (https://docs.netlify.com/build/functions/scheduled-functions/); skiff's names become crontab's numbers (0 =
 * Sunday), which every crontab parser reads alike, and the Quartz extensions (`L`, `W`, `#`), which crontab does
 * not have, throw a {@link SkiffError} here, at generation, rather than at deploy time. A day-of-month with a
 * day-of-week keeps crontab's meaning (either matches), which is skiff's.
 *
 * @example
 * ```ts
 * renderNetlify("0 9 * * MON-FRI") // "0 9 * * 1-5"
 * renderNetlify("*\/15 * * * *")   // "*\/15 * * * *"
 * ```
 */
export function renderNetlify(cron: CronFields | string): string {
  const fields = typeof cron === "string" ? parseCron(cron) : cron;
  const { minute, hour, dayOfMonth, month, dayOfWeek } = fields;
  return [minute, hour, dayOfMonth, month, dayOfWeek].map((f) => field(fields, f)).join(" ");
}
