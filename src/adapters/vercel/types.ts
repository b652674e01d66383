// The platform's shapes: what Vercel passes (env, runtime) and what a route file exports (one handler per method).
import type { Client, Config } from "@libsql/client/web";

/**
 * Environment variables as Vercel exposes them on `process.env`.
 *
 * @example
 * ```ts
 * const env: VercelEnv = { TURSO_DATABASE_URL: "libsql://shop-acme.turso.io", CRON_SECRET: process.env.CRON_SECRET };
 * ```
 */
export type VercelEnv = Record<string, string | undefined>;

/**
 * Which Vercel runtime serves the function; what `c.var.platform` reports.
 *
 * @example
 * ```ts
 * app.get("/api/where", (c) => c.json({ edge: c.var.platform === ("vercel-edge" satisfies VercelPlatform) }));
 * ```
 */
export type VercelPlatform = "vercel-edge" | "vercel-node";

/**
 * A libSQL client factory: `createClient` from `@libsql/client/web` (edge-safe) or `@libsql/client` (node).
 *
 * @example
 * ```ts
 * import { createClient } from "@libsql/client";
 * const factory: LibsqlClientFactory = createClient;
 * ```
 */
export type LibsqlClientFactory = (config: Config) => Client;

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
