import type { Env } from "hono";
import type { BlankSchema, Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { SkiffError } from "../../errors.js";
import { runtimeContext, type RuntimeExecutionContext } from "../../runtime.js";
import type { BindingsOf, QueueSchemas } from "../../types.js";
import { RequestDrainer } from "./_drain.js";
import {
  createVercelState,
  resolveVercelEnv,
  type LibsqlClientFactory,
  type VercelEnv,
  type VercelState,
} from "./_platform.js";
import { skiffEndpoint } from "./_routes.js";
import { createVercelWaitUntil, type VercelWaitUntil } from "./_wait-until.js";
import { normalizeBasePath } from "./paths.js";

/**
 * Options of {@link toVercel}. Everything has a default; set `basePath` to where the route file is mounted.
 *
 * @example
 * ```ts
 * import { createClient } from "@libsql/client"; // node runtime only
 * toVercel(app, { basePath: "/api", createClient, drainOnRequest: { intervalMs: 30_000 } });
 * ```
 */
export interface VercelOptions {
  /**
   * Where Vercel routes requests to this handler: `"/api"` for `app/api/[[...route]]/route.ts`. skiff's cron and
   * queue paths live under it (`/api/__skiff/...`) so that they reach the handler. The app still sees the full path,
   * as with Hono's `handle()`: declare routes as `/api/...` or use `app.basePath("/api")`. Default none.
   */
  basePath?: string;
  /**
   * The env for bindings (`TURSO_DATABASE_URL`, `TURSO_AUTH_TOKEN`, `CRON_SECRET`, `VERCEL_ENV`) and `c.env`, or a
   * function returning it, called once on the first request. Default `process.env`. On the edge runtime prefer a
   * function that reads each variable as `process.env.NAME`: Next.js exposes to edge code the variables it sees
   * referenced that way.
   */
  env?: VercelEnv | (() => VercelEnv);
  /**
   * The libSQL client factory. Default `createClient` from `@libsql/client/web` (HTTP: edge-safe, works on both
   * runtimes). On the node runtime, pass `createClient` from `@libsql/client` for `file:` and WebSocket URLs; keeping
   * it an option keeps the Node client out of edge bundles.
   */
  createClient?: LibsqlClientFactory;
  /**
   * Deliver the durable queue after requests, in `waitUntil`: one batch per queue this instance sent to, and every
   * consumed queue once per `intervalMs` (default 60 000). `false` leaves delivery to the drain path alone.
   */
  drainOnRequest?: false | { intervalMs?: number };
  /** Longest time the drain path keeps starting batches, in ms. Default 10 000. */
  drainBudgetMs?: number;
  /** The clock for cron scheduled times (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * A Web-standard route handler, as Next.js route files and Vercel functions export them.
 *
 * @example
 * ```ts
 * const handler: VercelHandler = async (request) => new Response(new URL(request.url).pathname);
 * ```
 */
export type VercelHandler = (request: Request) => Promise<Response>;

/**
 * What {@link toVercel} returns: one handler per HTTP method (all the same function), `fetch` for
 * `export default { fetch }` functions, and `settle()`, which resolves when background work has finished (tests and
 * local runs; on Vercel, `waitUntil` keeps the function alive instead).
 *
 * @example
 * ```ts
 * export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = toVercel(app, { basePath: "/api" });
 * ```
 */
export interface VercelHandlers {
  readonly GET: VercelHandler;
  readonly POST: VercelHandler;
  readonly PUT: VercelHandler;
  readonly PATCH: VercelHandler;
  readonly DELETE: VercelHandler;
  readonly HEAD: VercelHandler;
  readonly OPTIONS: VercelHandler;
  readonly fetch: VercelHandler;
  settle(): Promise<void>;
}

interface Instance {
  readonly state: VercelState;
  readonly background: VercelWaitUntil;
  readonly drainer: RequestDrainer | undefined;
  /** The execution context app.fetch gets: its waitUntil finds each request's Vercel context when called. */
  readonly context: RuntimeExecutionContext;
}

/**
 * Serves a skiff app as Vercel route handlers, on the edge runtime (`export const runtime = "edge"`) or the node
 * runtime. Bindings are created once per isolate or instance, on the first request: `db` and `kv` on libSQL,
 * queues on the durable libSQL queue. Each `app.cron()` expression is served at
 * `<basePath>/__skiff/cron/<slug>` and the queue drain at `<basePath>/__skiff/queues/drain`, both behind
 * `Authorization: Bearer $CRON_SECRET`; generate the matching `vercel.json` with `skiff build --target vercel`.
 *
 * @example
 * ```ts
 * // app/api/[[...route]]/route.ts
 * import { toVercel } from "skiff/vercel";
 * import { app } from "@/server/app";
 * export const runtime = "edge";
 * export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = toVercel(app, { basePath: "/api" });
 * ```
 */
export function toVercel<
  E extends Env,
  Q extends QueueSchemas,
  S extends Schema = BlankSchema,
  B extends string = "/",
>(app: Skiff<E, Q, S, B>, options: VercelOptions = {}): VercelHandlers {
  const basePath = normalizeBasePath(options.basePath);
  const now = options.now ?? Date.now;
  const drainBudgetMs = options.drainBudgetMs ?? 10_000;
  const intervalMs =
    options.drainOnRequest === false ? undefined : (options.drainOnRequest?.intervalMs ?? 60_000);
  if (!(drainBudgetMs > 0))
    throw new SkiffError(`toVercel: drainBudgetMs must be a positive number of ms (got ${drainBudgetMs})`);
  if (intervalMs !== undefined && !(intervalMs >= 0))
    throw new SkiffError(`toVercel: drainOnRequest.intervalMs must be >= 0 (got ${intervalMs})`);

  // One per isolate (edge) or instance (node), held by this closure and never in module state.
  let instance: Instance | undefined;
  const init = (): Instance => {
    const state = createVercelState(app, resolveVercelEnv(options.env), options.createClient);
    const drainer =
      intervalMs === undefined ? undefined : new RequestDrainer(state.runtime, state.store, intervalMs, now);
    const background = createVercelWaitUntil(state.runtime.log);
    const context = runtimeContext(state.runtime, { waitUntil: background.waitUntil });
    return { state, background, drainer, context };
  };

  const handle: VercelHandler = async (request) => {
    instance ??= init();
    const { state, background, drainer, context } = instance;
    const { waitUntil } = background;
    const url = new URL(request.url);
    const endpoint = skiffEndpoint(url.pathname, basePath);
    const response = endpoint
      ? await endpoint(request, url, { state, waitUntil, now, drainBudgetMs })
      : await app.fetch(request, state.env as BindingsOf<E>, context);
    drainer?.afterRequest(waitUntil);
    return response;
  };

  return {
    GET: handle,
    POST: handle,
    PUT: handle,
    PATCH: handle,
    DELETE: handle,
    HEAD: handle,
    OPTIONS: handle,
    fetch: handle,
    settle: () => instance?.background.settle() ?? Promise.resolve(),
  };
}
