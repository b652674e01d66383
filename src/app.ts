import { Hono, type Env } from "hono";
import type { HonoBase, HonoOptions } from "hono/hono-base";
import type { BlankSchema, MergePath, MergeSchemaPath, Schema } from "hono/types";
import type { UnionToIntersection } from "hono/utils/types";
import { mountWithParentErrors, onError, notFound } from "./problem.js";
import { TRIGGERS, declareOptions, defineAppState } from "./app-state.js";
import { bindingRouter, skiffEntryPoints } from "./context-bindings.js";
import type { AnySchema, SchemaOutput } from "./schema.js";
import { TriggerRegistry, resolveQueueOptions } from "./triggers/registry.js";
import type {
  CronHandler,
  QueueBatchHandler,
  QueueHandler,
  QueueOptions,
  QueueRegistration,
} from "./triggers/types.js";
import type { SkiffRoutes } from "./routes.js";
import type {
  BucketsOf,
  ForeignHono,
  QueueSchemas,
  SkiffConstructor,
  SkiffEnv,
  SkiffOptions,
  WorkflowsOf,
} from "./types.js";
import type { BucketDeclarations, StorageHandler, StorageOptions } from "./triggers/storage/types.js";
import type { WorkflowOptions } from "./workflows/registration.js";
import { addChangeTrigger } from "./triggers/changes/register.js";
import type { ChangeHandler, ChangeOperation, ChangeOptions } from "./triggers/changes/types.js";
import type { WorkflowHandler, WorkflowPayloadOf, WorkflowSchemas } from "./workflows/types.js";
import type { LoggerOptions } from "./logger.js";
import type { Migration } from "./bindings/db/migrate.js";

export type { SkiffConstructor, SkiffOptions, WithBuckets, WithWorkflows } from "./types.js";

/**
 * The class behind {@link Skiff}: a Hono app with triggers. Create apps with `new Skiff()`, whose type adds route
 * overloads that return the skiff app; this class is exported so that declaration files can name it.
 *
 * @example
 * ```ts
 * Object.getPrototypeOf(new Skiff()) === SkiffApp.prototype; // true: `Skiff` is this class, retyped
 * ```
 */
// Variance annotations: see SkiffRoutes in types.ts.
export class SkiffApp<
  out E extends Env = Env,
  in out Q extends QueueSchemas = QueueSchemas,
  out S extends Schema = BlankSchema,
  out BasePath extends string = "/",
> extends Hono<SkiffEnv<E, Q>, S, BasePath> {
  // Symbol-keyed rather than #private so that `basePath()` copies (plain Hono objects re-prototyped below) keep it.
  declare readonly [TRIGGERS]: TriggerRegistry;
  /** @internal */
  declare readonly logOptions: LoggerOptions | undefined;
  /** @internal */
  declare readonly migrations: readonly Migration[] | undefined;

  constructor(options: SkiffOptions<Q, WorkflowSchemas, BucketDeclarations> = {}) {
    const { queues, log, migrations, workflows, workflowTimers, workflowTimings, buckets, ...hono } = options;
    super(hono as HonoOptions<SkiffEnv<E, Q>>);
    defineAppState(this, { registry: new TriggerRegistry(), log, migrations });
    declareOptions(this.triggers, { queues, workflows, workflowTimers, workflowTimings, buckets });
    // The bindings ride on the router (no middleware step per request), and the change relay on fetch.
    this.router = bindingRouter(this.router, this);
    skiffEntryPoints(this, this);
    this.onError(onError);
    this.notFound(notFound);
  }

  /** The implementation of {@link SkiffConstructor.withEnv}, typed there (its env is a type only). */
  static withEnv(): (
    options?: SkiffOptions<QueueSchemas, WorkflowSchemas, BucketDeclarations>,
  ) => SkiffApp<Env, QueueSchemas> {
    return (options) => new SkiffApp(options);
  }

  /** Crons, queue consumers and queue schemas registered on this app (and on sub-apps mounted with `route()`). */
  get triggers(): TriggerRegistry {
    return this[TRIGGERS];
  }

  /**
   * Registers a cron handler for a 5-field UTC expression. The expression is validated now, so a typo fails at
   * start-up. Several handlers may share an expression; all run when it fires.
   *
   * @example
   * ```ts
   * app.cron("*\/15 * * * *", async (event, ctx) => { await ctx.kv.put("heartbeat", String(event.scheduledTime)) });
   * ```
   */
  cron(expression: string, handler: CronHandler<E, Q>): this {
    this.triggers.addCron({ expression, handler: handler as CronHandler });
    return this;
  }

  /**
   * Registers the consumer of a declared queue, called once per message: returning acks it, throwing retries
   * that message only, and after `maxRetries` it goes to `deadLetter`. Bodies arrive validated and typed.
   *
   * @example
   * ```ts
   * app.queue("orders", async (message, ctx) => {
   *   await ctx.db.run(sql`UPDATE orders SET status = 'paid' WHERE id = ${message.body.orderId}`);
   * }, { maxRetries: 5, deadLetter: "orders-dlq" });
   * ```
   */
  queue<N extends keyof Q & string>(
    name: N,
    handler: QueueHandler<SchemaOutput<Q[N]>, E, Q>,
    options?: QueueOptions,
  ): this {
    return this.#consumer({
      name,
      kind: "message",
      handler: handler as QueueHandler<unknown>,
      options: resolveQueueOptions(name, options),
    });
  }

  /**
   * Registers a batch consumer: one call per delivered batch, for handlers that write a whole batch in one
   * database batch. Unsettled messages are acked when it returns and retried when it throws.
   *
   * @example
   * ```ts
   * app.queueBatch("events", async (batch, ctx) => {
   *   await ctx.db.batch(batch.messages.map((m) => sql`INSERT INTO events (id, data) VALUES (${m.id}, ${JSON.stringify(m.body)})`));
   * });
   * ```
   */
  queueBatch<N extends keyof Q & string>(
    name: N,
    handler: QueueBatchHandler<SchemaOutput<Q[N]>, E, Q>,
    options?: QueueOptions,
  ): this {
    return this.#consumer({
      name,
      kind: "batch",
      handler: handler as QueueBatchHandler<unknown>,
      options: resolveQueueOptions(name, options),
    });
  }

  /**
   * Implements a declared workflow: a durable handler whose `step.*` calls are journaled, so a run survives crashes,
   * redeploys and long waits. `event.payload` is the input, validated and typed by the workflow's schema; `options`
   * are the defaults of its steps. Start runs with `c.var.workflows.<name>.start(input)`; see docs/workflows.md.
   *
   * @example
   * ```ts
   * app.workflow("checkout", async (event, step) => {
   *   const charge = await step.do("charge", { undo: (c: Charge) => refund(c.id) }, () => chargeCard(event.payload));
   *   await step.sleep("cool-off", "1 hour");
   *   return { chargeId: charge.id };
   * });
   * ```
   */
  workflow<N extends keyof WorkflowsOf<E> & string>(
    name: N,
    handler: WorkflowHandler<WorkflowPayloadOf<WorkflowsOf<E>[N]>, E, Q>,
    options: WorkflowOptions = {},
  ): this {
    const schema = this.triggers.workflowSchemas.get(name) as AnySchema; // addWorkflow checks it is declared
    this.triggers.addWorkflow({ name, schema, handler: handler as WorkflowHandler<unknown>, options });
    return this;
  }

  /**
   * Reacts to objects created or deleted in a declared bucket (filtered by `events`, `prefix`, `suffix`), in one
   * event shape on every platform. Changes travel on the bucket's internal queue, so a handler that throws is retried
   * with the queue contract (`maxRetries`, then `deadLetter`). See docs/storage.md.
   *
   * @example
   * ```ts
   * app.storage("uploads", async (event, ctx) => {
   *   const image = await ctx.buckets.uploads.get(event.key);
   *   if (image) await ctx.buckets.uploads.put(`thumbs/${event.key}`, await shrink(await image.arrayBuffer()));
   * }, { events: ["created"], prefix: "photos/", maxRetries: 5, deadLetter: "thumbnails-dlq" });
   * ```
   */
  storage<N extends keyof BucketsOf<E> & string>(
    bucket: N,
    handler: StorageHandler<E, Q>,
    options?: StorageOptions,
  ): this {
    this.triggers.addStorage(bucket, handler as StorageHandler, options);
    return this;
  }

  /**
   * Reacts to changes of a table of the app's database, through a transactional outbox: SQL triggers (created after
   * the migrations, before the app's first query) record each change in the same transaction as the change, a relay
   * after each request and a cron move the records to the internal queue `skiff-changes`, and the handler runs at
   * least once per change, in order per row key (a later change of a row waits until the earlier one succeeded or
   * was dead-lettered), with the queue's retry and dead-letter contract. Works on every target. See docs/changes.md.
   *
   * @example
   * ```ts
   * app.onChange<{ id: number; email: string }>("users", "insert", async (change, ctx) => {
   *   await ctx.queues.emails.send({ to: change.row!.email, template: "welcome" });
   * });
   * ```
   */
  onChange<R extends Record<string, unknown> = Record<string, unknown>>(
    table: string,
    operations: ChangeOperation | readonly ChangeOperation[],
    handler: ChangeHandler<E, Q, R>,
    options?: ChangeOptions,
  ): this {
    addChangeTrigger(this.triggers, table, operations, handler as unknown as ChangeHandler, options);
    return this;
  }

  #consumer(registration: QueueRegistration): this {
    this.triggers.addQueue(registration);
    return this;
  }

  /**
   * Hono's `route()`, which also adopts the sub-app's crons, queue schemas and consumers when it is a skiff app.
   * The sub-app's routes join this app's RPC schema. A Hono app from another installed copy of Hono mounts too,
   * but its routes stay out of the schema: TypeScript compares Hono classes nominally (they have private members),
   * so another copy's schema cannot be read.
   *
   * @example
   * ```ts
   * const billing = new Skiff({ queues: { invoices: Invoice } });
   * billing.queue("invoices", handleInvoice);
   * app.route("/billing", billing); // the invoices consumer now belongs to app too
   * ```
   */
  override route<
    SubPath extends string,
    SubEnv extends Env,
    SubSchema extends Schema,
    SubBasePath extends string,
    SubCurrentPath extends string,
  >(
    path: SubPath,
    app: HonoBase<SubEnv, SubSchema, SubBasePath, SubCurrentPath>,
  ): Skiff<E, Q, S & UnionToIntersection<MergeSchemaPath<SubSchema, MergePath<BasePath, SubPath>>>, BasePath>;
  override route<SubPath extends string>(path: SubPath, app: ForeignHono): Skiff<E, Q, S, BasePath>;
  override route(path: string, app: ForeignHono): unknown {
    const registry = (app as unknown as Partial<Record<typeof TRIGGERS, TriggerRegistry>>)[TRIGGERS];
    if (registry) this.triggers.merge(registry);
    // Hono's route() reads only the sub-app's `routes` and `errorHandler`, which every Hono copy has; a sub-app of
    // another copy is on an error handler Hono does not recognise as default, so it gets this app's instead.
    mountWithParentErrors(this, app as unknown as Hono, (sub) => super.route(path, sub));
    return this;
  }

  /**
   * Hono's `basePath()`, returning a skiff app that shares routes and triggers with this one; the base path is in
   * its type, so `hc<typeof api>` calls the full path.
   *
   * @example
   * ```ts
   * const api = new Skiff().basePath("/api");
   * api.get("/health", (c) => c.text("ok")); // GET /api/health
   * ```
   */
  override basePath<SubPath extends string>(path: SubPath): Skiff<E, Q, S, MergePath<BasePath, SubPath>> {
    const sub = super.basePath(path);
    // Hono builds the copy with `new Hono()`; give it skiff's prototype and state so cron()/queue() keep working.
    Object.setPrototypeOf(sub, Object.getPrototypeOf(this));
    defineAppState(sub, { registry: this.triggers, log: this.logOptions, migrations: this.migrations });
    skiffEntryPoints(sub, this);
    return sub as unknown as Skiff<E, Q, S, MergePath<BasePath, SubPath>>;
  }
}

/**
 * The type of a skiff app: {@link SkiffRoutes} (Hono's route methods, returning the skiff app) over
 * {@link SkiffApp}. `E` is the Hono env (`Bindings`, `Variables`), `Q` the declared queues, `S` the RPC schema of
 * the routes and `BasePath` the base path, as in Hono.
 *
 * @example
 * ```ts
 * function mountBilling<E extends Env, Q extends QueueSchemas>(app: Skiff<E, Q>) { app.route("/billing", billing) }
 * ```
 */
export type Skiff<
  E extends Env = Env,
  Q extends QueueSchemas = QueueSchemas,
  S extends Schema = BlankSchema,
  BasePath extends string = "/",
> = SkiffRoutes<E, Q, S, BasePath> & SkiffApp<E, Q, S, BasePath>;

/**
 * A skiff app: a Hono app (every Hono API and middleware works unchanged) that also declares cron handlers and
 * typed queue consumers, and gets `db`, `kv`, `queues` and `log` on every context. Run it with an adapter:
 * `serve(app)` (Node), `toCloudflare(app)`, `toLambda(app)`, `toVercel(app)`.
 *
 * Errors answer `application/problem+json` by default; `app.onError()` and `app.notFound()` replace that as in
 * Hono. Routes, `use()`, `route()`, `basePath()` and the triggers return the skiff app with Hono's RPC schema, so
 * they chain in any order and `hc<typeof app>` (hono/client) sees every route.
 *
 * Its type is {@link SkiffRoutes} over {@link SkiffApp} rather than a class of its own: a subclass that retypes Hono's
 * route methods makes TypeScript compare the two overload sets recursively to check the subclass, and it gives up
 * ("type instantiation is excessively deep"). See {@link SkiffConstructor} for typing the env and the queues.
 *
 * @example
 * ```ts
 * const Order = z.object({ orderId: z.string(), sku: z.string(), qty: z.number().int().positive() });
 * export const app = new Skiff({ queues: { orders: Order } });
 *
 * app.post("/api/orders", async (c) => {
 *   const order = Order.parse(await c.req.json());
 *   await c.var.queues.orders.send(order);
 *   return c.json({ accepted: order.orderId }, 202);
 * });
 * app.queue("orders", async (message, ctx) => {
 *   await ctx.db.run(sql`INSERT INTO orders (id, sku, qty) VALUES (${message.body.orderId}, ${message.body.sku}, ${message.body.qty})`);
 * }, { maxRetries: 3, deadLetter: "orders-dlq" });
 * app.cron("0 9 * * *", async (event, ctx) => { ctx.log.info("daily report", { at: event.scheduledTime }) });
 * ```
 */
export const Skiff = SkiffApp as unknown as SkiffConstructor;
