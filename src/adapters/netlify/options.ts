import { SkiffError } from "../../errors.js";
import type { NetlifyClientFactory, NetlifyEnv } from "./types.js";

// Scheduled functions run at most 30 s (https://docs.netlify.com/build/functions/configuration/#default-values):
// the drain stops starting batches well before, so the batch in flight can settle.
const SCHEDULED_LIMIT_MS = 30_000;

/**
 * Options of {@link toNetlify}. Everything has a default: on Netlify `toNetlify(app)` needs only
 * `TURSO_DATABASE_URL` (and `TURSO_AUTH_TOKEN`) in the site's environment variables.
 *
 * @example
 * ```ts
 * import { createClient } from "@libsql/client"; // a file: database under `netlify dev`
 * export default toNetlify(app, { createClient, drainBudgetMs: 15_000 });
 * ```
 */
export interface NetlifyOptions {
  /**
   * The env for bindings and `c.env`, or a function returning it, read once, at the first invocation. Default
   * `Netlify.env.toObject()`, else `process.env`.
   */
  env?: NetlifyEnv | (() => NetlifyEnv);
  /**
   * The libSQL client factory. Default `createClient` from `@libsql/client/web` (HTTP to Turso). Pass the one of
   * `@libsql/client` for `libsql://` over WebSockets or a `file:` database under `netlify dev`.
   */
  createClient?: NetlifyClientFactory;
  /**
   * Deliver the durable queue after each response, in `context.waitUntil`: one batch of each queue this instance
   * sent to. Default true; the scheduled drain function delivers the rest (retries, delays, other instances' sends).
   */
  drainOnResponse?: boolean;
  /** How long the scheduled drain keeps starting batches, in ms: at most 25 000 (the run's limit is 30 s). Default 20 000. */
  drainBudgetMs?: number;
  /** The clock for cron scheduled times (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * @internal {@link NetlifyOptions} with defaults applied, checked once, at `toNetlify()`.
 *
 * @example
 * ```ts
 * resolveNetlifyOptions({}).drainBudgetMs; // 20_000
 * ```
 */
export interface ResolvedNetlifyOptions {
  readonly drainOnResponse: boolean;
  readonly drainBudgetMs: number;
  readonly now: () => number;
}

/**
 * @internal Applies the defaults of {@link NetlifyOptions} and checks them, naming a bad option.
 *
 * @example
 * ```ts
 * resolveNetlifyOptions({ drainBudgetMs: 40_000 }); // throws: at most 25 000
 * ```
 */
export function resolveNetlifyOptions(options: NetlifyOptions): ResolvedNetlifyOptions {
  const drainBudgetMs = options.drainBudgetMs ?? 20_000;
  if (!Number.isFinite(drainBudgetMs) || drainBudgetMs <= 0 || drainBudgetMs > SCHEDULED_LIMIT_MS - 5_000)
    throw new SkiffError(
      `toNetlify: drainBudgetMs must be a number of milliseconds from 1 to 25000 (got ${drainBudgetMs}): a scheduled function runs at most 30 s, and the last batch needs time to settle`,
    );
  const drainOnResponse = options.drainOnResponse ?? true;
  if (typeof drainOnResponse !== "boolean")
    throw new SkiffError(`toNetlify: drainOnResponse must be true or false (got ${String(drainOnResponse)})`);
  return { drainOnResponse, drainBudgetMs, now: options.now ?? Date.now };
}
