import { existsSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../../errors.js";

/**
 * Where {@link serve} listens: explicit options win, then `HOST` and `PORT` from the env, then the defaults
 * (`127.0.0.1` in development so a dev server is not on the network, `0.0.0.0` when `NODE_ENV=production` so the
 * built `server.mjs` answers in a container; port 8787, as `wrangler dev`). A port that is not 0-65535 is refused
 * with a message naming the variable or option.
 *
 * @example
 * ```ts
 * resolveListen({}, { PORT: "3000", NODE_ENV: "production" }); // { hostname: "0.0.0.0", port: 3000 }
 * ```
 */
export function resolveListen(
  options: { port?: number; hostname?: string },
  env: Record<string, string | undefined>,
): { hostname: string; port: number } {
  const hostname =
    options.hostname ?? (env.HOST?.trim() || (env.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1"));
  if (options.port !== undefined) return { hostname, port: checkPort(options.port, "the port option") };
  const raw = env.PORT?.trim();
  if (!raw) return { hostname, port: 8787 };
  if (!/^\d+$/.test(raw))
    throw new ConfigError(`PORT is "${raw}", not a port number: set it to 0-65535 (0 picks a free port)`, {
      variable: "PORT",
    });
  return { hostname, port: checkPort(Number(raw), "PORT") };
}

function checkPort(port: number, name: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError(`${name} is ${port}, not a port number: use 0-65535 (0 picks a free port)`, {
      variable: name === "PORT" ? "PORT" : "port",
    });
  return port;
}

/**
 * The app's project directory: the nearest directory with a `package.json` above `entry` (default: the module
 * Node was started with, `process.argv[1]`), skipping installed packages (anything under `node_modules`, such as
 * the skiff CLI that runs `skiff dev`). With no such directory it is the entry's own directory (a bundled
 * `server.mjs` copied alone into a container), and the working directory when there is no entry (a REPL) or the
 * entry is an installed package (a process manager's launcher). {@link serve} keeps its default database there, so `.skiff/dev.db` is
 * the same file whatever directory the server is started from.
 *
 * @example
 * ```ts
 * findProjectDir("/srv/shop/src/node.ts"); // "/srv/shop" when /srv/shop/package.json exists
 * ```
 */
export function findProjectDir(entry: string | undefined = process.argv[1]): string {
  if (!entry) return process.cwd();
  const start = dirname(resolve(entry));
  const installed = (dir: string) => dir.split(sep).includes("node_modules");
  for (let dir = start; ; dir = dirname(dir)) {
    if (!installed(dir) && existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return installed(start) ? process.cwd() : start;
  }
}

/**
 * The `file:` URL of the default development database of a project, `<projectDir>/.skiff/dev.db`, percent-encoded
 * as the libSQL client expects (it decodes the path).
 *
 * @example
 * ```ts
 * defaultDatabaseUrl("/srv/shop"); // "file:/srv/shop/.skiff/dev.db"
 * ```
 */
export function defaultDatabaseUrl(projectDir: string): string {
  return `file:${pathToFileURL(join(resolve(projectDir), ".skiff", "dev.db")).pathname}`;
}

/**
 * Options of {@link serve}. Everything has a default, so `serve(app)` runs with no account and no configuration.
 *
 * @example
 * ```ts
 * await serve(app, { port: 0, database: { url: "file:/tmp/test.db" }, scheduler: false });
 * ```
 */
export interface ServeOptions {
  /** Port to listen on; 0 picks a free one. Default: `PORT`, else 8787. */
  port?: number;
  /**
   * Interface to bind. Default: `HOST`, else `127.0.0.1` (a dev server is not on the network), or `0.0.0.0` when
   * `NODE_ENV=production`, so the built `server.mjs` answers in a container.
   */
  hostname?: string;
  /** The env handlers see as `c.env` / `ctx.env`, and where `HOST`, `PORT` and `TURSO_*` are read. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Database; default `TURSO_DATABASE_URL`/`TURSO_AUTH_TOKEN` from `env`, else `<projectDir>/.skiff/dev.db`. */
  database?: { url: string; authToken?: string };
  /**
   * The app's project directory, where the default database lives. Default: the nearest directory with a
   * `package.json` above the module Node started (`process.argv[1]`), so the working directory does not matter.
   */
  projectDir?: string;
  /** Run the in-process cron scheduler. Default true. */
  scheduler?: boolean;
  /** Deliver the local durable queue to the app's consumers. Default true. */
  queues?: boolean;
  /** Poll interval of the local queue, for delayed, retried and cross-process messages. Default 250 ms. */
  pollIntervalMs?: number;
  /** Serve `/__scheduled?cron=...` to fire a cron by hand, as `wrangler dev --test-scheduled` does. Default: unless NODE_ENV=production. */
  testScheduled?: boolean;
  /**
   * The upper bound of `close()` (and so of SIGTERM): how long in-flight requests, cron runs, queue batches and
   * `waitUntil` tasks may run before they are cut. Queue messages whose handler is still running then are released
   * and delivered again on the next start. Default 10 000 ms.
   */
  shutdownGraceMs?: number;
  /** Close gracefully on SIGINT/SIGTERM and exit. Default true. */
  handleSignals?: boolean;
}
