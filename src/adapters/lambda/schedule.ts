import { SkiffError } from "../../errors.js";
import { type CronEvent, cronKey, validateCron } from "../../triggers/cron/index.js";
import type { SkiffRuntime } from "../../runtime.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { ScheduledEvent, ScheduleInput } from "./types.js";

// EventBridge rule names allow only `[.\-_A-Za-z0-9]`, at most 64 characters
// (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html), so cronSlug()'s `*` and `%` cannot
// be used there. Fields are joined with "_" and the five cron symbols outside that set become "." + a letter.
const MARKER = "-cron-";
const ESCAPE: Readonly<Record<string, string>> = { "*": ".x", "/": ".s", ",": ".c", "?": ".q", "#": ".h" };
const UNESCAPE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ESCAPE).map(([symbol, escaped]) => [escaped.slice(1), symbol]),
);
const RULE_NAME_MAX = 64;

/**
 * The EventBridge rule name that carries `expression`: `<prefix>-cron-<encoded>`, where fields are joined by `_`
 * and `*` `/` `,` `?` `#` become `.x` `.s` `.c` `.q` `.h` (rule names allow only letters, digits, `.`, `-`, `_`).
 * A rule that invokes the function with no `Input` sends the plain "Scheduled Event", whose only link to the rule is
 * its ARN, so the name is how skiff knows which `app.cron()` handlers to run. Throws when the name would exceed
 * 64 characters; such a schedule must use {@link scheduleInput} instead.
 *
 * @example
 * ```ts
 * scheduleRuleName("0 9 * * *", "shop")        // "shop-cron-0_9_.x_.x_.x"
 * scheduleRuleName("*\/15 9-17 * * MON-FRI", "shop") // "shop-cron-.x.s15_9-17_.x_.x_MON-FRI"
 * ```
 */
export function scheduleRuleName(expression: string, prefix: string): string {
  validateCron(expression);
  if (!/^[A-Za-z0-9._-]+$/.test(prefix)) {
    throw new SkiffError(`scheduleRuleName: prefix "${prefix}" must be letters, digits, ".", "-" or "_"`);
  }
  let encoded = "";
  for (const char of cronKey(expression)) {
    if (char === " ") encoded += "_";
    else if (ESCAPE[char] !== undefined) encoded += ESCAPE[char];
    else if (/[A-Za-z0-9-]/.test(char)) encoded += char;
    else
      throw new SkiffError(
        `cron "${expression}": "${char}" cannot be carried in an EventBridge rule name; use scheduleInput()`,
      );
  }
  const name = `${prefix}${MARKER}${encoded}`;
  if (name.length > RULE_NAME_MAX) {
    throw new SkiffError(
      `the rule name for cron "${expression}" would be ${name.length} characters (EventBridge allows ${RULE_NAME_MAX}); use a shorter prefix or scheduleInput()`,
    );
  }
  return name;
}

/**
 * The cron expression carried by a rule name made with {@link scheduleRuleName}, or `undefined` when the name does
 * not follow the convention. The prefix may itself contain `-cron-`: the last marker counts.
 *
 * @example
 * ```ts
 * cronFromRuleName("shop-cron-0_9_.x_.x_.x") // "0 9 * * *"
 * cronFromRuleName("SampleRule")             // undefined
 * ```
 */
export function cronFromRuleName(name: string): string | undefined {
  const at = name.lastIndexOf(MARKER);
  if (at <= 0) return undefined;
  const encoded = name.slice(at + MARKER.length);
  let expression = "";
  for (let i = 0; i < encoded.length; i++) {
    const char = encoded.charAt(i);
    if (char === "_") expression += " ";
    else if (char === ".") {
      const symbol = UNESCAPE[encoded.charAt(++i)];
      if (symbol === undefined) return undefined;
      expression += symbol;
    } else if (/[A-Za-z0-9-]/.test(char)) expression += char;
    else return undefined;
  }
  return expression.split(" ").length === 5 ? expression : undefined;
}

/**
 * The `Input` to configure on an EventBridge Scheduler schedule (or on a rule target) for `expression`. Scheduler
 * invokes the function with this JSON alone, after replacing the `<aws.scheduler.*>` placeholders with the
 * scheduled time and execution id
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
 *
 * @example
 * ```ts
 * JSON.stringify(scheduleInput("0 9 * * *"))
 * // {"skiff":"cron","cron":"0 9 * * *","scheduledTime":"<aws.scheduler.scheduled-time>","executionId":"<aws.scheduler.execution-id>"}
 * ```
 */
export function scheduleInput(expression: string): ScheduleInput {
  validateCron(expression);
  return {
    skiff: "cron",
    cron: expression,
    scheduledTime: "<aws.scheduler.scheduled-time>",
    executionId: "<aws.scheduler.execution-id>",
  };
}

/**
 * @internal The cron firing an EventBridge rule's "Scheduled Event" stands for: the expression from the rule's
 * name, the event's `time` and its `id` as execution id. Throws a SkiffError naming the rule when its name carries
 * no expression, saying how to map it (the target's Input, or the rule's name) for the `registered` expressions.
 *
 * @example
 * ```ts
 * ruleCronEvent({ ...event, resources: ["arn:aws:events:us-east-1:123456789012:rule/shop-cron-0_9_.x_.x_.x"] });
 * // { cron: "0 9 * * *", scheduledTime: Date.parse(event.time), executionId: event.id }
 * ```
 */
export function ruleCronEvent(event: ScheduledEvent, registered: readonly string[] = []): CronEvent {
  const arn = event.resources.find((resource) => resource.includes(":rule/")) ?? event.resources[0] ?? "";
  // arn:aws:events:<region>:<account>:rule/[<bus>/]<name>
  const rule = arn.slice(arn.lastIndexOf("/") + 1);
  const cron = cronFromRuleName(rule);
  if (cron === undefined) throw unmappedRule(rule || arn, registered);
  return { cron, scheduledTime: parseTime(event.time, "the event's time"), executionId: event.id };
}

// A rule skiff did not name (skiff's generated template uses EventBridge Scheduler with scheduleInput(), never a
// rule): say both ways to map it, with this app's own expression when it has one.
function unmappedRule(rule: string, registered: readonly string[]): SkiffError {
  const example = registered[0] ?? "0 9 * * *";
  let rename: string;
  try {
    rename = `, or rename the rule scheduleRuleName("${example}", "<prefix>"), e.g. "${scheduleRuleName(example, "app")}"`;
  } catch {
    rename = ""; // Some expressions cannot be carried in a rule name (numeric days of week, over 64 characters).
  }
  const crons = registered.length
    ? ` This app's crons: ${registered.map((expression) => JSON.stringify(expression)).join(", ")}.`
    : "";
  return new SkiffError(
    `EventBridge rule "${rule}" sent a Scheduled Event but its name does not carry a cron expression, so skiff cannot tell which app.cron() it stands for: set the rule target's Input to ${JSON.stringify({ skiff: "cron", cron: example })} (what scheduleInput("${example}") returns, and what skiff's generated template gives its EventBridge Scheduler schedules)${rename}.${crons}`,
  );
}

/**
 * @internal The cron firing a Scheduler (or rule target) input stands for. A missing or unreplaced
 * `scheduledTime` means now, on the minute.
 *
 * @example
 * ```ts
 * inputCronEvent({ skiff: "cron", cron: "0 9 * * *", scheduledTime: "2026-01-02T09:00:00Z", executionId: "e1" });
 * // { cron: "0 9 * * *", scheduledTime: 1767344400000, executionId: "e1" }
 * ```
 */
export function inputCronEvent(input: ScheduleInput): CronEvent {
  if (typeof input.cron !== "string" || input.cron.trim() === "") {
    throw new SkiffError(
      `a schedule input must name its cron expression: { "skiff": "cron", "cron": "0 9 * * *" }`,
    );
  }
  const executionId =
    typeof input.executionId === "string" && !isPlaceholder(input.executionId)
      ? input.executionId
      : undefined;
  return {
    cron: input.cron,
    scheduledTime: parseTime(input.scheduledTime, "scheduledTime"),
    ...(executionId === undefined ? {} : { executionId }),
  };
}

// Without a time (or with a placeholder nothing replaced) the firing is "now", on the minute as 5-field crons fire.
function parseTime(value: string | number | undefined, what: string): number {
  if (value === undefined || (typeof value === "string" && isPlaceholder(value)))
    return Math.floor(Date.now() / 60_000) * 60_000;
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new SkiffError(`schedule ${what} "${String(value)}" is not an ISO time or a number of ms`);
  return ms;
}

// "<aws.scheduler.scheduled-time>" left as is: the input was configured on something that does not fill it in.
const isPlaceholder = (value: string): boolean => /^<[^>]*>$/.test(value);

/**
 * @internal Runs the `app.cron()` handlers of a schedule event (an EventBridge rule's Scheduled Event or a schedule
 * input) and rejects when one fails, so EventBridge retries.
 *
 * @example
 * ```ts
 * await handleScheduleEvent(runtime, event, "schedule-input", tracker.waitUntil);
 * ```
 */
export async function handleScheduleEvent(
  runtime: SkiffRuntime,
  event: unknown,
  kind: "schedule-rule" | "schedule-input",
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<void> {
  const fired =
    kind === "schedule-rule"
      ? ruleCronEvent(event as ScheduledEvent, registeredCrons(runtime.registry))
      : inputCronEvent(event as ScheduleInput);
  // The dispatch hands each handler its expression as registered, whatever spacing the schedule carried.
  await runtime.fire(fired, waitUntil);
}

const registeredCrons = (registry: TriggerRegistry): string[] =>
  [...registry.crons.values()].flatMap((list) => list[0]?.expression ?? []);
