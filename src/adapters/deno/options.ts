import type { Client, Config } from "@libsql/client/web";
import { ConfigError, SkiffError } from "../../errors.js";
import type { DenoKv, DenoNamespace } from "./types.js";

/**
 * Options of `toDeno()`. Everything has a default: on Deno Deploy `toDeno(app)` needs only `TURSO_DATABASE_URL`
 * (and `TURSO_AUTH_TOKEN`) in the project's environment variables.
 *
 * @example
 * ```ts
 * import { createClient } from "npm:@libsql/client"; // the native client, for a file: database
 * export default toDeno(app, { createClient, kvPath: "./.skiff/kv.sqlite3" });
 * ```
 */
export interface DenoOptions {
  /** The env handlers see as `c.env` / `ctx.env`, and where `TURSO_*`, `PORT` and `HOST` are read. Default `Deno.env`. */
  env?: Record<string, string | undefined>;
  /** Where `Deno.openKv` opens the database. Default `DENO_KV_PATH`, else Deno's default (on Deploy, the project's). */
  kvPath?: string;
  /** Opens Deno KV instead of `Deno.openKv(kvPath)` (a remote database, or a wrapper in tests). Called once. */
  openKv?: () => Promise<DenoKv>;
  /** The backend of `c.var.kv`: Deno KV (default), or the libSQL table the other platforms use. */
  kv?: "deno" | "libsql";
  /**
   * The libSQL client factory. Default `@libsql/client/web` (HTTP: Turso, or a local endpoint). Pass `createClient`
   * of `npm:@libsql/client` to open a `file:` database through Deno's npm support (the native module loads here).
   */
  createClient?: (config: Config) => Client;
  /** Register the app's crons with `Deno.cron`. Default true. */
  crons?: boolean;
  /** Deliver the Deno KV queue to the app's consumers (`listenQueue`). Default true when the app has consumers. */
  queues?: boolean;
  /**
   * How long the first message of a batch waits for more before delivery, in ms (never longer than the consumer's
   * `maxBatchTimeoutSeconds`). Deno hands messages over one at a time, concurrently. Default 20.
   */
  batchWindowMs?: number;
  /** Deno's redelivery schedule (ms) for a message whose outcome could not be recorded. Default 1 s … 10 min. */
  backoffSchedule?: readonly number[];
  /**
   * Serve `/__scheduled?cron=...` to fire a cron by hand, as `wrangler dev --test-scheduled` does. Default false:
   * anyone who can reach it can fire the crons, and a deployment cannot reliably tell itself from a local run.
   */
  testScheduled?: boolean;
  /** The `Deno` namespace; default the global one. */
  deno?: DenoNamespace;
}

/**
 * @internal {@link DenoOptions} with defaults applied and checked once, at `toDeno()`.
 *
 * @example
 * ```ts
 * const resolved = resolveDenoOptions({}, app.triggers.queues.size > 0);
 * ```
 */
export interface ResolvedDenoOptions {
  deno: DenoNamespace;
  env: Record<string, string | undefined>;
  openKv: () => Promise<DenoKv>;
  kv: "deno" | "libsql";
  createClient: ((config: Config) => Client) | undefined;
  crons: boolean;
  queues: boolean;
  batchWindowMs: number;
  backoffSchedule: readonly number[] | undefined;
  testScheduled: boolean;
}

/**
 * @internal The global `Deno`, or a `SkiffError` saying that `toDeno` runs on Deno.
 *
 * @example
 * ```ts
 * const deno = denoGlobal();
 * ```
 */
export function denoGlobal(): DenoNamespace {
  const deno = (globalThis as { Deno?: DenoNamespace }).Deno;
  if (!deno || typeof deno.serve !== "function")
    throw new SkiffError(
      "toDeno: the global Deno is missing: run this entry with deno (deno serve / deno run)",
    );
  return deno;
}

/**
 * @internal Applies the defaults of {@link DenoOptions} and checks them, naming a bad option.
 *
 * @example
 * ```ts
 * resolveDenoOptions({ kv: "libsql" }, true).kv; // "libsql"
 * ```
 */
export function resolveDenoOptions(options: DenoOptions, hasConsumers: boolean): ResolvedDenoOptions {
  const kv = options.kv ?? "deno";
  if (kv !== "deno" && kv !== "libsql")
    throw new SkiffError(`toDeno: kv must be "deno" or "libsql" (got "${String(kv)}")`);
  const batchWindowMs = options.batchWindowMs ?? 20;
  if (!Number.isFinite(batchWindowMs) || batchWindowMs < 0)
    throw new SkiffError(
      `toDeno: batchWindowMs must be a number of milliseconds >= 0 (got ${batchWindowMs})`,
    );
  const schedule = options.backoffSchedule;
  // Deno KV's own bounds: at most 5 intervals of at most an hour each.
  const interval = (ms: unknown) =>
    Number.isInteger(ms) && (ms as number) >= 0 && (ms as number) <= 3_600_000;
  if (schedule && (!Array.isArray(schedule) || schedule.length > 5 || !schedule.every(interval)))
    throw new SkiffError(
      "toDeno: backoffSchedule must be at most 5 whole numbers of milliseconds, each from 0 to 3,600,000 (Deno KV's limits)",
    );
  // Checked before Deno is needed, so a bad option is named wherever the entry is loaded.
  const deno = options.deno ?? denoGlobal();
  const env = options.env ?? deno.env.toObject();
  const path = options.kvPath ?? (env.DENO_KV_PATH?.trim() || undefined);
  const openKv = options.openKv ?? (() => deno.openKv(path));
  return {
    deno,
    env,
    openKv: () =>
      openKv().catch((error: unknown) => {
        throw new ConfigError(
          `Deno KV could not be opened${path ? ` at "${path}"` : ""}: run with --unstable-kv (or "unstable": ["kv"] in deno.json) and --allow-read --allow-write for a local file`,
          { variable: "DENO_KV_PATH", cause: error },
        );
      }),
    kv,
    createClient: options.createClient,
    crons: options.crons ?? true,
    queues: (options.queues ?? true) && hasConsumers,
    batchWindowMs,
    backoffSchedule: schedule,
    testScheduled: options.testScheduled ?? false,
  };
}

/**
 * @internal Where {@link DenoApp.serve} listens: explicit options, then `PORT` and `HOST`, then `0.0.0.0:8000`
 * (Deno's own default). A `PORT` that is not 0-65535 is refused naming it.
 *
 * @example
 * ```ts
 * denoListen({}, { PORT: "3000" }); // { hostname: "0.0.0.0", port: 3000 }
 * ```
 */
export function denoListen(
  options: { port?: number; hostname?: string },
  env: Record<string, string | undefined>,
): { hostname: string; port: number } {
  const hostname = options.hostname ?? (env.HOST?.trim() || "0.0.0.0");
  const raw = options.port ?? (env.PORT?.trim() ? Number(env.PORT.trim()) : 8000);
  if (!Number.isInteger(raw) || raw < 0 || raw > 65_535)
    throw new ConfigError(`PORT is "${env.PORT ?? options.port}", not a port number: use 0-65535`, {
      variable: "PORT",
    });
  return { hostname, port: raw };
}
