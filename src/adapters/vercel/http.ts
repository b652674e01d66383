import { problemResponse } from "../../errors.js";
import { cronFromSlug, cronKey } from "../../triggers/cron/index.js";
import { drainQueues } from "../../triggers/pull-queue.js";
import { authorizeCron } from "./_cron-auth.js";
import type { VercelState } from "./_platform.js";
import { scheduledTimeOf } from "./_scheduled-time.js";
import { SKIFF_PATH_PREFIX } from "./paths.js";

/**
 * @internal What a skiff endpoint needs besides the request.
 *
 * @example
 * ```ts
 * const ctx: EndpointContext = { state, waitUntil, now: Date.now, drainBudgetMs: 10_000 };
 * ```
 */
export interface EndpointContext {
  readonly state: VercelState;
  readonly waitUntil: (promise: Promise<unknown>) => void;
  readonly now: () => number;
  readonly drainBudgetMs: number;
}

type Endpoint = (request: Request, url: URL, ctx: EndpointContext) => Promise<Response>;

/**
 * @internal The skiff endpoint a path names, if any: `<basePath>/__skiff/cron/<slug>` or
 * `<basePath>/__skiff/queues/drain`. Any other path belongs to the app.
 *
 * @example
 * ```ts
 * const endpoint = skiffEndpoint(url.pathname, "/api");
 * if (endpoint) return endpoint(request, url, ctx);
 * ```
 */
export function skiffEndpoint(pathname: string, basePath: string): Endpoint | undefined {
  const prefix = `${basePath}${SKIFF_PATH_PREFIX}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  const rest = pathname.slice(prefix.length);
  if (rest === "queues/drain") return drainEndpoint;
  // Everything after cron/ is the slug, even if a proxy decoded its %2F back into "/".
  if (rest.startsWith("cron/") && rest.length > "cron/".length)
    return (request, _url, ctx) => cronEndpoint(request, rest.slice(5), ctx);
  return undefined;
}

function allowOnly(request: Request, allow: string): Response | undefined {
  if (allow.split(", ").includes(request.method)) return undefined;
  return problemResponse(405, { detail: `Use ${allow}` }, { allow });
}

// Vercel invokes cron paths with GET (https://vercel.com/docs/cron-jobs#how-cron-jobs-work).
async function cronEndpoint(request: Request, slug: string, ctx: EndpointContext): Promise<Response> {
  const refused =
    allowOnly(request, "GET") ?? (await authorizeCron(request, ctx.state.env, ctx.state.runtime.log));
  if (refused) return refused;
  let expression: string;
  try {
    expression = cronFromSlug(slug);
  } catch {
    return problemResponse(404, { detail: "Malformed cron path" });
  }
  // Run under the expression exactly as registered, so the handler sees what it registered.
  const registered = ctx.state.runtime.registry.crons.get(cronKey(expression))?.[0]?.expression;
  const cron = registered ?? expression;
  const scheduledTime = scheduledTimeOf(cron, ctx.now());
  // x-vercel-id identifies the invocation in Vercel's logs (https://vercel.com/docs/headers/response-headers#x-vercel-id).
  const executionId = request.headers.get("x-vercel-id") ?? undefined;
  try {
    await ctx.state.runtime.fire(
      { cron, scheduledTime, ...(executionId ? { executionId } : {}) },
      ctx.waitUntil,
    );
  } catch {
    // The cron dispatch has logged the failure in full; the response says only what the caller can act on.
    return registered
      ? problemResponse(500, { detail: `cron "${cron}" failed; see the function logs` })
      : problemResponse(404, { detail: `no cron handler is registered for "${cron}"` });
  }
  return Response.json({ cron, scheduledTime: new Date(scheduledTime).toISOString(), ok: true });
}

function positiveInt(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

// GET for a vercel.json cron entry; POST for a caller that prefers it (a deploy hook, a script).
async function drainEndpoint(request: Request, url: URL, ctx: EndpointContext): Promise<Response> {
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
