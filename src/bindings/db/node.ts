import { createClient } from "@libsql/client";
import type { Database } from "./database.js";
import { libsqlDatabase, type NodeDatabaseOptions } from "./libsql-database.js";
import type { DatabaseConfig } from "./config.js";

export type { NodeDatabaseOptions } from "./libsql-database.js";

/**
 * A {@link Database} on the Node libSQL client: `file:` databases (embedded, WAL mode, 5 s busy timeout so
 * concurrent writers wait instead of failing) and remote `libsql://`/`https://` ones. The client is created on
 * first query; a config given as a function is read then too, so a missing variable fails that query, and a failed
 * read leaves no client behind.
 *
 * @example
 * ```ts
 * const db = nodeDatabase({ url: "file:/tmp/dev.db" });
 * await db.run(sql`CREATE TABLE IF NOT EXISTS t (x)`);
 * ```
 */
export function nodeDatabase(
  config: DatabaseConfig | (() => DatabaseConfig),
  options: NodeDatabaseOptions = {},
): Database {
  return libsqlDatabase(config, options, createClient);
}
