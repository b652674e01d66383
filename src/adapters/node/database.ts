import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { databaseFilePath } from "../../bindings/db/client-options.js";
import type { DatabaseConfig } from "../../bindings/db/config.js";
import type { Database } from "../../bindings/db/database.js";
import { nodeDatabase as libsqlNodeDatabase } from "../../bindings/db/node.js";

/**
 * Creates the folder of a `file:` database URL (percent-decoded, as the libSQL client opens it), so a fresh
 * checkout's `.skiff/dev.db` opens; remote and in-memory URLs are left alone.
 *
 * @example
 * ```ts
 * ensureDatabaseDir("file:.skiff/dev.db"); // creates .skiff/
 * ```
 */
export function ensureDatabaseDir(url: string): void {
  const path = databaseFilePath(url);
  if (path) mkdirSync(dirname(path), { recursive: true });
}

/**
 * A {@link Database} on the Node libSQL client (see `nodeDatabase` in src/bindings/db/node.ts) whose `file:` folder is
 * created at the first query: what `serve()` and `skiff/testing` use, exported by `skiff/node`.
 *
 * @example
 * ```ts
 * const db = nodeDatabase({ url: "file:.skiff/dev.db" });
 * await db.run(sql`CREATE TABLE IF NOT EXISTS t (x)`);
 * ```
 */
export function nodeDatabase(config: DatabaseConfig): Database {
  return libsqlNodeDatabase(config, { beforeOpen: ({ url }) => ensureDatabaseDir(url) });
}
