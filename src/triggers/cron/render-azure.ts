import { SkiffError } from "../../errors.js";
import type { CronField, CronFields } from "./fields.js";
import { parseCron } from "./parse.js";

// NCRONTAB takes `*`, `n`, `a-b`, `a,b`, `*\/n` and `a-b/n`, month and weekday names, and no Quartz forms
// (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions).
function field(fields: CronFields, f: CronField): string {
  return f.terms
    .map((term) => {
      switch (term.kind) {
        case "every":
          return term.text;
        case "value":
          return term.name ?? String(term.value);
        case "range": {
          const step = term.step === undefined ? "" : `/${term.step}`;
          return `${term.fromName ?? term.from}-${term.toName ?? term.to}${step}`;
        }
        default:
          throw new SkiffError(
            `cron "${fields.expression}": Azure's NCRONTAB has no L, W or # (${f.name} "${f.text}"); choose another expression for this cron`,
          );
      }
    })
    .join(",");
}

/**
 * The 6-field NCRONTAB schedule an Azure Functions timer trigger takes for a skiff expression:
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, with the seconds field `0` (skiff crons fire on the
 * minute). Names stay names (NCRONTAB reads `Jan`, `Mon`), numbers and steps pass through. What NCRONTAB cannot
 * express throws a {@link SkiffError} at setup: the Quartz forms (`L`, `LW`, `15W`, `FRI#2`, `FRIL`), and both day
 * fields restricted at once (standard cron fires when either matches; NCRONTAB requires both), for which two crons,
 * one per day field, say the same thing.
 * Reference: https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions
 *
 * @example
 * ```ts
 * renderAzure("0 9 * * *")          // "0 0 9 * * *"
 * renderAzure("*\/15 9-17 * * MON-FRI") // "0 *\/15 9-17 * * MON-FRI"
 * renderAzure("0 0 L * *")          // throws: NCRONTAB has no L
 * ```
 */
export function renderAzure(cron: CronFields | string): string {
  const fields = typeof cron === "string" ? parseCron(cron) : cron;
  const { minute, hour, dayOfMonth, month, dayOfWeek } = fields;
  if (!dayOfMonth.any && !dayOfWeek.any)
    throw new SkiffError(
      `cron "${fields.expression}" restricts both day-of-month ("${dayOfMonth.text}") and day-of-week ("${dayOfWeek.text}"): standard cron fires when either matches, Azure's NCRONTAB only when both do. Register two crons instead, one per day field`,
    );
  const rest = [minute, hour, dayOfMonth, month, dayOfWeek].map((f) => field(fields, f));
  return `0 ${rest.join(" ")}`;
}
