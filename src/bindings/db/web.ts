import { createClient as createWebClient, type Client, type Config } from "@libsql/client/http";
import { libsqlClientOptions } from "./client-options.js";
import { overHttp, resolveDatabaseConfig } from "./config.js";
import { Database } from "./database.js";

/**
 * Options of {@link webDatabase}. `missing` is the advice when `TURSO_DATABASE_URL` is unset (where the platform's
 * users set it); `allowFile` lets an injected Node client open a `file:` URL; `createClient` replaces
 * `@libsql/client/http` (Vercel's node runtime may pass `@libsql/client`'s).
 *
 * @example
 * ```ts
 * const options: WebDatabaseOptions = { missing: "run `wrangler secret put TURSO_DATABASE_URL`" };
 * ```
 */
export interface WebDatabaseOptions {
  missing?: string;
  allowFile?: boolean;
  createClient?: (config: Config) => Client;
}

/**
 * skiff's `db` where there is no filesystem (Workers, Vercel Edge): libSQL over HTTP with `@libsql/client/http`, from
 * `TURSO_DATABASE_URL` and `TURSO_AUTH_TOKEN`. The env is read and the client created at the first query, not when
 * the runtime is built, so routes that never touch the database work without it, and a missing or `file:` URL fails
 * that first query with a `ConfigError` naming `TURSO_DATABASE_URL` (and a failed read leaves no client behind).
 *
 * @example
 * ```ts
 * const db = webDatabase(env, { missing: "set it in the project's Environment Variables" });
 * const users = await db.all(sql`SELECT id, email FROM users LIMIT ${10}`);
 * ```
 */
export function webDatabase(env: Record<string, unknown>, options: WebDatabaseOptions = {}): Database {
  return new Database(() => {
    const config = resolveDatabaseConfig(env, {
      allowFile: options.allowFile ?? false,
      missing: options.missing,
    });
    if (options.createClient) return options.createClient(libsqlClientOptions(config));
    // The HTTP client only: the WebSocket one would add a third to every Worker's libSQL code, for URLs Turso does
    // not hand out (its libsql:// URLs go over HTTP here).
    return createWebClient(libsqlClientOptions(overHttp(config)));
  });
}
