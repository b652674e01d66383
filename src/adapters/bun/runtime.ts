import { createClient } from "@libsql/client/web";
import { bunSqliteDatabase, type BunSqliteOpen } from "../../bindings/db/bun-sqlite.js";
import { databaseFilePath, libsqlClientOptions } from "../../bindings/db/client-options.js";
import { resolveDatabaseConfig, type DatabaseConfig } from "../../bindings/db/config.js";
import { Database } from "../../bindings/db/database.js";
import { libsqlBindings } from "../../bindings/libsql.js";
import type { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import { bunDefaultDatabaseUrl, findBunProjectDir, type BunServeOptions } from "./options.js";
import type { BunApi } from "./types.js";

/**
 * @internal What one Bun server runs on: the skiff runtime, its database and the durable queue the worker delivers.
 *
 * @example
 * ```ts
 * const { runtime, db, queueStore } = await bunRuntime(app, {}, process.env, Bun);
 * ```
 */
export interface BunRuntime {
  readonly runtime: SkiffRuntime;
  readonly db: Database;
  readonly queueStore: LibsqlQueueStore;
}

interface BunSqliteModule {
  Database: new (
    path: string,
    options: { create: boolean; readwrite: boolean; strict: boolean; safeIntegers: boolean },
  ) => ReturnType<BunSqliteOpen>;
}

// A specifier in a variable: TypeScript has no types for bun:sqlite here, and only Bun resolves it.
const BUN_SQLITE = "bun:sqlite";

/**
 * The `db` binding `serve()` from `skiff/bun` uses, for scripts and tools beside a server: `bun:sqlite` for a
 * `file:` URL (its folder created first, as on Node), else libSQL over HTTP (`@libsql/client/web`: Turso, or a local
 * libSQL endpoint). No native module either way, so the bundle and the `bun build --compile` binary stand alone.
 *
 * @example
 * ```ts
 * const db = await bunDatabase({ url: "file:/srv/shop/.skiff/dev.db" }, Bun);
 * ```
 */
export async function bunDatabase(config: DatabaseConfig, bun: BunApi): Promise<Database> {
  if (!config.url.startsWith("file:") && config.url !== ":memory:")
    return new Database(() => createClient(libsqlClientOptions(config)));
  const path = databaseFilePath(config.url);
  if (path) {
    const dir = path.replace(/[\\/][^\\/]*$/, "");
    const exists = await bun
      .file(dir || "/")
      .stat()
      .then((s) => s.isDirectory())
      .catch(() => false);
    // Bun.write creates the missing folders; an empty file is a valid empty SQLite database.
    if (!exists) await bun.write(path, "");
  }
  const sqlite = (await import(BUN_SQLITE)) as BunSqliteModule;
  const open: BunSqliteOpen = (file) =>
    new sqlite.Database(file, { create: true, readwrite: true, strict: true, safeIntegers: true });
  return bunSqliteDatabase(config, { open });
}

/**
 * @internal Assembles the runtime of `serve()` from `skiff/bun`: `db` from the `database` option, else
 * `TURSO_DATABASE_URL`, else the project's `.skiff/dev.db`; `kv` and the durable queue in the same database, as on
 * Node. Nothing is queried here; `serve` checks the database before it listens.
 *
 * @example
 * ```ts
 * const { runtime, db } = await bunRuntime(app, { database: { url: "file:/tmp/test.db" } }, process.env, Bun);
 * ```
 */
export async function bunRuntime(
  app: Parameters<typeof createRuntime>[0],
  options: BunServeOptions,
  env: Record<string, string | undefined>,
  bun: BunApi,
): Promise<BunRuntime> {
  const config =
    options.database ??
    resolveDatabaseConfig(env, {
      allowFile: true,
      fallbackUrl: bunDefaultDatabaseUrl(options.projectDir ?? (await findBunProjectDir(bun))),
    });
  const db = await bunDatabase(config, bun);
  const { store: queueStore, ...bindings } = libsqlBindings(db);
  const runtime = createRuntime(app, { platform: "bun", env, ...bindings });
  return { runtime, db, queueStore };
}
