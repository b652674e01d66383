import type { Client } from "@libsql/client/http";
import { libsqlClientOptions } from "./client-options.js";
import type { DatabaseConfig } from "./config.js";
import { Database } from "./database.js";

/**
 * Options of `nodeDatabase` and `functionDatabase`. `beforeOpen` runs once the config is known and before the
 * client opens it: the Node-only callers create the folder of a `file:` database there (this module ships no `node:`
 * built-in).
 *
 * @example
 * ```ts
 * const options: NodeDatabaseOptions = { beforeOpen: ({ url }) => ensureDatabaseDir(url) };
 * ```
 */
export interface NodeDatabaseOptions {
  beforeOpen?: (config: DatabaseConfig) => void;
}

/**
 * @internal The {@link Database} of `nodeDatabase` and `functionDatabase`, on the client `create` makes: the
 * config read at the first query, `beforeOpen`, then WAL on a `file:` database.
 *
 * @example
 * ```ts
 * const db = libsqlDatabase({ url: "file:/tmp/dev.db" }, {}, createClient);
 * ```
 */
export function libsqlDatabase(
  config: DatabaseConfig | (() => DatabaseConfig),
  options: NodeDatabaseOptions,
  create: (resolved: DatabaseConfig) => Client,
): Database {
  return new Database(() => {
    const resolved = typeof config === "function" ? config() : config;
    options.beforeOpen?.(resolved);
    const client = create(libsqlClientOptions(resolved, { timeout: 5_000 }));
    // WAL lets readers proceed while a writer commits; it is a property of the file, so setting it once is enough.
    if (resolved.url.startsWith("file:") && !resolved.url.includes(":memory:"))
      void client.execute("PRAGMA journal_mode = WAL").catch(() => undefined);
    return client;
  });
}
