import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createClient } from "@libsql/client";
import { Database } from "./database.js";
import type { DatabaseConfig } from "./config.js";

/**
 * A {@link Database} on the Node libSQL client: `file:` databases (embedded, WAL mode, 5 s busy timeout so
 * concurrent writers wait instead of failing) and remote `libsql://`/`https://` ones. The client is created on
 * first query; for a `file:` URL its folder is created too.
 *
 * @example
 * ```ts
 * const db = nodeDatabase({ url: "file:.skiff/dev.db" });
 * await db.run(sql`CREATE TABLE IF NOT EXISTS t (x)`);
 * ```
 */
export function nodeDatabase(config: DatabaseConfig): Database {
  return new Database(() => {
    const isFile = config.url.startsWith("file:");
    if (isFile) {
      // The libSQL client percent-decodes the path (a space is %20): create the folder it will open.
      const path = decodePath(config.url.slice("file:".length).split("?")[0] ?? "");
      if (path && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    }
    const client = createClient({
      url: config.url,
      authToken: config.authToken,
      timeout: 5_000,
      intMode: "number",
    });
    // WAL lets readers proceed while a writer commits; it is a property of the file, so setting it once is enough.
    if (isFile && !config.url.includes(":memory:"))
      void client.execute("PRAGMA journal_mode = WAL").catch(() => undefined);
    return client;
  });
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
