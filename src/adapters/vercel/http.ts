import type { RuntimeExecutionContext } from "../../runtime.js";
import type { VercelWaitUntil } from "./_wait-until.js";
import { cronEndpoint } from "./cron.js";
import { SKIFF_PATH_PREFIX } from "./paths.js";
import type { RequestDrainer } from "../../triggers/request-drainer.js";
import { drainEndpoint } from "./queue.js";
import type { VercelState } from "./runtime.js";

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

/**
 * @internal A skiff endpoint: answers a request to one of skiff's own paths.
 *
 * @example
 * ```ts
 * const endpoint: Endpoint | undefined = skiffEndpoint(url.pathname, "/api");
 * ```
 */
export type Endpoint = (request: Request, url: URL, ctx: EndpointContext) => Promise<Response>;

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

/**
 * @internal What one isolate (edge) or instance (node) serves with, made on its first request.
 *
 * @example
 * ```ts
 * instance ??= init();
 * const response = await handleRequest(request, instance, settings, fetch);
 * ```
 */
export interface VercelInstance {
  readonly state: VercelState;
  readonly background: VercelWaitUntil;
  readonly drainer: RequestDrainer | undefined;
  /** The execution context app.fetch gets: its waitUntil finds each request's Vercel context when called. */
  readonly context: RuntimeExecutionContext;
}

/**
 * @internal Answers one request: a skiff path (cron, drain) by its endpoint, anything else by the app, then
 * schedules the drain after the request when one is due.
 *
 * @example
 * ```ts
 * const response = await handleRequest(request, instance, { basePath: "/api", now: Date.now, drainBudgetMs: 10_000 },
 *   (request, env, ctx) => app.fetch(request, env, ctx));
 * ```
 */
export async function handleRequest(
  request: Request,
  instance: VercelInstance,
  settings: { readonly basePath: string; readonly now: () => number; readonly drainBudgetMs: number },
  fetch: (
    request: Request,
    env: VercelState["env"],
    ctx: RuntimeExecutionContext,
  ) => Response | Promise<Response>,
): Promise<Response> {
  const { state, background, drainer, context } = instance;
  const { waitUntil } = background;
  const url = new URL(request.url);
  const endpoint = skiffEndpoint(url.pathname, settings.basePath);
  const response = endpoint
    ? await endpoint(request, url, {
        state,
        waitUntil,
        now: settings.now,
        drainBudgetMs: settings.drainBudgetMs,
      })
    : await fetch(request, state.env, context);
  drainer?.afterRequest(waitUntil);
  return response;
}
