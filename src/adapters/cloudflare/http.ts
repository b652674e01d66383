import { runtimeContext, type RuntimeExecutionContext, type SkiffRuntime } from "../../runtime.js";
import type { CloudflareWorker } from "./types.js";

/**
 * @internal The app's `fetch`, as the Worker calls it: the request, the Worker's `env`, and an execution context
 * that carries the runtime.
 *
 * @example
 * ```ts
 * const fetch: AppFetch = (request, env, ctx) => app.fetch(request, env as BindingsOf<E>, ctx);
 * ```
 */
export type AppFetch = (
  request: Request,
  env: unknown,
  ctx: RuntimeExecutionContext,
) => Response | Promise<Response>;

/**
 * @internal The Worker's `fetch` handler: each request goes to the app, with `ctx.waitUntil` behind `c.executionCtx`
 * and the isolate's runtime behind its bindings.
 *
 * @example
 * ```ts
 * const worker = { fetch: fetchHandler((request, env, ctx) => app.fetch(request, env, ctx), runtimeFor) };
 * ```
 */
export function fetchHandler(
  fetch: AppFetch,
  runtimeFor: (env: unknown) => SkiffRuntime,
): CloudflareWorker["fetch"] {
  return async (request, env, ctx) => fetch(request, env, runtimeContext(runtimeFor(env), ctx));
}
