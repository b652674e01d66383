import type { CronField, CronFields } from "./fields.js";
import { parseCron, WEEKDAYS } from "./parse.js";

/**
 * Why an expression cannot be scheduled on AWS: the expression and a message that says what to do instead.
 *
 * @example
 * ```ts
 * try { renderAws("0 9 1 * MON") } catch (error) { if (error instanceof AwsCronError) console.error(error.message) }
 * ```
 */
export class AwsCronError extends Error {
  override readonly name = "AwsCronError";
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`[skiff] cron "${expression}" cannot be expressed in AWS cron syntax: ${reason}`);
  }
}

type Fail = (reason: string) => never;

// Names stay names (upper case), numbers lose leading zeros.
const label = (value: number, name: string | undefined): string => name ?? String(value);

// Minutes, hours, day-of-month and months: AWS takes `,` `-` `*` and `start/step`. A stepped range is spelled out
// as a list, since AWS documents `/` only with a start value.
function plain(f: CronField, fail: Fail): string {
  if (f.any) return "*";
  return f.terms
    .map((term) => {
      switch (term.kind) {
        case "every":
          return term.step === undefined ? "*" : `${f.min}/${term.step}`;
        case "value":
          return label(term.value, term.name);
        case "range": {
          if (term.step === undefined)
            return `${label(term.from, term.fromName)}-${label(term.to, term.toName)}`;
          const values: number[] = [];
          for (let v = term.from; v <= term.to; v += term.step) values.push(v);
          return values.join(",");
        }
        default:
          return fail(`${f.name} "${f.text}": AWS takes "L", "LW" and "<day>W" only as the whole field`);
      }
    })
    .join(",");
}

// L (last day), LW (last weekday) and nW (weekday nearest n) are Quartz forms, which EventBridge inherits.
function dayOfMonth(f: CronField, fail: Fail): string {
  const [only, ...more] = f.terms;
  if (only && !more.length) {
    if (only.kind === "last") return "L";
    if (only.kind === "last-weekday") return "LW";
    if (only.kind === "nearest-weekday") return `${only.day}W`;
  }
  return plain(f, fail);
}

// AWS numbers weekdays SUN=1..SAT=7 and has no `/` here: sets are written as sorted names and runs; the Quartz forms
// MON#2 (second Monday) and FRIL (last Friday) become 2#2 and 6L.
function dayOfWeek(f: CronField, fail: Fail): string {
  const [only, ...more] = f.terms;
  if (only && !more.length) {
    if (only.kind === "nth-of-month") return `${only.weekday + 1}#${only.nth}`;
    if (only.kind === "last-of-month") return `${only.weekday + 1}L`;
  }
  if (f.terms.some((t) => t.kind === "nth-of-month" || t.kind === "last-of-month"))
    fail(
      `day-of-week "${f.text}": AWS allows a single "<day>#<n>" or "<day>L" term and nothing else in the field`,
    );
  if (f.values.length === 7) return "*";
  const runs: Array<[number, number]> = [];
  for (const d of f.values) {
    const last = runs.at(-1);
    if (last && d === last[1] + 1) last[1] = d;
    else runs.push([d, d]);
  }
  const name = (d: number): string => WEEKDAYS[d] ?? String(d);
  return runs
    .map(([a, b]) => (a === b ? name(a) : b === a + 1 ? `${name(a)},${name(b)}` : `${name(a)}-${name(b)}`))
    .join(",");
}

/**
 * Renders a skiff expression in the 6-field AWS form that EventBridge rules, EventBridge Scheduler and SAM
 * `Schedule` events take: `cron(minute hour day-of-month month day-of-week year)`. AWS wants `?` in exactly one of
 * the two day fields, numbers weekdays 1-7 from Sunday, documents `/` only after a start value (`0/15`, not
 * `*\/15`) and has no `/` in day-of-week, so those are rewritten. What AWS cannot express throws an
 * {@link AwsCronError}: an invalid expression, both day fields restricted (standard cron fires when either matches;
 * AWS has no "or"), or a `#`/`L` weekday term combined with others.
 * Reference: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
 *
 * @example
 * ```ts
 * renderAws("0 9 * * *")            // "cron(0 9 * * ? *)"
 * renderAws("*\/15 * * * MON-FRI")   // "cron(0/15 * ? * MON-FRI *)"
 * renderAws("0 12 * * SUN#2")       // "cron(0 12 ? * 1#2 *)" (second Sunday)
 * ```
 */
export function renderAws(cron: CronFields | string): string {
  const expression = typeof cron === "string" ? cron : cron.expression;
  let fields: CronFields;
  try {
    fields = typeof cron === "string" ? parseCron(cron) : cron;
  } catch (error) {
    throw new AwsCronError(
      expression,
      error instanceof Error ? error.message.replace(/^\[skiff\] /, "") : String(error),
    );
  }
  const fail: Fail = (reason) => {
    throw new AwsCronError(expression, reason);
  };
  const { minute, hour, dayOfMonth: dom, month, dayOfWeek: dow } = fields;
  if (!dom.any && !dow.any) {
    fail(
      `it restricts both day-of-month ("${dom.text}") and day-of-week ("${dow.text}"); standard cron fires when either matches, ` +
        "AWS allows only one of the two. Register two crons instead, one per day field",
    );
  }
  const awsDom = dom.any ? (dow.any ? "*" : "?") : dayOfMonth(dom, fail);
  const awsDow = dow.any ? "?" : dayOfWeek(dow, fail);
  return `cron(${plain(minute, fail)} ${plain(hour, fail)} ${awsDom} ${plain(month, fail)} ${awsDow} *)`;
}
