import { createClient } from "@libsql/client/web";
import { resolveDatabaseConfig } from "./config.js";
import { Database } from "./database.js";

/**
 * skiff's `db` on a Worker: libSQL over HTTP with `@libsql/client/web` (a Worker has no filesystem and no native
 * modules), from `TURSO_DATABASE_URL` and `TURSO_AUTH_TOKEN`. The env is read and the client created at the first
 * query, not when the runtime is built, so routes that never touch the database work without it, and a missing or
 * `file:` URL fails that first query with a `ConfigError` naming `TURSO_DATABASE_URL`.
 *
 * @example
 * ```ts
 * const db = cloudflareDatabase(env); // env.TURSO_DATABASE_URL = "libsql://shop-acme.turso.io"
 * const users = await db.all(sql`SELECT id, email FROM users LIMIT ${10}`);
 * ```
 */
export function cloudflareDatabase(env: Record<string, unknown>): Database {
  return new Database(() => {
    const { url, authToken } = resolveDatabaseConfig(env, { allowFile: false });
    // intMode "number", as on Node: rows serialise to JSON without BigInt surprises (ids beyond 2^53 throw instead).
    return createClient(
      authToken === undefined ? { url, intMode: "number" } : { url, authToken, intMode: "number" },
    );
  });
}
