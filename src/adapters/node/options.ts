import { existsSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { LocalServerOptions } from "../../local-server.js";

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
 * The folder of a project's local buckets, `<projectDir>/.skiff/buckets`: bucket `uploads` keeps its objects in
 * `.skiff/buckets/uploads/`.
 *
 * @example
 * ```ts
 * defaultBucketsDir("/srv/shop"); // "/srv/shop/.skiff/buckets"
 * ```
 */
export function defaultBucketsDir(projectDir: string): string {
  return join(resolve(projectDir), ".skiff", "buckets");
}

/**
 * Options of {@link serve}: those of every local server (`port`, `hostname`, `env`, `queues`, `pollIntervalMs`,
 * `testScheduled`, `shutdownGraceMs`, `handleSignals`; see `LocalServerOptions`) plus where Node's database lives
 * and its scheduler. Everything has a default, so `serve(app)` runs with no account and no configuration.
 *
 * @example
 * ```ts
 * await serve(app, { port: 0, database: { url: "file:/tmp/test.db" }, scheduler: false });
 * ```
 */
export interface ServeOptions extends LocalServerOptions {
  /** Database; default `TURSO_DATABASE_URL`/`TURSO_AUTH_TOKEN` from `env`, else `<projectDir>/.skiff/dev.db`. */
  database?: { url: string; authToken?: string };
  /**
   * The app's project directory, where the default database lives. Default: the nearest directory with a
   * `package.json` above the module Node started (`process.argv[1]`), so the working directory does not matter.
   */
  projectDir?: string;
  /** Where local buckets keep their files. Default `<projectDir>/.skiff/buckets`. */
  bucketsDir?: string;
  /** Run the in-process cron scheduler. Default true. */
  scheduler?: boolean;
}
