import { SkiffError } from "../../errors.js";
import type { CronField, CronFields } from "./fields.js";
import { parseCron } from "./parse.js";

function field(fields: CronFields, f: CronField): string {
  return f.terms
    .map((term) => {
      // Terms without names pass through as written; names become standard cron's numbers.
      if (
        (term.kind === "every" || term.kind === "value" || term.kind === "range") &&
        !/[A-Z]/i.test(term.text)
      )
        return term.text;
      const step = term.kind === "range" && term.step !== undefined ? `/${term.step}` : "";
      if (term.kind === "value") return String(term.value);
      if (term.kind === "range") return `${term.from}-${term.to}${step}`;
      throw new SkiffError(
        `cron "${fields.expression}": Vercel supports only * , - / and numbers (no L, W or #); choose another expression for this cron`,
      );
    })
    .join(",");
}

/**
 * The schedule Vercel accepts for a skiff expression. skiff names weekdays (numbers mean different days on
 * Cloudflare and in standard cron); Vercel accepts numbers only, standard cron's (0 = Sunday), and neither the
 * Quartz extensions (`L`, `W`, `#`) nor a day-of-month together with a day-of-week
 * (https://vercel.com/docs/cron-jobs#cron-expressions). Names are translated; the rest throws a
 * {@link SkiffError} here, at generation, rather than at deploy time. Takes the expression or its fields.
 *
 * @example
 * ```ts
 * renderVercel("0 9 * * MON-FRI") // "0 9 * * 1-5"
 * renderVercel("0 0 1 JAN,JUL *") // "0 0 1 1,7 *"
 * ```
 */
export function renderVercel(cron: CronFields | string): string {
  const fields = typeof cron === "string" ? parseCron(cron) : cron;
  const { minute, hour, dayOfMonth, month, dayOfWeek } = fields;
  const schedule = [minute, hour, dayOfMonth, month, dayOfWeek].map((f) => field(fields, f));
  if (!dayOfMonth.any && !dayOfWeek.any) {
    throw new SkiffError(
      `cron "${fields.expression}": Vercel does not accept a day-of-month and a day-of-week together; one of them must be *`,
    );
  }
  return schedule.join(" ");
}
