// The platform's shapes, declared structurally (as the Deno adapter does for `Deno`): the slice of Netlify's
// Functions v2 `Context` the adapter reads, and what `toNetlify()` returns. Importing the types of @netlify/functions
// here would declare its global `Netlify` in every skiff user's program; test/adapters/netlify/types.test.ts proves
// that the package's own `Context` fits.
import type { Client, Config } from "@libsql/client/web";

/**
 * Where a request comes from, as Netlify geolocates it (`context.geo`).
 * https://docs.netlify.com/build/functions/api/#geo
 *
 * @example
 * ```ts
 * const geo: NetlifyGeo = { city: "Paris", country: { code: "FR", name: "France" }, timezone: "Europe/Paris" };
 * ```
 */
export interface NetlifyGeo {
  city?: string;
  country?: { code?: string; name?: string };
  postalCode?: string;
  subdivision?: { code?: string; name?: string };
  latitude?: number;
  longitude?: number;
  timezone?: string;
}

/**
 * The members of a Netlify Functions v2 `Context` skiff uses: the client's `ip` and `geo`, the `requestId`, the
 * deploy and site, and `waitUntil`, which keeps the function running after the response is sent. The `Context`
 * Netlify passes (from `@netlify/functions`) satisfies it. https://docs.netlify.com/build/functions/api/#netlify-specific-context-object
 *
 * @example
 * ```ts
 * app.get("/where", (c) => c.json({ ip: (c.env as { context: NetlifyContext }).context.ip }));
 * ```
 */
export interface NetlifyContext {
  readonly ip: string;
  readonly geo: NetlifyGeo;
  readonly requestId: string;
  readonly waitUntil: (promise: Promise<unknown>) => void;
  readonly deploy?: { readonly context: string; readonly id: string; readonly published: boolean };
  readonly site?: { readonly id?: string; readonly name?: string; readonly url?: string };
  readonly account?: { readonly id: string };
  readonly server?: { readonly region?: string };
  readonly params?: Record<string, string>;
}

/**
 * Environment variables as a Netlify function sees them (`Netlify.env.toObject()`, `process.env`).
 *
 * @example
 * ```ts
 * const env: NetlifyEnv = { TURSO_DATABASE_URL: "libsql://shop-acme.turso.io", TURSO_AUTH_TOKEN: "..." };
 * ```
 */
export type NetlifyEnv = Record<string, string | undefined>;

/**
 * A libSQL client factory: `createClient` from `@libsql/client/web` (the default, HTTP) or `@libsql/client`.
 *
 * @example
 * ```ts
 * import { createClient } from "@libsql/client";
 * const factory: NetlifyClientFactory = createClient;
 * ```
 */
export type NetlifyClientFactory = (config: Config) => Client;

/**
 * A Functions v2 handler: what a file in the functions directory exports as its default.
 * https://docs.netlify.com/build/functions/get-started/
 *
 * @example
 * ```ts
 * const handler: NetlifyHandler = async (request, context) => new Response(context.requestId);
 * ```
 */
export type NetlifyHandler = (request: Request, context: NetlifyContext) => Promise<Response>;

/**
 * What {@link toNetlify} returns: the handler of the HTTP function (`fetch`), the handler of the scheduled function
 * of one cron expression (`cron()`), the handler of the scheduled function that delivers the queues (`drain`), and
 * `settle()`, which resolves when background work has finished (tests and local runs; on Netlify, `waitUntil` keeps
 * the function alive instead). `skiff build --target netlify` writes the function files that export them.
 *
 * @example
 * ```ts
 * // netlify/skiff.ts
 * export default toNetlify(app);
 * // a function file
 * import skiff from "../skiff.js";
 * export default skiff.cron("0 9 * * *");
 * export const config = { schedule: "0 9 * * *" };
 * ```
 */
export interface NetlifyFunctions {
  /** The HTTP function: every request to the paths it is configured for (`config.path`). */
  readonly fetch: NetlifyHandler;
  /**
   * The scheduled function of `expression` (as registered with `app.cron()`). Throws at once when the app has no
   * handler for it, so a stale function file fails when it loads rather than at its first run.
   */
  cron(expression: string): NetlifyHandler;
  /** The scheduled function that delivers the durable queue to the app's consumers, within the run's budget. */
  readonly drain: NetlifyHandler;
  settle(): Promise<void>;
}
