import type { Database } from "./db/database.js";
import { LibsqlKV } from "./kv/libsql.js";
import type { KVStore } from "./kv/types.js";
import { LibsqlQueueStore } from "./queues/libsql/store.js";
import type { QueueTransport } from "./queues/types.js";

/**
 * Everything skiff keeps in one libSQL database, in the shape `createRuntime` takes: `db`, `kv` (a table, unless
 * `options.kv` gives another store) and one durable queue transport per queue, plus the queue `store` a local
 * consumer drains. Built once per process or isolate; nothing connects until the first query.
 *
 * @example
 * ```ts
 * const { store, ...bindings } = libsqlBindings(nodeDatabase({ url: "file:/tmp/dev.db" }));
 * const runtime = createRuntime(app, { platform: "node", env, ...bindings });
 * ```
 */
export interface LibsqlBindings {
  readonly store: LibsqlQueueStore;
  db(): Database;
  kv(): KVStore;
  queue(name: string): QueueTransport;
}

/**
 * Assembles {@link LibsqlBindings} on `db`. `kv` replaces the libSQL KV table (a test's memory store). The runtime
 * calls `kv()` once and caches it, as it does `db()`.
 *
 * @example
 * ```ts
 * const { store, ...bindings } = libsqlBindings(db, { kv: () => new MemoryKV() });
 * await bindings.queue("orders").send([{ body: { orderId: "o1" } }]);
 * ```
 */
export function libsqlBindings(db: Database, options: { kv?: () => KVStore } = {}): LibsqlBindings {
  const store = new LibsqlQueueStore(db);
  return {
    store,
    db: () => db,
    kv: options.kv ?? (() => new LibsqlKV(db)),
    queue: (name) => store.transport(name),
  };
}
