import type { ExecutionContext } from "hono";
import type { Database } from "./bindings/db/database.js";
import type { Migration } from "./bindings/db/migrate.js";
import type { KVStore } from "./bindings/kv/types.js";
import { createProducer } from "./bindings/queues/producer.js";
import type { QueueProducer, QueueTransport } from "./bindings/queues/types.js";
import { ConfigError, SkiffError } from "./errors.js";
import { declaredBuckets } from "./bindings/buckets/bucket.js";
import type { Bucket, BucketChange, BucketStore } from "./bindings/buckets/types.js";
import { localEvent, storageQueue } from "./triggers/storage/consumer.js";
import type { BucketDeclaration } from "./triggers/storage/types.js";
import { createLogger, type Logger, type LoggerOptions, type LogSink } from "./logger.js";
import type { CronEvent } from "./triggers/cron/index.js";
import { dispatchCron } from "./triggers/dispatch-cron.js";
import {
  dispatchQueue,
  type DispatchQueueOptions,
  type IncomingMessage,
  type MessageResult,
} from "./triggers/dispatch-queue.js";
import type { TriggerRegistry } from "./triggers/registry.js";
import type { TriggerRuntime } from "./triggers/types.js";
import type { PlatformName, Producers, QueueSchemas, TriggerContext } from "./types.js";
import type { WorkflowClient } from "./workflows/types.js";
import { safeWaitUntil } from "./wait-until.js";
import { WorkflowEngine } from "./workflows/engine.js";
import { WORKFLOW_QUEUE } from "./workflows/schema.js";
import { databaseSetup, relayAfterWork } from "./triggers/changes/hooks.js";

/**
 * What an adapter supplies: the platform's name and env, and factories for each binding. Factories are called once,
 * lazily, on first use, and must be cheap (the clients they return connect on first query).
 *
 * @example
 * ```ts
 * const runtime = createRuntime(app, {
 *   platform: "node",
 *   env: process.env,
 *   db: () => new Database(() => createClient({ url: "file:.skiff/dev.db" })),
 *   kv: () => new MemoryKV(),
 *   queue: (name) => transportFor(name),
 * });
 * ```
 */
export interface RuntimeOptions {
  platform: PlatformName;
  env: Record<string, unknown>;
  db: () => Database;
  kv: () => KVStore;
  queue: (name: string) => QueueTransport;
  /**
   * The backend of each declared bucket (R2, S3, local files), called once per bucket on its first use with the
   * app's name and declaration. Without it, using a bucket fails with a ConfigError naming the platform.
   */
  bucket?: (name: string, declaration: BucketDeclaration) => BucketStore;
  /**
   * `"local"` when the bucket backend is the app's own (local files): the runtime then sends each put and delete
   * through the bucket's storage queue, as S3 and R2 notifications would. Default `"platform"`: the platform
   * notifies (R2 event notifications, S3 notifications), configured by the generated config.
   */
  bucketEvents?: "local" | "platform";
  log?: Logger;
  /**
   * Where the runtime logger writes when the app sets no `log.sink`: the platform's best way to write lines (a Node
   * server buffers them per event-loop turn). Default: the console, one line per record.
   */
  logSink?: LogSink;
  /**
   * The clients of the declared workflows when another engine runs them (Cloudflare Workflows through
   * `toCloudflare(app, { workflows: { engine: "cloudflare" } })`). Called once, on first use; by default the
   * portable engine's clients serve `c.var.workflows`.
   */
  workflows?: (runtime: SkiffRuntime) => Readonly<Record<string, WorkflowClient<unknown>>>;
}

/**
 * The bindings of one app on one platform, created once per isolate or process by an adapter and shared by every
 * request, cron run and queue batch it serves, together with the app's trigger registry: adapters hand a queue
 * batch to `deliver` and a cron event to `fire`, and pass nothing else. Never stored in module state: each adapter
 * closure owns its own.
 *
 * @example
 * ```ts
 * const runtime = createRuntime(app, options);
 * const res = await app.fetch(request, env, runtimeContext(runtime, { waitUntil: (p) => tracker.waitUntil(p) }));
 * await runtime.fire({ cron: "0 9 * * *", scheduledTime: Date.now() }, tracker.waitUntil);
 * ```
 */
export class SkiffRuntime implements TriggerRuntime {
  /** The app's crons, queue consumers and queue schemas. */
  readonly registry: TriggerRegistry;
  readonly platform: PlatformName;
  readonly env: Record<string, unknown>;
  readonly log: Logger;
  readonly queues: Producers<QueueSchemas>;
  /** The declared buckets: `c.var.buckets` and `ctx.buckets`. */
  readonly buckets: Readonly<Record<string, Bucket>>;
  readonly #options: RuntimeOptions;
  #db: Database | undefined;
  #kv: KVStore | undefined;
  #workflows: Readonly<Record<string, WorkflowClient<unknown>>> | undefined;
  #engine: WorkflowEngine | undefined;
  readonly #transports = new Map<string, QueueTransport>();

  constructor(registry: TriggerRegistry, options: RuntimeOptions) {
    this.#options = options;
    this.registry = registry;
    this.platform = options.platform;
    this.env = options.env;
    this.log = options.log ?? createLogger({ fields: { platform: options.platform } });
    const producers: Record<string, QueueProducer<unknown>> = {};
    for (const [name, schema] of registry.schemas) {
      producers[name] = createProducer(name, schema, () => this.transport(name));
    }
    this.queues = Object.freeze(producers);
    const local = options.bucketEvents === "local";
    this.buckets = declaredBuckets(
      registry.buckets,
      (name, declaration) => {
        if (options.bucket) return options.bucket(name, declaration);
        if (options.platform === "none") throw missingRuntime();
        throw new ConfigError(
          `bucket "${name}": the ${options.platform} adapter has no bucket backend; buckets run on Cloudflare (R2), Lambda (S3), Node and createTestRuntime (local files)`,
        );
      },
      local ? (bucket, change) => this.#localChange(bucket, change) : undefined,
    );
  }

  // A local bucket's change goes through the bucket's storage queue, durably, as a platform notification would.
  async #localChange(bucket: string, change: BucketChange): Promise<void> {
    const queue = storageQueue(bucket);
    if (this.registry.queues.has(queue))
      await this.transport(queue).send([{ body: localEvent(bucket, change) }]);
  }

  /**
   * The portable workflow engine of this runtime (journal in `db`, wakes through the `skiff-workflows` queue),
   * created on first use: an app without workflows, or one on Cloudflare Workflows, never builds it.
   */
  get workflowEngine(): WorkflowEngine {
    this.#engine ??= new WorkflowEngine({
      declared: this.registry.workflowSchemas,
      implemented: this.registry.workflows,
      timings: this.registry.workflowTimings,
      db: () => this.db,
      transport: () => this.transport(WORKFLOW_QUEUE),
      log: this.log,
    });
    return this.#engine;
  }

  /** The clients of the declared workflows: `c.var.workflows` and `ctx.workflows`. */
  get workflows(): Readonly<Record<string, WorkflowClient<unknown>>> {
    this.#workflows ??=
      this.registry.workflowSchemas.size === 0
        ? NO_WORKFLOWS
        : (this.#options.workflows?.(this) ?? this.workflowEngine.clients);
    return this.#workflows;
  }

  get db(): Database {
    this.#db ??= this.#options.db();
    return this.#db;
  }

  /** @internal The database if something has opened it, without opening it (nor reading its configuration). */
  get openedDb(): Database | undefined {
    return this.#db;
  }

  get kv(): KVStore {
    this.#kv ??= this.#options.kv();
    return this.#kv;
  }

  /** The raw transport of a queue (no schema), used for dead-letter sends. */
  transport(name: string): QueueTransport {
    let transport = this.#transports.get(name);
    if (!transport) {
      transport = this.#options.queue(name);
      this.#transports.set(name, transport);
    }
    return transport;
  }

  /** The context handed to cron and queue handlers. */
  triggerContext(waitUntil: (promise: Promise<unknown>) => void, log: Logger = this.log): TriggerContext {
    return {
      db: this.db,
      kv: this.kv,
      queues: this.queues,
      log,
      platform: this.platform,
      env: this.env,
      waitUntil: safeWaitUntil(waitUntil, log),
      workflows: this.workflows,
      buckets: this.buckets,
    };
  }

  /**
   * Delivers a batch to the consumer of `queue` with skiff's one queue contract (validation, retries, dead letters:
   * see `dispatchQueue`) and reports each message's outcome for the adapter to translate.
   */
  deliver(
    queue: string,
    messages: readonly IncomingMessage[],
    waitUntil: (promise: Promise<unknown>) => void,
    options?: DispatchQueueOptions,
  ): Promise<MessageResult[]> {
    // An app with app.onChange relays the outbox rows the batch's writes produced (docs/changes.md).
    return dispatchQueue(this, queue, messages, waitUntil, options).finally(() =>
      relayAfterWork(this, waitUntil),
    );
  }

  /**
   * Runs every handler registered for `event.cron` (see `dispatchCron`); rejects when none is registered or one
   * failed, so the adapter reports the failure to the platform.
   */
  fire(event: CronEvent, waitUntil: (promise: Promise<unknown>) => void): Promise<void> {
    return dispatchCron(this, event, waitUntil).finally(() => relayAfterWork(this, waitUntil));
  }
}

const NO_WORKFLOWS: Readonly<Record<string, WorkflowClient<unknown>>> = Object.freeze({});

const RUNTIME = Symbol.for("skiff.runtime");

/**
 * An `ExecutionContext` that carries the skiff runtime to the app. {@link runtimeContext} builds it; an adapter
 * passes it as the third argument of `app.fetch`, and the app reads its bindings from it.
 *
 * @example
 * ```ts
 * const ctx: RuntimeExecutionContext = runtimeContext(runtime, { waitUntil: tracker.waitUntil });
 * const res = await app.fetch(request, env, ctx);
 * ```
 */
export type RuntimeExecutionContext = ExecutionContext & { readonly [RUNTIME]: SkiffRuntime };

/**
 * Builds the `ExecutionContext` an adapter passes to `app.fetch`: the platform's `waitUntil` (wrapped so it never
 * throws) and the runtime the app reads its bindings from.
 *
 * @example
 * ```ts
 * return app.fetch(request, env, runtimeContext(runtime, ctx)); // ctx: Cloudflare's ExecutionContext
 * ```
 */
export function runtimeContext(
  runtime: SkiffRuntime,
  base: { waitUntil(promise: Promise<unknown>): void; passThroughOnException?(): void; props?: unknown },
): RuntimeExecutionContext {
  return {
    waitUntil: safeWaitUntil((promise) => base.waitUntil(promise), runtime.log),
    passThroughOnException: () => base.passThroughOnException?.(),
    props: base.props ?? {},
    [RUNTIME]: runtime,
  };
}

/** @internal The runtime an adapter attached to a request's execution context, if any. */
export function runtimeOf(executionCtx: unknown): SkiffRuntime | undefined {
  const runtime = (executionCtx as { [RUNTIME]?: unknown } | undefined)?.[RUNTIME];
  return runtime instanceof SkiffRuntime ? runtime : undefined;
}

/** @internal Thrown when a binding is used by a request that reached the app without an adapter. */
export function missingRuntime(): SkiffError {
  return new SkiffError(
    "this request reached the app without a skiff runtime, so it has no db, kv or queues: serve the app through an adapter (serve, toCloudflare, toLambda, toVercel), or test it with skiff/testing's createTestRuntime(app)",
  );
}

/**
 * Creates the runtime of `app` on a platform, with a logger configured from the app's `log` option. Adapters call
 * it once per isolate or process, on first use.
 *
 * @example
 * ```ts
 * let runtime: SkiffRuntime | undefined;
 * const fetch = (req: Request, env: Env, ctx: ExecutionContext) => {
 *   runtime ??= createRuntime(app, cloudflareBindings(env));
 *   return app.fetch(req, env, runtimeContext(runtime, ctx));
 * };
 * ```
 */
export function createRuntime(
  app: {
    readonly triggers: TriggerRegistry;
    readonly logOptions?: LoggerOptions | undefined;
    readonly migrations?: readonly Migration[] | undefined;
  },
  options: RuntimeOptions,
): SkiffRuntime {
  const log =
    options.log ??
    createLogger({
      ...app.logOptions,
      sink: app.logOptions?.sink ?? options.logSink,
      fields: { platform: options.platform, ...app.logOptions?.fields },
    });
  // Migrations, then the change triggers of app.onChange over the tables they left, before the first query.
  const setup = databaseSetup(app.triggers, app.migrations);
  const db = setup
    ? () => {
        const database = options.db();
        database.beforeFirstQuery(setup);
        return database;
      }
    : options.db;
  return new SkiffRuntime(app.triggers, { ...options, db, log });
}
