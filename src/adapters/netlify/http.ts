import { runtimeContext, type RuntimeExecutionContext } from "../../runtime.js";
import type { NetlifyContext, NetlifyEnv } from "./types.js";

/**
 * @internal The app's `fetch` as the Netlify adapter calls it: the request, `c.env`, and the execution context that
 * carries the runtime.
 *
 * @example
 * ```ts
 * const fetch: NetlifyAppFetch = (request, env, ctx) => app.fetch(request, env, ctx);
 * ```
 */
export type NetlifyAppFetch = (
  request: Request,
  env: Record<string, unknown>,
  ctx: RuntimeExecutionContext,
) => Response | Promise<Response>;

/**
 * @internal The `c.env` of one request: the site's variables, plus Netlify's `context` under `context`, where Hono's
 * Netlify adapter puts it (so `getConnInfo` from `hono/netlify` reads `context.ip`). Built on a frozen prototype of
 * the env, so a request costs one small object.
 *
 * @example
 * ```ts
 * const envFor = requestEnv(env);
 * envFor(context).context.ip; // "203.0.113.9"
 * ```
 */
export function requestEnv(env: NetlifyEnv): (context: NetlifyContext | undefined) => {
  context?: NetlifyContext;
} & Record<string, unknown> {
  const prototype = Object.freeze({ ...env });
  return (context) => {
    const own = Object.create(prototype) as Record<string, unknown>;
    if (context) own.context = context;
    return own;
  };
}

/**
 * @internal Answers one request through the app: `c.env` from {@link requestEnv}, and `c.executionCtx.waitUntil` as
 * the invocation's `waitUntil`, then schedules what is due after the response (`afterResponse`).
 *
 * @example
 * ```ts
 * const response = await httpRun(request, context, { fetch, envFor, runtime, waitUntil, afterResponse });
 * ```
 */
export async function httpRun(
  request: Request,
  context: NetlifyContext | undefined,
  parts: {
    readonly fetch: NetlifyAppFetch;
    readonly envFor: ReturnType<typeof requestEnv>;
    readonly runtime: Parameters<typeof runtimeContext>[0];
    readonly waitUntil: (promise: Promise<unknown>) => void;
    readonly afterResponse?: ((waitUntil: (promise: Promise<unknown>) => void) => void) | undefined;
  },
): Promise<Response> {
  const ctx = runtimeContext(parts.runtime, { waitUntil: parts.waitUntil });
  const response = await parts.fetch(request, parts.envFor(context), ctx);
  parts.afterResponse?.(parts.waitUntil);
  return response;
}
