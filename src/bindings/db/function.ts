import { createClient as createHttpClient } from "@libsql/client/http";
import { createClient as createFileClient } from "@libsql/client/sqlite3";
import { overHttp, type DatabaseConfig } from "./config.js";
import type { Database } from "./database.js";
import { libsqlDatabase, type NodeDatabaseOptions } from "./libsql-database.js";

/**
 * The {@link Database} of a function platform on Node (Lambda, Cloud Run functions): a `file:` database on the
 * native client, and Turso (`libsql://`, `https://`) over HTTP rather than a WebSocket. A function's process is
 * frozen or CPU-throttled between invocations, which a long-lived socket does not survive well, and one request per
 * statement (or batch) needs no connection state; it also keeps the WebSocket client (about 90 KiB) out of the
 * bundle, which every cold start would parse. A `ws://` or `wss://` URL fails the first query with a ConfigError.
 *
 * @example
 * ```ts
 * const db = functionDatabase(() => resolveDatabaseConfig(process.env, { allowFile: true }));
 * await db.run(sql`INSERT INTO events (id) VALUES (${id})`);
 * ```
 */
export function functionDatabase(
  config: DatabaseConfig | (() => DatabaseConfig),
  options: NodeDatabaseOptions = {},
): Database {
  return libsqlDatabase(config, options, (resolved) => {
    if (resolved.url.startsWith("file:") || resolved.url === ":memory:") return createFileClient(resolved);
    return createHttpClient(overHttp(resolved));
  });
}
