import { SkiffError } from "../../errors.js";
import { normalizeBasePath } from "./paths.js";
import type { LibsqlClientFactory, VercelEnv } from "./types.js";

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
  /**
   * Which backend carries the queues that have a consumer: `"libsql"` (the durable libSQL queue, delivered by the
   * drain path and after requests) or `"vercel"` (Vercel Queues: sends over its HTTP API, push delivery to the
   * consumer routes `skiff build --target vercel` generates). Default: the `SKIFF_QUEUES` variable of the env, else
   * `"libsql"`. Queues without a consumer (a dead-letter queue) always stay on libSQL, where they outlive Vercel
   * Queues' 24-hour retention.
   */
  queues?: VercelQueueBackend;
  /** Vercel Queues settings: the region (default `VERCEL_REGION`, else `iad1`) and the service origin (tests). */
  vercelQueues?: { region?: string; baseUrl?: string };
}

/**
 * The backends {@link VercelOptions.queues} chooses from.
 *
 * @example
 * ```ts
 * const backend: VercelQueueBackend = "vercel";
 * ```
 */
export type VercelQueueBackend = "libsql" | "vercel";

/**
 * @internal The queue backend: the option, else `SKIFF_QUEUES`, else libSQL; a bad value throws naming its source.
 *
 * @example
 * ```ts
 * resolveQueueBackend(undefined, { SKIFF_QUEUES: "vercel" }) // "vercel"
 * ```
 */
export function resolveQueueBackend(
  option: VercelQueueBackend | undefined,
  env: Record<string, string | undefined>,
): VercelQueueBackend {
  const value = option ?? env.SKIFF_QUEUES ?? "libsql";
  if (value !== "libsql" && value !== "vercel")
    throw new SkiffError(
      `toVercel: ${option === undefined ? "SKIFF_QUEUES" : "queues"} is "${String(value)}"; use "libsql" or "vercel"`,
    );
  return value;
}

/**
 * @internal {@link VercelOptions} with defaults applied, checked once at setup.
 *
 * @example
 * ```ts
 * resolveVercelOptions({ basePath: "api/" }); // { basePath: "/api", drainBudgetMs: 10_000, intervalMs: 60_000, ... }
 * ```
 */
export interface ResolvedVercelOptions {
  readonly basePath: string;
  readonly now: () => number;
  readonly drainBudgetMs: number;
  /** How often the drain after requests visits every consumed queue; `undefined` when it is off. */
  readonly intervalMs: number | undefined;
}

/**
 * @internal Applies the defaults of {@link VercelOptions} and throws naming the option that is out of range.
 *
 * @example
 * ```ts
 * const { basePath, intervalMs } = resolveVercelOptions({ basePath: "/api", drainOnRequest: false });
 * ```
 */
export function resolveVercelOptions(options: VercelOptions): ResolvedVercelOptions {
  const basePath = normalizeBasePath(options.basePath);
  const now = options.now ?? Date.now;
  const drainBudgetMs = options.drainBudgetMs ?? 10_000;
  const intervalMs =
    options.drainOnRequest === false ? undefined : (options.drainOnRequest?.intervalMs ?? 60_000);
  if (!(drainBudgetMs > 0))
    throw new SkiffError(`toVercel: drainBudgetMs must be a positive number of ms (got ${drainBudgetMs})`);
  if (intervalMs !== undefined && !(intervalMs >= 0))
    throw new SkiffError(`toVercel: drainOnRequest.intervalMs must be >= 0 (got ${intervalMs})`);
  return { basePath, now, drainBudgetMs, intervalMs };
}
