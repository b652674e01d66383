import { SkiffError } from "../../errors.js";
import type { CronField, CronFields } from "./fields.js";
import { parseCron } from "./parse.js";

function field(fields: CronFields, f: CronField): string {
  return f.terms
    .map((term) => {
      if (term.kind === "every") return term.text;
      const step = term.kind === "range" && term.step !== undefined ? `/${term.step}` : "";
      if (term.kind === "value") return String(term.value);
      if (term.kind === "range") return `${term.from}-${term.to}${step}`;
      throw new SkiffError(
        `cron "${fields.expression}": Cloud Scheduler takes unix-cron (numbers, names, * , - /) without L, W or # (https://cloud.google.com/scheduler/docs/configuring/cron-job-schedules); choose another expression for this cron`,
      );
    })
    .join(",");
}

/**
 * The `--schedule` Cloud Scheduler accepts for a skiff expression. Cloud Scheduler reads unix-cron: five fields,
 * numbers with `*` `,` `-` `/`, weekdays 0-6 from Sunday, and, as skiff, a day matches when either restricted day
 * field does; it has no `L` (it says so) and none of the other Quartz forms (`W`, `#`)
 * (https://cloud.google.com/scheduler/docs/configuring/cron-job-schedules). Names become numbers (skiff's weekday
 * names are standard cron's days); the Quartz forms throw a {@link SkiffError} at generation, not at deploy.
 *
 * @example
 * ```ts
 * renderGcp("0 9 * * MON-FRI") // "0 9 * * 1-5"
 * renderGcp("0 0 L * *")       // throws: Cloud Scheduler has no L
 * ```
 */
export function renderGcp(cron: CronFields | string): string {
  const fields = typeof cron === "string" ? parseCron(cron) : cron;
  const { minute, hour, dayOfMonth, month, dayOfWeek } = fields;
  return [minute, hour, dayOfMonth, month, dayOfWeek].map((f) => field(fields, f)).join(" ");
}
