import type { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import { problemResponse } from "../../errors.js";
import type { SkiffRuntime } from "../../runtime.js";
import { drainQueues } from "../../triggers/pull-queue.js";

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * @internal The scheduled drain function's work: delivers stored messages of every consumed queue through the core's
 * `drainQueues`, starting no batch after `budgetMs` (`?queue=` and `?batches=` narrow a run started by hand). Answers the count per queue, or a 500 that says only where to
 * look (Netlify marks the run as failed).
 *
 * @example
 * ```ts
 * const response = await drainRun(runtime, store, request, 20_000, waitUntil); // { delivered: { orders: 3 } }
 * ```
 */
export async function drainRun(
  runtime: SkiffRuntime,
  store: LibsqlQueueStore,
  request: Request,
  budgetMs: number,
  waitUntil: WaitUntil,
): Promise<Response> {
  // A scheduled run has no query; `?queue=` and `?batches=` narrow a run by hand (`netlify functions:invoke`).
  const query = new URL(request.url).searchParams;
  const only = query.get("queue");
  if (only !== null && !runtime.registry.queues.has(only))
    return problemResponse(404, { detail: `queue "${only}" has no consumer in this app` });
  const batches = query.get("batches");
  const maxBatches = batches === null ? Number.POSITIVE_INFINITY : Number(batches);
  if (!Number.isInteger(maxBatches) && maxBatches !== Number.POSITIVE_INFINITY)
    return problemResponse(400, { detail: "batches must be a positive integer" });
  if (maxBatches <= 0) return problemResponse(400, { detail: "batches must be a positive integer" });
  try {
    const queues = only === null ? undefined : [only];
    const delivered = await drainQueues(
      runtime,
      store,
      { ...(queues ? { queues } : {}), maxBatches, budgetMs },
      waitUntil,
    );
    return Response.json({ delivered });
  } catch (error) {
    runtime.log.error("queue drain failed", { error });
    return problemResponse(500, { detail: "queue drain failed; see the function logs" });
  }
}
