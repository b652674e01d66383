import type { Env } from "hono";
import type { Skiff } from "../app.js";
import type { Database } from "../bindings/db/database.js";
import { libsqlBindings } from "../bindings/libsql.js";
import { MemoryKV } from "../bindings/kv/memory.js";
import type { KVStore } from "../bindings/kv/types.js";
import { drainUntilIdle } from "../triggers/pull-queue.js";
import type { LibsqlQueueStore } from "../bindings/queues/libsql/store.js";
import { nodeDatabase } from "../adapters/node/database.js";
import { nodeObjectFiles } from "../adapters/node/bucket-files.js";
import { localStore } from "../bindings/buckets/local.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import { createRuntime, runtimeContext, type SkiffRuntime } from "../runtime.js";
import type { MessageResult } from "../triggers/dispatch-queue.js";
import type { PlatformName, QueueSchemas } from "../types.js";
import { WaitUntilTracker } from "../wait-until.js";
import { sql } from "../bindings/db/sql.js";
import { ensureWorkflowSchema } from "../workflows/admin.js";
import { WORKFLOW_QUEUE } from "../workflows/schema.js";

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
  /** KV backend: `"memory"` (default), `"libsql"` (in the test database), or a store of your own. */
  kv?: "memory" | "libsql" | KVStore;
  /** The platform handlers see (`c.var.platform`), for code that branches on it. Default `"test"`. */
  platform?: PlatformName;
  /**
   * Logger. Default: the app's own logger when `new Skiff({ log: { sink } })` configured a sink (so tests can read
   * what it writes), otherwise a silent one, so test output stays readable.
   */
  log?: Logger;
  /**
   * The longest delay the local queue's transport reports (`QueueTransport.maxDelaySeconds`), to test an app as on
   * SQS (900): workflow waits beyond it go through the timer table. Default: the portable 12 hours.
   */
  queueMaxDelaySeconds?: number;
  /**
   * Where the app's buckets keep their files (local buckets, as under `serve()`; puts and deletes reach
   * `app.storage()` handlers through the local queue, delivered by `drainQueues()`). Default: a fresh temporary
   * folder, removed by `close()`.
   */
  bucketsDir?: string;
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
  /** The folder of the local buckets (`<bucketsDir>/<bucket>/<key>`). */
  readonly bucketsDir: string;
  fetch(request: Request): Promise<Response>;
  fireCron(expression: string, scheduledTime?: number): Promise<void>;
  /** Delivers queued messages (including retries due now) until no queue has a visible message. */
  drainQueues(): Promise<void>;
  /**
   * Hands `messages` to the consumer of `queue` as one batch, as a platform would (`attempts` defaults to 1), and
   * reports each message's outcome: for testing retries and dead letters without waiting for redeliveries.
   */
  deliver(
    queue: string,
    messages: ReadonlyArray<{ id?: string; body: unknown; attempts?: number }>,
  ): Promise<MessageResult[]>;
  /**
   * Runs workflows until nothing more can happen now: delivers queued messages (wakes included) and fires the
   * workflow timer cron, in rounds, until a round delivers nothing and the cron sends nothing. Runs that wait for a
   * later time or an event stay waiting; make their time come with {@link TestRuntime.advanceTime}.
   */
  runWorkflows(options?: { maxRounds?: number }): Promise<void>;
  /** Runs the workflow timer cron once (as the platform would on its schedule); returns how many wakes it sent. */
  tickWorkflowTimers(): Promise<number>;
  /**
   * Makes `ms` pass for workflows and the local queue without waiting: every stored time of the workflow journal
   * (sleeps, timeouts, retry delays, leases, timers, events) and of queued messages moves `ms` into the past. Then
   * `runWorkflows()` wakes what became due.
   */
  advanceTime(ms: number): Promise<void>;
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
  const { kv = "memory" } = options;
  const { store: queueStore, ...bindings } = libsqlBindings(
    db,
    kv === "libsql" ? {} : { kv: () => (kv === "memory" ? new MemoryKV() : kv) },
  );
  const { queueMaxDelaySeconds } = options;
  // Only a folder made here is removed on close; one the test named is its own.
  const ownDir = options.bucketsDir === undefined && app.triggers.buckets.size > 0;
  const bucketsDir = options.bucketsDir ?? (ownDir ? mkdtempSync(join(tmpdir(), "skiff-buckets-")) : "");
  const files = nodeObjectFiles(bucketsDir || join(tmpdir(), "skiff-no-buckets"));
  const runtime = createRuntime(app, {
    bucket: (name) => localStore(name, files),
    bucketEvents: "local",
    platform: options.platform ?? "test",
    env: options.env ?? {},
    ...bindings,
    queue:
      queueMaxDelaySeconds === undefined
        ? bindings.queue
        : (name) => ({ ...bindings.queue(name), maxDelaySeconds: queueMaxDelaySeconds }),
    // undefined lets createRuntime build the app's own logger from its `log` option.
    log: options.log ?? (app.logOptions?.sink ? undefined : silent),
  });
  const tracker = new WaitUntilTracker(runtime.log);
  return {
    runtime,
    db,
    queueStore,
    bucketsDir,
    async fetch(request) {
      const response = await app.fetch(request, runtime.env, runtimeContext(runtime, tracker));
      await tracker.settle();
      return response;
    },
    async fireCron(expression, scheduledTime = Date.now()) {
      await runtime.fire({ cron: expression, scheduledTime }, tracker.waitUntil);
      await tracker.settle();
    },
    async drainQueues() {
      await drainUntilIdle(runtime, queueStore, tracker.waitUntil);
      await tracker.settle();
    },
    async deliver(queue, messages) {
      const incoming = messages.map((m, i) => ({
        id: m.id ?? `message-${i + 1}`,
        body: m.body,
        attempts: m.attempts ?? 1,
        timestamp: new Date(),
      }));
      const results = await runtime.deliver(queue, incoming, tracker.waitUntil);
      await tracker.settle();
      return results;
    },
    async runWorkflows({ maxRounds = 1000 } = {}) {
      for (let round = 0; round < maxRounds; round++) {
        await drainUntilIdle(runtime, queueStore, tracker.waitUntil);
        await tracker.settle();
        if (!runtime.registry.workflows.size) return;
        if ((await runtime.workflowEngine.tick(runtime.triggerContext(tracker.waitUntil))) === 0) return;
      }
      throw new Error(
        `[skiff] runWorkflows: still busy after ${maxRounds} rounds (a run that never settles?)`,
      );
    },
    async tickWorkflowTimers() {
      const sent = await runtime.workflowEngine.tick(runtime.triggerContext(tracker.waitUntil));
      await tracker.settle();
      return sent;
    },
    async advanceTime(ms) {
      await ensureWorkflowSchema(db);
      await queueStore.stats(WORKFLOW_QUEUE); // creates the queue table if nothing was sent yet
      await db.batch([
        sql`UPDATE _skiff_workflow_steps SET wake_at = wake_at - ${ms}, lease_until = lease_until - ${ms}`,
        sql`UPDATE _skiff_workflow_runs SET lease_until = lease_until - ${ms}`,
        sql`UPDATE _skiff_workflow_timers SET wake_at = wake_at - ${ms}, sent_for = sent_for - ${ms}`,
        sql`UPDATE _skiff_workflow_events SET created_at = created_at - ${ms}`,
        sql`UPDATE _skiff_queue SET visible_at = visible_at - ${ms}, enqueued_at = enqueued_at - ${ms}`,
      ]);
    },
    async close() {
      await tracker.settle();
      db.close();
      if (ownDir) rmSync(bucketsDir, { recursive: true, force: true });
    },
  };
}
