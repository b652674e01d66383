import { validateCron } from "../../../triggers/cron.js";

/**
 * Why an expression cannot be scheduled on AWS: the expression and a message that says what to do instead.
 *
 * @example
 * ```ts
 * try { toAwsCron("0 9 1 * 1") } catch (error) { if (error instanceof AwsCronError) console.error(error.message) }
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

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MINUTE: Field = { name: "minute", min: 0, max: 59 };
const HOUR: Field = { name: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: "day-of-month", min: 1, max: 31 };
const MONTH: Field = {
  name: "month",
  min: 1,
  max: 12,
  names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
};
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

/**
 * Translates a standard 5-field UTC cron expression (the one `app.cron` takes) into the 6-field AWS form that
 * EventBridge rules and SAM `Schedule` events take: `cron(minute hour day-of-month month day-of-week year)`.
 * AWS wants `?` in exactly one of the two day fields, numbers weekdays 1-7 from Sunday, documents `/` only after a
 * start value (`0/15`, not `*\/15`) and has no `/` in day-of-week, so those are rewritten. What AWS cannot express
 * throws an {@link AwsCronError}: both day fields restricted (standard cron fires when either matches; AWS has no
 * "or"), or a `#`/`L` weekday term combined with others.
 * Reference: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
 *
 * @example
 * ```ts
 * toAwsCron("0 9 * * *")     // "cron(0 9 * * ? *)"
 * toAwsCron("*\/15 * * * MON-FRI") // "cron(0/15 * ? * MON-FRI *)"
 * toAwsCron("0 12 * * SUN#2")  // "cron(0 12 ? * 1#2 *)" (second Sunday)
 * ```
 */
export function toAwsCron(expression: string): string {
  try {
    validateCron(expression);
  } catch (error) {
    throw new AwsCronError(
      expression,
      error instanceof Error ? error.message.replace(/^\[skiff\] /, "") : String(error),
    );
  }
  const [minute, hour, dom, month, dow] = expression.trim().split(/\s+/) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const fail = (reason: string): never => {
    throw new AwsCronError(expression, reason);
  };
  const domAny = isAny(dom);
  const dowAny = isAny(dow);
  if (!domAny && !dowAny) {
    fail(
      `it restricts both day-of-month ("${dom}") and day-of-week ("${dow}"); standard cron fires when either matches, ` +
        "AWS allows only one of the two. Register two crons instead, one per day field",
    );
  }
  const awsDom = domAny ? (dowAny ? "*" : "?") : dayOfMonth(dom, fail);
  const awsDow = dowAny ? "?" : dayOfWeek(dow, fail);
  return `cron(${plain(minute, MINUTE, fail)} ${plain(hour, HOUR, fail)} ${awsDom} ${plain(month, MONTH, fail)} ${awsDow} *)`;
}

function isAny(field: string): boolean {
  return field === "*";
}

// Minutes, hours and months: AWS takes `,` `-` `*` and `start/step`. A stepped range is spelled out as a list,
// since AWS documents `/` only with a start value.
function plain(field: string, spec: Field, fail: (reason: string) => never): string {
  if (isAny(field)) return "*";
  return field
    .split(",")
    .map((term) => {
      const step = /^(.+)\/(\d+)$/.exec(term);
      if (!step) return range(term, spec, fail).label;
      const [, base = "", by = ""] = step;
      const n = Number(by);
      if (base === "*") return `${spec.min}/${n}`;
      const { from, to } = range(base, spec, fail);
      const values: number[] = [];
      for (let v = from; v <= (to ?? spec.max); v += n) values.push(v);
      return values.join(",");
    })
    .join(",");
}

function dayOfMonth(field: string, fail: (reason: string) => never): string {
  const upper = field.toUpperCase();
  // L (last day), LW (last weekday) and nW (weekday nearest n) are Quartz forms, which EventBridge inherits.
  if (upper === "L" || upper === "LW") return upper;
  const weekday = /^(\d+)W$/.exec(upper);
  if (weekday) return `${range(weekday[1] ?? "", DAY_OF_MONTH, fail).label}W`;
  if (/[LW]/.test(upper))
    fail(`day-of-month "${field}": AWS takes "L", "LW" and "<day>W" only as the whole field`);
  return plain(field, DAY_OF_MONTH, fail);
}

// Day-of-week: skiff takes names only (validateCron refuses numbers, which Cloudflare and standard cron read
// differently). AWS numbers SUN=1..SAT=7. Sets are expanded and recompressed as names (AWS has no `/` here);
// the Quartz forms MON#2 (second Monday) and FRIL (last Friday) become 2#2 and 6L.
function dayOfWeek(field: string, fail: (reason: string) => never): string {
  const upper = field.toUpperCase();
  const special = /^([A-Z]{3})(#[1-5]|L)$/.exec(upper);
  if (special) return `${dayIndex(special[1] ?? "", fail) + 1}${special[2] ?? ""}`;
  if (/#|L/.test(upper))
    fail(
      `day-of-week "${field}": AWS allows a single "<day>#<n>" or "<day>L" term and nothing else in the field`,
    );
  const days = new Set<number>();
  for (const term of upper.split(",")) {
    const [base = "", step] = term.split("/");
    const [from, to] = base === "*" ? [0, 6] : base.split("-").map((d) => dayIndex(d, fail));
    const by = step === undefined ? 1 : Number(step);
    for (let d = from ?? 0; d <= (to ?? from ?? 0); d += by) days.add(d);
  }
  if (days.size === 7) return "*";
  return runs([...days].sort((a, b) => a - b))
    .map(([a, b]) => (a === b ? DAYS[a] : b === a + 1 ? `${DAYS[a]},${DAYS[b]}` : `${DAYS[a]}-${DAYS[b]}`))
    .join(",");
}

function dayIndex(name: string, fail: (reason: string) => never): number {
  const index = DAYS.indexOf(name as (typeof DAYS)[number]);
  if (index < 0) fail(`day-of-week "${name}" is not one of ${DAYS.join(", ")}`);
  return index;
}

function range(
  term: string,
  spec: Field,
  fail: (reason: string) => never,
): { from: number; to?: number; label: string } {
  const bounds = term.split("-");
  const values = bounds.map((b) => {
    const named = spec.names?.indexOf(b.toUpperCase()) ?? -1;
    const v = named >= 0 ? named + spec.min : /^\d+$/.test(b) ? Number(b) : Number.NaN;
    if (!(v >= spec.min && v <= spec.max)) fail(`${spec.name} "${b}" is not in ${spec.min}-${spec.max}`);
    return v;
  });
  const [from = spec.min, to] = values;
  if (values.length > 2 || (to !== undefined && to < from))
    fail(`${spec.name} "${term}" is not a value or an ascending range`);
  // Keep the user's spelling (a month name stays a name), normalised: upper case, no leading zeros.
  const label = bounds.map((b, i) => (/^\d+$/.test(b) ? String(values[i]) : b.toUpperCase())).join("-");
  return { from, to, label };
}

function runs(sorted: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const d of sorted) {
    const last = out.at(-1);
    if (last && d === last[1] + 1) last[1] = d;
    else out.push([d, d]);
  }
  return out;
}
