import type { Env } from "hono";
import type { QueueSchemas, TriggerContext } from "../types.js";
import type { QueueTransport } from "../bindings/queues/types.js";
import type { Database } from "../bindings/db/database.js";
import type { Logger } from "../logger.js";
import type { CronEvent } from "./cron/index.js";
import type { TriggerRegistry } from "./registry.js";

/**
 * A queue message as every platform delivers it to skiff. `attempts` is 1 on first delivery. The first call to
 * `ack()` or `retry()` decides the message's fate; later calls are ignored.
 *
 * @example
 * ```ts
 * app.queue("orders", async (message, ctx) => {
 *   if (!(await ctx.db.get(sql`SELECT 1 FROM skus WHERE sku = ${message.body.sku}`))) {
 *     return message.retry({ delaySeconds: 60 }); // wait for the catalogue to catch up
 *   }
 *   await ctx.db.run(sql`INSERT INTO orders (id) VALUES (${message.body.orderId})`);
 * });
 * ```
 */
export interface QueueMessage<Body> {
  readonly id: string;
  readonly body: Body;
  readonly attempts: number;
  readonly timestamp: Date;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/**
 * A batch for batch consumers (`app.queueBatch`): the messages that passed validation, plus `ackAll()` and
 * `retryAll()`. A batch handler that throws retries every message it did not settle, as on Cloudflare.
 *
 * @example
 * ```ts
 * app.queueBatch("orders", async (batch, ctx) => {
 *   await ctx.db.batch(batch.messages.map((m) => sql`INSERT INTO orders (id) VALUES (${m.body.orderId})`));
 * });
 * ```
 */
export interface QueueBatch<Body> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}

/**
 * A cron handler. Throwing fails the invocation on the platform (and is logged). It receives the
 * {@link CronEvent} and the same bindings as routes; what it returns is ignored.
 *
 * @example
 * ```ts
 * const stamp: CronHandler = async (event, ctx) => { await ctx.kv.put("cron:last", String(event.scheduledTime)); };
 * app.cron("0 9 * * *", stamp);
 * ```
 */
export type CronHandler<E extends Env = Env, Q extends QueueSchemas = QueueSchemas> = (
  event: CronEvent,
  ctx: TriggerContext<E, Q>,
) => unknown;

/**
 * A per-message queue handler: returning acks the message, throwing retries it (this message only). The body
 * arrives validated against, and typed by, the queue's schema.
 *
 * @example
 * ```ts
 * const handle: QueueHandler<SchemaOutput<typeof Order>> = async (message, ctx) => {
 *   await ctx.db.run(sql`INSERT INTO orders (id) VALUES (${message.body.orderId})`);
 * };
 * app.queue("orders", handle);
 * ```
 */
export type QueueHandler<Body, E extends Env = Env, Q extends QueueSchemas = QueueSchemas> = (
  message: QueueMessage<Body>,
  ctx: TriggerContext<E, Q>,
) => unknown;

/**
 * A batch queue handler, registered with `app.queueBatch`: one call per delivered batch. Messages it leaves
 * unsettled are acked when it returns and retried when it throws.
 *
 * @example
 * ```ts
 * const handle: QueueBatchHandler<SchemaOutput<typeof Event>> = async (batch, ctx) => {
 *   await ctx.db.batch(batch.messages.map((m) => sql`INSERT INTO events (id) VALUES (${m.id})`));
 * };
 * app.queueBatch("events", handle);
 * ```
 */
export type QueueBatchHandler<Body, E extends Env = Env, Q extends QueueSchemas = QueueSchemas> = (
  batch: QueueBatch<Body>,
  ctx: TriggerContext<E, Q>,
) => unknown;

/**
 * Consumer options. The same numbers drive local delivery and the generated platform config (`wrangler.toml`
 * consumer, SQS event source mapping and redrive policy), so the two cannot drift.
 *
 * @example
 * ```ts
 * app.queue("orders", handle, { maxRetries: 3, deadLetter: "orders-dlq", retryDelaySeconds: 30, maxBatchSize: 10 });
 * ```
 */
export interface QueueOptions {
  /** Retries after the first delivery before the message is dead-lettered. Default 3 (Cloudflare's default). */
  maxRetries?: number;
  /** Queue that receives messages that exhausted their retries or failed their schema. Without it they are dropped with an error log. */
  deadLetter?: string;
  /** Delay of a retry caused by a throw. Default 0. */
  retryDelaySeconds?: number;
  /** Largest batch delivered at once (1–100). Default 10. */
  maxBatchSize?: number;
  /** Longest wait to fill a batch, in seconds (0–60). Default 5. */
  maxBatchTimeoutSeconds?: number;
  /** How long a delivered message stays invisible to other consumers (local queue, SQS). Default 30. */
  visibilityTimeoutSeconds?: number;
}

/**
 * {@link QueueOptions} with defaults applied and ranges checked; `deadLetter` is `undefined` when none was given.
 * Adapters and the CLI read it from each registered consumer.
 *
 * @example
 * ```ts
 * const options: ResolvedQueueOptions | undefined = app.triggers.queues.get("orders")?.options;
 * ```
 */
export type ResolvedQueueOptions = Required<Omit<QueueOptions, "deadLetter">> & {
  deadLetter: string | undefined;
};

/**
 * A registered cron handler: the expression as given to `app.cron` and its handler. `app.triggers.crons` groups
 * them by normalised expression.
 *
 * @example
 * ```ts
 * const daily: CronRegistration[] = app.triggers.crons.get("0 9 * * *") ?? [];
 * ```
 */
export interface CronRegistration {
  readonly expression: string;
  readonly handler: CronHandler;
}

/**
 * A registered queue consumer: its queue name, resolved options and handler, with `kind` telling a per-message
 * handler (`app.queue`) from a batch handler (`app.queueBatch`).
 *
 * @example
 * ```ts
 * const consumer: QueueRegistration | undefined = app.triggers.queues.get("orders");
 * if (consumer?.kind === "batch") console.log("batches of up to", consumer.options.maxBatchSize);
 * ```
 */
export type QueueRegistration = {
  readonly name: string;
  readonly options: ResolvedQueueOptions;
} & (
  | { readonly kind: "message"; readonly handler: QueueHandler<unknown> }
  | { readonly kind: "batch"; readonly handler: QueueBatchHandler<unknown> }
);

/**
 * What the trigger dispatchers need of a runtime: the app's registry, its logger, the context handed to handlers
 * and the raw transport of a queue (for dead-letter sends). `SkiffRuntime` implements it; src/triggers depends on
 * this interface instead of the runtime, so the runtime can import the triggers without a cycle.
 *
 * @example
 * ```ts
 * const runtime: TriggerRuntime = createRuntime(app, options);
 * const ctx = runtime.triggerContext((p) => tracker.waitUntil(p), runtime.log.child({ trigger: "queue" }));
 * ```
 */
export interface TriggerRuntime {
  readonly registry: TriggerRegistry;
  readonly log: Logger;
  /** The database if something has opened it, without opening it (work that never queried leaves it undefined). */
  readonly openedDb: Database | undefined;
  triggerContext(waitUntil: (promise: Promise<unknown>) => void, log?: Logger): TriggerContext;
  transport(name: string): QueueTransport;
}
