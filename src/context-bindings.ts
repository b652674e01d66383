import type { Context, NotFoundHandler } from "hono";
import type { Result, Router } from "hono/router";
import { detachedRuntime } from "./detached-runtime.js";
import { runtimeOf, type SkiffRuntime } from "./runtime.js";
import { relayAfterWork } from "./triggers/changes/hooks.js";
import { changeSubscriptions } from "./triggers/changes/register.js";

type App = Parameters<typeof detachedRuntime>[0];
type Handler = (c: Context, next: () => Promise<void>) => unknown;

/**
 * @internal Puts the runtime's bindings on the context (`c.var.db`, `kv`, `queues`, `log`, `platform`, `workflows`,
 * `buckets`), once per request: a context that has them already is left alone. Per request it only copies references:
 * clients are per runtime. Without an adapter (Hono's `app.request()`), routes that use no binding still work; see
 * `detachedRuntime()`.
 *
 * @example
 * ```ts
 * attachBindings(c, app); // before the first handler of a request runs
 * c.var.db; // the runtime's Database
 * ```
 */
function attachBindings(c: Context, app: App): void {
  if (c.get("db") !== undefined) return;
  let runtime: SkiffRuntime | undefined;
  try {
    runtime = runtimeOf(c.executionCtx);
  } catch {
    runtime = undefined; // no execution context at all
  }
  runtime ??= detachedRuntime(app);
  c.set("db", runtime.db);
  c.set("kv", runtime.kv);
  c.set("queues", runtime.queues);
  c.set("log", runtime.log);
  c.set("platform", runtime.platform);
  c.set("workflows", runtime.workflows);
  c.set("buckets", runtime.buckets);
}

/**
 * @internal The app's router, with every handler it stores wrapped to attach the bindings first: the bindings cost
 * no middleware step (Hono calls a route with one handler directly, without composing), and they are there before
 * any middleware of the app runs, in the app and in every app mounted on it with `route()`. The route list
 * (`app.routes`) keeps the handlers as registered.
 *
 * @example
 * ```ts
 * this.router = bindingRouter(this.router, this); // in the SkiffApp constructor, before any route is added
 * ```
 */
export function bindingRouter<T>(inner: Router<T>, app: App): Router<T> {
  const wrap = (stored: T): T => {
    // Hono stores [handler, route]; a custom router may store anything else, which is passed on unchanged.
    if (!Array.isArray(stored) || typeof stored[0] !== "function") return stored;
    const [handler, ...rest] = stored as unknown as [Handler, ...unknown[]];
    const bound: Handler = (c, next) => {
      attachBindings(c, app);
      return handler(c, next);
    };
    return [bound, ...rest] as unknown as T;
  };
  return {
    get name() {
      return inner.name;
    },
    add: (method, path, handler) => inner.add(method, path, wrap(handler)),
    match: (method, path): Result<T> => inner.match(method, path),
  };
}

/**
 * @internal Hono's `notFound` setter of an app, made to give the handler the bindings, as route handlers have them:
 * a request that matched no route ran no handler that could have attached them.
 *
 * @example
 * ```ts
 * this.notFound = notFoundWithBindings(this.notFound, this);
 * ```
 */
function notFoundWithBindings<S extends (handler: never) => unknown>(setter: S, app: App): S {
  const set = setter as unknown as (handler: NotFoundHandler) => unknown;
  const wrapped = (handler: NotFoundHandler) =>
    set((c) => {
      attachBindings(c, app);
      return handler(c);
    });
  return wrapped as unknown as S;
}

/**
 * @internal An app's `fetch` that, for an app with `app.onChange`, relays the outbox rows the request's writes
 * produced once its response is ready (in `waitUntil`; docs/changes.md). Any other app's requests go straight to
 * Hono's `fetch`, whose answer may be synchronous.
 *
 * @example
 * ```ts
 * this.fetch = relayingFetch(this.fetch, this.triggers);
 * ```
 */
function relayingFetch<
  F extends (request: Request, env: never, ctx: never) => Response | Promise<Response>,
>(fetch: F, registry: App["triggers"]): F {
  const call = fetch as unknown as (
    request: Request,
    env: unknown,
    ctx: unknown,
  ) => Response | Promise<Response>;
  const relaying = (request: Request, env?: unknown, ctx?: unknown): Response | Promise<Response> => {
    const response = call(request, env, ctx);
    if (changeSubscriptions(registry).length === 0) return response;
    const runtime = runtimeOf(ctx);
    if (!runtime) return response;
    const waitUntil = (p: Promise<unknown>) => (ctx as { waitUntil(p: Promise<unknown>): void }).waitUntil(p);
    return Promise.resolve(response).finally(() => relayAfterWork(runtime, waitUntil));
  };
  return relaying as unknown as F;
}

/**
 * @internal Makes an app's entry points skiff's: its `fetch` relays the change outbox after each request, and its
 * `notFound` setter gives the handler the bindings. For the app and for each of its `basePath()` copies, which Hono
 * builds with its own `fetch` and `notFound`.
 *
 * @example
 * ```ts
 * skiffEntryPoints(this, this); // in the SkiffApp constructor
 * ```
 */
export function skiffEntryPoints(
  target: { fetch: Parameters<typeof relayingFetch>[0]; notFound: (handler: never) => unknown },
  app: App,
): void {
  target.fetch = relayingFetch(target.fetch, app.triggers);
  target.notFound = notFoundWithBindings(target.notFound, app);
}
