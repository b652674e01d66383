import { problemResponse } from "../../errors.js";
import type { LocalScheduler } from "./scheduler.js";
import { validateCron } from "../../triggers/cron/index.js";

/**
 * `GET|POST /__scheduled?cron=<expression>[&time=<ms>]` fires a cron now, like `wrangler dev --test-scheduled`
 * (and Miniflare's `time`), so the same curl line works against `npm start` and `wrangler dev`. Answers 200
 * "Ran scheduled event" when every handler succeeded; a problem+json otherwise: 400 for a missing or invalid
 * expression or time, 404 for an expression no handler is registered for, and 500 when a handler failed, without
 * the error's text (the dispatch logs it, as for every other 500). Returns undefined for any other path.
 *
 * @example
 * ```ts
 * // curl "http://localhost:8787/__scheduled?cron=0+9+*+*+*"
 * const res = testScheduledRoute(request, scheduler);
 * ```
 */
export function testScheduledRoute(
  request: Request,
  scheduler: LocalScheduler,
): Promise<Response> | undefined {
  const url = new URL(request.url);
  if (url.pathname !== "/__scheduled") return undefined;
  const cron = url.searchParams.get("cron");
  if (!cron) return Promise.resolve(badRequest("Pass the expression to fire: /__scheduled?cron=0+9+*+*+*"));
  const time = url.searchParams.get("time");
  const scheduledTime = time === null ? Date.now() : Number(time);
  if (!Number.isSafeInteger(scheduledTime) || scheduledTime < 0)
    return Promise.resolve(badRequest("time must be the scheduled time in milliseconds since the epoch"));
  if (!scheduler.has(cron)) {
    try {
      validateCron(cron);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Promise.resolve(badRequest(message.replace(/^\[skiff\] /, "")));
    }
    const registered = scheduler.nextRuns().map((r) => r.cron);
    return Promise.resolve(
      problemResponse(404, {
        detail: `No handler is registered for cron "${cron}"`,
        registered,
      }),
    );
  }
  return scheduler.fire(cron, scheduledTime).then(
    () => new Response("Ran scheduled event", { status: 200 }),
    () =>
      problemResponse(500, {
        detail: `A handler of cron "${cron}" failed; the error is in the server log`,
      }),
  );
}

function badRequest(detail: string): Response {
  return problemResponse(400, { detail });
}
