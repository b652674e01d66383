import type { Env } from "hono";
import type { Skiff } from "../app.js";
import type { Database } from "../bindings/db/database.js";
import { LibsqlKV } from "../bindings/kv/libsql.js";
import { MemoryKV } from "../bindings/kv/memory.js";
import { drainOnce } from "../bindings/queues/libsql/drain.js";
import { LibsqlQueueStore } from "../bindings/queues/libsql/store.js";
import { nodeDatabase } from "../local/database.js";
import type { Logger } from "../logger.js";
import { createRuntime, runtimeContext, type SkiffRuntime } from "../runtime.js";
import { dispatchCron } from "../triggers/dispatch-cron.js";
import type { QueueSchemas } from "../types.js";
import { WaitUntilTracker } from "../wait-until.js";

/**
 * Options of {@link createTestRuntime}. All are optional: by default a test gets an empty env, a private in-memory
 * database, memory KV and a silent logger.
 *
 * @example
 * ```ts
 * const t = createTestRuntime(app, { env: { API_KEY: "test" }, kv: "libsql" });
 * ```
 */
export interface TestRuntimeOptions {
  /** `c.env` / `ctx.env`. Default `{}`. */
  env?: Record<string, unknown>;
  /** Database URL. Default: a private in-memory libSQL database. */
  databaseUrl?: string;
  /** KV backend: `"memory"` (default) or `"libsql"` (in the test database). */
  kv?: "memory" | "libsql";
  /** Logger; default a silent one, so test output stays readable. */
  log?: Logger;
}

/**
 * An app wired to real local bindings for unit tests: in-memory libSQL, KV, and the durable libSQL queue, with
 * helpers to send requests, fire crons and deliver queued messages, all awaiting `waitUntil` work before they
 * resolve.
 *
 * @example
 * ```ts
 * const t = createTestRuntime(app);
 * const res = await t.fetch(new Request("http://test/api/users"));
 * await t.fireCron("0 9 * * *");
 * await t.drainQueues();
 * ```
 */
export interface TestRuntime {
  readonly runtime: SkiffRuntime;
  readonly db: Database;
  readonly queueStore: LibsqlQueueStore;
  fetch(request: Request): Promise<Response>;
  fireCron(expression: string, scheduledTime?: number): Promise<void>;
  /** Delivers queued messages (including retries due now) until no queue has a visible message. */
  drainQueues(): Promise<void>;
  close(): Promise<void>;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/**
 * Creates a {@link TestRuntime} for `app`.
 *
 * @example
 * ```ts
 * import { createTestRuntime } from "skiff/testing";
 * const t = createTestRuntime(app, { env: { API_KEY: "test" } });
 * expect((await t.fetch(new Request("http://test/"))).status).toBe(200);
 * ```
 */
export function createTestRuntime<E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  options: TestRuntimeOptions = {},
): TestRuntime {
  const db = nodeDatabase({ url: options.databaseUrl ?? ":memory:" });
  const queueStore = new LibsqlQueueStore(db);
  const runtime = createRuntime(app, {
    platform: "test",
    env: options.env ?? {},
    db: () => db,
    kv: () => (options.kv === "libsql" ? new LibsqlKV(db) : new MemoryKV()),
    queue: (name) => queueStore.transport(name),
    log: options.log ?? silent,
  });
  const tracker = new WaitUntilTracker(runtime.log);
  return {
    runtime,
    db,
    queueStore,
    async fetch(request) {
      const response = await app.fetch(request, runtime.env, runtimeContext(runtime, tracker));
      await tracker.settle();
      return response;
    },
    async fireCron(expression, scheduledTime = Date.now()) {
      await dispatchCron(app.triggers, runtime, { cron: expression, scheduledTime }, tracker.waitUntil);
      await tracker.settle();
    },
    async drainQueues() {
      for (let busy = true; busy;) {
        busy = false;
        for (const queue of app.triggers.queues.keys()) {
          if ((await drainOnce(app.triggers, runtime, queueStore, queue, tracker.waitUntil)) > 0) busy = true;
        }
      }
      await tracker.settle();
    },
    async close() {
      await tracker.settle();
      db.close();
    },
  };
}
