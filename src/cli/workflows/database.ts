import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { defaultDatabaseUrl } from "../../adapters/node/options.js";
import { databaseFilePath } from "../../bindings/db/client-options.js";
import { resolveDatabaseConfig, type DatabaseConfig } from "../../bindings/db/config.js";
import type { Database } from "../../bindings/db/database.js";
import { nodeDatabase } from "../../bindings/db/node.js";
import { sql } from "../../bindings/db/sql.js";
import { CliError } from "../errors.js";
import type { Project } from "../project.js";

/**
 * The database `skiff workflows` reads, where its URL came from (for messages), and how to let go of it.
 *
 * @example
 * ```ts
 * const journal = await openJournal(project, { db: args.db });
 * try { await listRuns(journal.db, {}); } finally { journal.close(); }
 * ```
 */
export interface Journal {
  readonly db: Database;
  /** The URL without its query string (which may carry an `authToken`). */
  readonly url: string;
  /** Where the URL came from: `from --db`, `from TURSO_DATABASE_URL`, or the default `.skiff/dev.db`. */
  readonly source: string;
  close(): void;
}

/**
 * Where the app's database is, resolved as the app resolves it locally (`serve()` and `skiff dev`): `--db`, else
 * `TURSO_DATABASE_URL` (with `TURSO_AUTH_TOKEN` for Turso), else the project's `.skiff/dev.db`.
 *
 * @example
 * ```ts
 * journalConfig(project, { db: "libsql://shop-acme.turso.io" }, { TURSO_AUTH_TOKEN: token });
 * // { config: { url: "libsql://shop-acme.turso.io", authToken: token }, source: "from --db" }
 * ```
 */
export function journalConfig(
  project: Project,
  options: { db?: string | undefined },
  env: Record<string, string | undefined> = process.env,
): { config: DatabaseConfig; source: string } {
  const given = options.db?.trim();
  const fromEnv = env.TURSO_DATABASE_URL?.trim();
  const source = given
    ? "from --db"
    : fromEnv
      ? "from TURSO_DATABASE_URL"
      : "the default database of skiff dev and serve()";
  const config = resolveDatabaseConfig(given ? { ...env, TURSO_DATABASE_URL: given } : env, {
    allowFile: true,
    fallbackUrl: defaultDatabaseUrl(project.root),
  });
  return { config, source };
}

/**
 * Opens the app's database (see {@link journalConfig}) and checks that it holds the workflow journal. A `file:`
 * database that does not exist is an error (it is never created), and so is one without the journal's tables or one
 * that cannot be reached: each message names the URL, where it came from, and what to pass instead.
 *
 * @example
 * ```ts
 * const journal = await openJournal(project, { db: undefined }); // .skiff/dev.db
 * ```
 */
export async function openJournal(
  project: Project,
  options: { db?: string | undefined },
  env: Record<string, string | undefined> = process.env,
): Promise<Journal> {
  const { config, source } = journalConfig(project, options, env);
  const url = config.url.split("?")[0] ?? config.url;
  const where = `${url} (${source})`;
  const hint =
    "pass --db <url> (or set TURSO_DATABASE_URL, and TURSO_AUTH_TOKEN for Turso) for the database the app runs on";
  const path = databaseFilePath(config.url);
  if (path !== undefined && !existsSync(resolve(path)))
    throw new CliError(`no database at ${where}: the app has not run against it yet; ${hint}`);
  const db = nodeDatabase(config);
  const close = () => db.close();
  let found: unknown;
  try {
    found = await db.get(
      sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_skiff_workflow_runs'`,
    );
  } catch (error) {
    close();
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`could not read the database ${where}: ${message}`, 2, { cause: error });
  }
  if (!found) {
    close();
    throw new CliError(
      `the database ${where} has no workflow journal (table _skiff_workflow_runs): no workflow has run against it; ${hint}`,
    );
  }
  return { db, url, source, close };
}
