import { problemResponse, SkiffError } from "../../errors.js";
import { cronKey, latestOccurrence } from "../../triggers/cron/index.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { SkiffRuntime } from "../../runtime.js";

const MINUTE = 60_000;

/**
 * @internal The time a scheduled invocation stands for. Netlify posts `{ "next_run": "<ISO time>" }`, the run after
 * this one (https://docs.netlify.com/build/functions/scheduled-functions/): the expression's occurrence just before
 * it is the one being run, however late the invocation arrives, so a retried or delayed run reports the same time
 * (what Workers call `scheduledTime`). Without a usable `next_run` (a hand-made request, `netlify dev`), the latest
 * occurrence at or before now, else the current minute.
 *
 * @example
 * ```ts
 * scheduledTimeOf("0 9 * * *", Date.parse("2026-01-03T09:00:00Z"), Date.parse("2026-01-02T09:00:41Z"));
 * // Date.parse("2026-01-02T09:00:00Z")
 * ```
 */
export function scheduledTimeOf(expression: string, nextRun: number | undefined, now: number): number {
  if (nextRun !== undefined) {
    const current = latestOccurrence(expression, nextRun - 1);
    // A next_run in the future of its occurrence is what Netlify sends; anything else is not to be trusted.
    if (current !== null && current <= now + MINUTE) return current;
  }
  return latestOccurrence(expression, now) ?? Math.floor(now / MINUTE) * MINUTE;
}

/** @internal `next_run` of a scheduled invocation's body, in ms, when it is there and a time. */
export async function nextRunOf(request: Request): Promise<number | undefined> {
  try {
    const body = (await request.json()) as { next_run?: unknown };
    const at = typeof body.next_run === "string" ? Date.parse(body.next_run) : Number.NaN;
    return Number.isFinite(at) ? at : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @internal The expression as registered for the scheduled function of `expression`, or a `SkiffError` when the app
 * has no `app.cron()` for it: a function file left from an earlier build then fails when it loads, with the fix.
 *
 * @example
 * ```ts
 * registeredCron(app.triggers, "0  9 * * *"); // "0 9 * * *"
 * ```
 */
export function registeredCron(registry: TriggerRegistry, expression: string): string {
  const registrations = registry.crons.get(cronKey(expression));
  const registered = registrations?.[0]?.expression;
  if (registered === undefined)
    throw new SkiffError(
      `toNetlify(app).cron("${expression}"): the app registers no app.cron() handler for this expression; run skiff build --target netlify to regenerate the scheduled functions, or remove this function file`,
    );
  return registered;
}

/**
 * @internal Runs one scheduled invocation: every `app.cron()` handler of the expression through `runtime.fire`, with
 * the occurrence it stands for and Netlify's request id as the execution id. Answers 200 with what ran, or a 500
 * that says only where to look, so Netlify records the run as failed.
 *
 * @example
 * ```ts
 * const response = await cronRun(runtime, "0 9 * * *", request, context.requestId, Date.now(), waitUntil);
 * ```
 */
export async function cronRun(
  runtime: SkiffRuntime,
  expression: string,
  request: Request,
  requestId: string | undefined,
  now: number,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<Response> {
  const scheduledTime = scheduledTimeOf(expression, await nextRunOf(request), now);
  try {
    await runtime.fire(
      { cron: expression, scheduledTime, ...(requestId ? { executionId: requestId } : {}) },
      waitUntil,
    );
  } catch {
    // The cron dispatch has logged the failure in full; the response says only what the caller can act on.
    return problemResponse(500, { detail: `cron "${expression}" failed; see the function logs` });
  }
  return Response.json({ cron: expression, scheduledTime: new Date(scheduledTime).toISOString(), ok: true });
}
