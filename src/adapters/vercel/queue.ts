import { problemResponse } from "../../errors.js";
import { drainQueues } from "../../triggers/pull-queue.js";
import { allowOnly, authorizeCron } from "./_cron-auth.js";
import type { EndpointContext } from "./http.js";

// The drain after requests is the core's, shared with Netlify; http.ts types its instance with it from here.

function positiveInt(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * @internal The drain endpoint, `<basePath>/__skiff/queues/drain`: checks `CRON_SECRET`, then delivers stored
 * messages (every consumed queue, or `?queue=`) through `drainQueues`, within `?batches=` and the drain budget.
 * GET for a vercel.json cron entry; POST for a caller that prefers it (a deploy hook, a script).
 *
 * @example
 * ```ts
 * const response = await drainEndpoint(request, new URL("https://shop.vercel.app/api/__skiff/queues/drain"), ctx);
 * ```
 */
export async function drainEndpoint(request: Request, url: URL, ctx: EndpointContext): Promise<Response> {
  const refused =
    allowOnly(request, "GET, POST") ?? (await authorizeCron(request, ctx.state.env, ctx.state.runtime.log));
  if (refused) return refused;
  const only = url.searchParams.get("queue");
  const { registry } = ctx.state.runtime;
  if (only !== null && !registry.queues.has(only)) {
    return problemResponse(404, { detail: `queue "${only}" has no consumer in this app` });
  }
  const maxBatches = positiveInt(url.searchParams.get("batches"), Number.POSITIVE_INFINITY);
  if (maxBatches === undefined) return problemResponse(400, { detail: "batches must be a positive integer" });
  const queues = only === null ? [...registry.queues.keys()] : [only];
  try {
    const delivered = await drainQueues(
      ctx.state.runtime,
      ctx.state.store,
      { queues, maxBatches, budgetMs: ctx.drainBudgetMs },
      ctx.waitUntil,
    );
    return Response.json({ delivered });
  } catch (error) {
    ctx.state.runtime.log.error("queue drain failed", { error });
    return problemResponse(500, { detail: "queue drain failed; see the function logs" });
  }
}
