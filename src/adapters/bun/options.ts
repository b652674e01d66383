import { ConfigError } from "../../errors.js";
import { resolveListen, type LocalServerOptions } from "../../local-server.js";
import type { BunApi } from "./types.js";

/**
 * Options of `serve()` from `skiff/bun`: those of every local server (`port`, `hostname`, `env`, `queues`,
 * `pollIntervalMs`, `testScheduled`, `shutdownGraceMs`, `handleSignals`; see `LocalServerOptions`), which mean what
 * they mean in `skiff/node`, plus Bun's database and scheduler. Everything has a default, so `serve(app)` runs with
 * no account and no configuration.
 *
 * @example
 * ```ts
 * await serve(app, { port: 0, database: { url: "file:/tmp/test.db" }, scheduler: false });
 * ```
 */
export interface BunServeOptions extends LocalServerOptions {
  /**
   * Database; default `TURSO_DATABASE_URL`/`TURSO_AUTH_TOKEN` from `env`, else `<projectDir>/.skiff/dev.db`. A `file:`
   * database runs on `bun:sqlite`; a remote one (`libsql://`, `https://`) on the libSQL web client.
   */
  database?: { url: string; authToken?: string };
  /**
   * The app's project directory, where the default database lives. Default: the nearest directory with a
   * `package.json` above the module Bun started (`Bun.main`), so the working directory does not matter.
   */
  projectDir?: string;
  /** Run the crons on Bun's in-process `Bun.cron`. Default true. */
  scheduler?: boolean;
}

/**
 * The options of {@link BunServeOptions} with their defaults applied, checked once at start-up.
 *
 * @example
 * ```ts
 * const { hostname, port }: ResolvedBunOptions = resolveBunOptions({}, process.env);
 * ```
 */
export interface ResolvedBunOptions {
  hostname: string;
  port: number;
  pollIntervalMs: number;
  shutdownGraceMs: number;
  testScheduled: boolean;
}

function integer(value: number, name: string, min: number, max: number, variable = name): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(`${name} is ${value}: use an integer from ${min} to ${max}`, { variable });
  return value;
}

/**
 * Applies the defaults of {@link BunServeOptions} and refuses a bad value with a message naming it. Where to listen
 * is the rule of every local server (`resolveListen`): explicit options win, then `HOST` and `PORT` from the env,
 * then `127.0.0.1` (`0.0.0.0` with `NODE_ENV=production`) and 8787.
 *
 * @example
 * ```ts
 * resolveBunOptions({}, { PORT: "3000", NODE_ENV: "production" }); // { hostname: "0.0.0.0", port: 3000, ... }
 * ```
 */
export function resolveBunOptions(
  options: BunServeOptions,
  env: Record<string, string | undefined>,
): ResolvedBunOptions {
  return {
    ...resolveListen(options, env),
    pollIntervalMs: integer(options.pollIntervalMs ?? 250, "pollIntervalMs", 1, 60_000),
    shutdownGraceMs: integer(options.shutdownGraceMs ?? 10_000, "shutdownGraceMs", 0, 3_600_000),
    testScheduled: options.testScheduled ?? env.NODE_ENV !== "production",
  };
}

/**
 * The `Bun` global, or a `ConfigError` saying to start the app with `bun` (skiff/node is for Node).
 *
 * @example
 * ```ts
 * const bun = bunGlobal();
 * bun.serve({ ... });
 * ```
 */
export function bunGlobal(): BunApi {
  const bun = (globalThis as { Bun?: BunApi }).Bun;
  if (!bun || typeof bun.serve !== "function" || typeof bun.cron !== "function")
    throw new ConfigError(
      "skiff/bun runs on Bun 1.3 or later: start the app with `bun <entry>`, or use serve() from skiff/node on Node",
    );
  return bun;
}

const parent = (path: string): string => path.replace(/[\\/][^\\/]*$/, "") || "/";

/**
 * The app's project directory: the nearest directory with a `package.json` above `entry` (default `Bun.main`),
 * skipping installed packages; the entry's own directory when there is none (a bundle copied alone into a
 * container), and the working directory for an installed entry (a process manager's launcher) or a compiled binary. Paths only: no Node built-in, so it runs in a `bun build --compile` binary too.
 *
 * @example
 * ```ts
 * await findBunProjectDir(bun, "/srv/shop/src/bun.ts"); // "/srv/shop" when /srv/shop/package.json exists
 * ```
 */
export async function findBunProjectDir(bun: BunApi, entry: string = bun.main): Promise<string> {
  const start = parent(entry);
  // A compiled binary's main is inside Bun's virtual file system: its project is the working directory.
  if (start.startsWith("/$bunfs") || /^B:[\\/]~BUN/.test(start)) return process.cwd();
  for (let dir = start; ; dir = parent(dir)) {
    const installed = /[\\/]node_modules([\\/]|$)/.test(dir);
    if (!installed && (await bun.file(`${dir}/package.json`).exists())) return dir;
    if (parent(dir) === dir) return /[\\/]node_modules([\\/]|$)/.test(start) ? process.cwd() : start;
  }
}

/**
 * The `file:` URL of a project's default database, `<projectDir>/.skiff/dev.db`, percent-encoded as libSQL URLs are.
 *
 * @example
 * ```ts
 * bunDefaultDatabaseUrl("/srv/shop"); // "file:/srv/shop/.skiff/dev.db"
 * ```
 */
export function bunDefaultDatabaseUrl(projectDir: string): string {
  return `file:${encodeURI(`${projectDir.replace(/[\\/]$/, "")}/.skiff/dev.db`).replace(/[?#]/g, encodeURIComponent)}`;
}
