import type { RuntimeExecutionContext } from "../../runtime.js";
import type { DenoServeInfo } from "./types.js";

/**
 * @internal The app's `fetch` as the Deno adapter calls it: the request, `c.env`, and the execution context that
 * carries the runtime.
 *
 * @example
 * ```ts
 * const fetch: DenoAppFetch = (request, env, ctx) => app.fetch(request, env, ctx);
 * ```
 */
export type DenoAppFetch = (
  request: Request,
  env: Record<string, unknown>,
  ctx: RuntimeExecutionContext,
) => Response | Promise<Response>;

/**
 * @internal The handler `Deno.serve` (and `deno serve`) calls: `/__scheduled` when enabled, else the app, with
 * `c.env` the app's env plus Deno's `remoteAddr` (what Hono's `getConnInfo` for Deno reads) and `waitUntil` behind
 * `c.executionCtx` (Deno has none of its own: the adapter tracks the work and awaits it on shutdown).
 *
 * @example
 * ```ts
 * const handler = denoFetchHandler(fetch, env, () => context, (request) => testScheduledRoute(request, registry, fire));
 * Deno.serve(handler);
 * ```
 */
export function denoFetchHandler(
  fetch: DenoAppFetch,
  env: Record<string, string | undefined>,
  context: () => RuntimeExecutionContext,
  beforeApp?: (request: Request) => Promise<Response> | undefined,
): (request: Request, info?: DenoServeInfo) => Promise<Response> {
  const envPrototype = Object.freeze({ ...env });
  return async (request, info) => {
    const early = beforeApp?.(request);
    if (early) return early;
    const requestEnv = Object.create(envPrototype) as Record<string, unknown>;
    if (info) requestEnv.remoteAddr = info.remoteAddr;
    return fetch(request, requestEnv, context());
  };
}
