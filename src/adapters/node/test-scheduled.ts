import { problemResponse } from "../../errors.js";
import type { LocalScheduler } from "../../local/scheduler.js";

/**
 * `GET|POST /__scheduled?cron=<expression>` fires a cron now, like `wrangler dev --test-scheduled`, so the same
 * curl line works against `npm start` and `wrangler dev`. Returns undefined for any other path.
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
  if (!cron)
    return Promise.resolve(
      problemResponse(400, { detail: "Pass the expression to fire: /__scheduled?cron=0+9+*+*+*" }),
    );
  return scheduler.fire(cron).then(
    () => new Response("Ran scheduled event", { status: 200 }),
    (error: unknown) =>
      problemResponse(500, {
        detail: `cron "${cron}" failed: ${error instanceof Error ? error.message : String(error)}`,
      }),
  );
}
