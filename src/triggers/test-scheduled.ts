import { problemResponse } from "../errors.js";
import { cronKey, validateCron } from "./cron/index.js";
import type { TriggerRegistry } from "./registry.js";

/**
 * `GET|POST /__scheduled?cron=<expression>[&time=<ms>]` fires a cron now, like `wrangler dev --test-scheduled` (and
 * Miniflare's `time`), so the same curl line works against `wrangler dev` and every long-running adapter (Node, Bun,
 * Deno: `Deno.cron` cannot be fired by hand). `fire` is the adapter's own firing, the one its scheduler uses.
 * Answers 200 "Ran scheduled event" when every handler succeeded; a problem+json otherwise: 400 for a missing or
 * invalid expression or time, 404 for an expression no handler is registered for (listing the registered ones),
 * and 500 when a handler failed, without the error's text (the dispatch logs it, as for every other 500). Returns
 * undefined for any other path, so the request goes on to the app.
 *
 * @example
 * ```ts
 * // curl "http://localhost:8787/__scheduled?cron=0+9+*+*+*"
 * const res = testScheduledRoute(request, runtime.registry, (cron, at) => scheduler.fire(cron, at));
 * ```
 */
export function testScheduledRoute(
  request: Request,
  registry: Pick<TriggerRegistry, "crons">,
  fire: (expression: string, scheduledTime: number) => Promise<void>,
): Promise<Response> | undefined {
  const url = new URL(request.url);
  if (url.pathname !== "/__scheduled") return undefined;
  const cron = url.searchParams.get("cron");
  if (!cron) return badRequest("Pass the expression to fire: /__scheduled?cron=0+9+*+*+*");
  const time = url.searchParams.get("time");
  const scheduledTime = time === null ? Date.now() : Number(time);
  if (!Number.isSafeInteger(scheduledTime) || scheduledTime < 0)
    return badRequest("time must be the scheduled time in milliseconds since the epoch");
  if (!registry.crons.has(cronKey(cron))) {
    try {
      validateCron(cron);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return badRequest(message.replace(/^\[skiff\] /, ""));
    }
    return Promise.resolve(
      problemResponse(404, {
        detail: `No handler is registered for cron "${cron}"`,
        registered: [...registry.crons.keys()],
      }),
    );
  }
  return fire(cron, scheduledTime).then(
    () => new Response("Ran scheduled event", { status: 200 }),
    () =>
      problemResponse(500, { detail: `A handler of cron "${cron}" failed; the error is in the server log` }),
  );
}

function badRequest(detail: string): Promise<Response> {
  return Promise.resolve(problemResponse(400, { detail }));
}
