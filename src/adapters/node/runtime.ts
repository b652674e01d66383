import { resolveDatabaseConfig } from "../../bindings/db/config.js";
import type { Database } from "../../bindings/db/database.js";
import { libsqlBindings } from "../../bindings/libsql.js";
import type { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import { nodeDatabase } from "./database.js";
import { bufferedStdoutSink } from "./stdout-sink.js";
import { localStore } from "../../bindings/buckets/local.js";
import { nodeObjectFiles } from "./bucket-files.js";
import { defaultBucketsDir, defaultDatabaseUrl, findProjectDir, type ServeOptions } from "./options.js";

/**
 * @internal What one Node server runs on: the skiff runtime, its database and the durable queue the worker
 * delivers.
 *
 * @example
 * ```ts
 * const { runtime, db, queueStore } = nodeRuntime(app, {}, process.env);
 * ```
 */
export interface NodeRuntime {
  readonly runtime: SkiffRuntime;
  readonly db: Database;
  readonly queueStore: LibsqlQueueStore;
}

/**
 * @internal Assembles the runtime of {@link serve}: `db` on libSQL (the `database` option, else
 * `TURSO_DATABASE_URL`, else the project's `.skiff/dev.db`), `kv` and the durable queue in the same database, buckets in
 * files under `<projectDir>/.skiff/buckets/`.
 * Nothing is opened here; `serve` checks the database before it listens.
 *
 * @example
 * ```ts
 * const { runtime, db } = nodeRuntime(app, { database: { url: "file:/tmp/test.db" } }, process.env);
 * ```
 */
export function nodeRuntime(
  app: Parameters<typeof createRuntime>[0],
  options: ServeOptions,
  env: Record<string, string | undefined>,
): NodeRuntime {
  const projectDir = options.projectDir ?? findProjectDir();
  const config =
    options.database ??
    resolveDatabaseConfig(env, { allowFile: true, fallbackUrl: defaultDatabaseUrl(projectDir) });
  const db = nodeDatabase(config);
  const { store: queueStore, ...bindings } = libsqlBindings(db);
  const files = nodeObjectFiles(options.bucketsDir ?? defaultBucketsDir(projectDir));
  const runtime = createRuntime(app, {
    platform: "node",
    env,
    ...bindings,
    // Local files, whose puts and deletes reach app.storage() handlers through the durable local queue.
    bucket: (name) => localStore(name, files),
    bucketEvents: "local",
    // A line per request is a write system call per request; the server writes them once per event-loop turn.
    logSink: bufferedStdoutSink(),
  });
  return { runtime, db, queueStore };
}
