import { problemResponse } from "../../errors.js";
import { cronFromSlug, cronKey } from "../../triggers/cron/index.js";
import { allowOnly, authorizeCron } from "./_cron-auth.js";
import { scheduledTimeOf } from "./_scheduled-time.js";
import type { EndpointContext } from "./http.js";

/**
 * @internal The cron endpoint, `<basePath>/__skiff/cron/<slug>`: checks `CRON_SECRET`, runs the `app.cron()`
 * handlers of the slug's expression through `runtime.fire`, and answers 500 when one fails (Vercel shows the run
 * as failed) or 404 when none is registered. Vercel invokes cron paths with GET
 * (https://vercel.com/docs/cron-jobs#how-cron-jobs-work).
 *
 * @example
 * ```ts
 * const response = await cronEndpoint(request, "0_9_.x_.x_.x", ctx);
 * ```
 */
export async function cronEndpoint(request: Request, slug: string, ctx: EndpointContext): Promise<Response> {
  const refused =
    allowOnly(request, "GET") ?? (await authorizeCron(request, ctx.state.env, ctx.state.runtime.log));
  if (refused) return refused;
  let expression: string;
  try {
    expression = cronFromSlug(slug);
  } catch {
    return problemResponse(404, { detail: "Malformed cron path" });
  }
  // An unregistered slug is a 404 before anything parses it: it may not even be a valid expression (a hand-written
  // path, a vercel.json from another app). The dispatch hands each handler its expression as registered.
  if (!ctx.state.runtime.registry.crons.has(cronKey(expression)))
    return problemResponse(404, { detail: `no cron handler is registered for "${expression}"` });
  const scheduledTime = scheduledTimeOf(expression, ctx.now());
  // x-vercel-id identifies the invocation in Vercel's logs (https://vercel.com/docs/headers/response-headers#x-vercel-id).
  const executionId = request.headers.get("x-vercel-id") ?? undefined;
  try {
    await ctx.state.runtime.fire(
      { cron: expression, scheduledTime, ...(executionId ? { executionId } : {}) },
      ctx.waitUntil,
    );
  } catch {
    // The cron dispatch has logged the failure in full; the response says only what the caller can act on.
    return problemResponse(500, { detail: `cron "${expression}" failed; see the function logs` });
  }
  return Response.json({ cron: expression, scheduledTime: new Date(scheduledTime).toISOString(), ok: true });
}
