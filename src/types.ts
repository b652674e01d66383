import type { Env } from "hono";
import type { Database } from "./bindings/db/database.js";
import type { KVStore } from "./bindings/kv/types.js";
import type { QueueProducer } from "./bindings/queues/types.js";
import type { Logger } from "./logger.js";
import type { AnySchema, SchemaInput } from "./schema.js";
import type { HonoOptions } from "hono/hono-base";
import type { Skiff, SkiffApp } from "./app.js";
import type { Migration } from "./bindings/db/migrate.js";
import type { LoggerOptions } from "./logger.js";
import type { WorkflowClients, WorkflowSchemas } from "./workflows/types.js";
import type { BucketDeclarations, BucketsOf, UntypedBuckets, WithBuckets } from "./triggers/storage/types.js";
export type { Buckets, BucketsOf, UntypedBuckets, WithBuckets } from "./triggers/storage/types.js";

/**
 * The platforms an adapter can report. `vercel-edge` and `vercel-node` differ in what the runtime offers.
 *
 * @example
 * ```ts
 * app.get("/api/platform", (c) => c.text(c.var.platform)); // "cloudflare", "lambda", "node", ...
 * ```
 */
export type PlatformName =
  | "cloudflare"
  | "vercel-edge"
  | "vercel-node"
  | "lambda"
  | "node"
  | "deno"
  | "bun"
  | "azure"
  | "gcp"
  | "netlify"
  | "test"
  | "none";

/**
 * Queue names mapped to the Standard Schema (zod, ...) of their message bodies. It is the `queues` option of
 * `new Skiff()`, and it types `c.var.queues` and the names `app.queue` accepts.
 *
 * @example
 * ```ts
 * const queues = { orders: Order, "orders-dlq": z.unknown() } satisfies QueueSchemas;
 * export const app = new Skiff({ queues });
 * ```
 */
export type QueueSchemas = Record<string, AnySchema>;

/**
 * What the `queues` option accepts when its type was not inferred, which happens when `new Skiff<E>()` names the
 * env: no queue at all. A queue given there fails to compile with this message, instead of being silently untyped.
 *
 * @example
 * ```ts
 * // @ts-expect-error: write Skiff.withEnv<{ Bindings: Env }>()({ queues: { orders: Order } }) instead
 * new Skiff<{ Bindings: Env }>({ queues: { orders: Order } });
 * ```
 */
export type UntypedQueues = {
  readonly [
    name: string
  ]: "[skiff] queue types are inferred only without type arguments: write Skiff.withEnv<{ Bindings: Env }>()({ queues }) (or new Skiff<{ Bindings: Env }, typeof queues>({ queues }))";
};

/**
 * What the `workflows` option accepts when its type was not inferred (`new Skiff<E>()` names the env): no
 * workflow. A workflow given there fails to compile with this message instead of being silently untyped.
 *
 * @example
 * ```ts
 * // @ts-expect-error: write Skiff.withEnv<{ Bindings: Env }>()({ workflows: { checkout: Checkout } }) instead
 * new Skiff<{ Bindings: Env }>({ workflows: { checkout: Checkout } });
 * ```
 */
export type UntypedWorkflows = {
  readonly [
    name: string
  ]: "[skiff] workflow types are inferred only without type arguments: write Skiff.withEnv<{ Bindings: Env }>()({ workflows })";
};

/**
 * Any Hono app, including one built with another installed copy of Hono (which TypeScript does not take for this
 * copy's `Hono`, a class with private members): what `app.route()` needs to mount it.
 *
 * @example
 * ```ts
 * import { Hono as OtherHono } from "hono-4-12";
 * const legacy: ForeignHono = new OtherHono().get("/ping", (c) => c.text("pong"));
 * app.route("/legacy", legacy);
 * ```
 */
export interface ForeignHono {
  readonly routes: readonly {
    readonly method: string;
    readonly path: string;
    readonly basePath: string;
    readonly handler: (...args: never[]) => unknown;
  }[];
  fetch(request: Request, ...rest: never[]): Response | Promise<Response>;
}

/**
 * A typed producer for each declared queue: the type of `c.var.queues` and `ctx.queues`, with one
 * {@link QueueProducer} per queue that accepts its schema's input type.
 *
 * @example
 * ```ts
 * async function placeOrder(queues: Producers<{ orders: typeof Order }>, order: z.input<typeof Order>) {
 *   await queues.orders.send(order);
 * }
 * ```
 */
export type Producers<Q extends QueueSchemas> = { readonly [K in keyof Q]: QueueProducer<SchemaInput<Q[K]>> };

/**
 * The bindings skiff puts on every context: `c.var.db` in routes, `ctx.db` in cron and queue handlers.
 *
 * @example
 * ```ts
 * app.get("/api/count", async (c) => c.json(await c.var.db.get(sql`SELECT count(*) AS n FROM users`)));
 * ```
 */
export interface SkiffVariables<Q extends QueueSchemas = QueueSchemas> {
  db: Database;
  kv: KVStore;
  queues: Producers<Q>;
  log: Logger;
  platform: PlatformName;
}

/**
 * The `Bindings` of a Hono `Env`, or a string-keyed record when the app does not declare them. It is the type of
 * `c.env` and of `ctx.env` in cron and queue handlers.
 *
 * @example
 * ```ts
 * type Bindings = BindingsOf<{ Bindings: { API_KEY: string } }>; // { API_KEY: string }
 * ```
 */
export type BindingsOf<E extends Env> = E extends { Bindings: infer B extends object }
  ? B
  : Record<string, unknown>;
/**
 * The `Variables` of a Hono `Env`, or none. {@link SkiffEnv} adds skiff's own variables (`db`, `kv`, `queues`,
 * `log`, `platform`) to them.
 *
 * @example
 * ```ts
 * type Variables = VariablesOf<{ Variables: { requestId: string } }>; // { requestId: string }
 * ```
 */
export type VariablesOf<E extends Env> = E extends { Variables: infer V extends object } ? V : object;

/**
 * The Hono `Env` of a skiff app: the user's `Bindings`, and the user's `Variables` plus skiff's own.
 *
 * @example
 * ```ts
 * type AppEnv = SkiffEnv<{ Bindings: { API_KEY: string } }, { orders: typeof Order }>;
 * const mw: MiddlewareHandler<AppEnv> = async (c, next) => { c.var.log.info("hi"); await next(); };
 * ```
 */
export type SkiffEnv<E extends Env = Env, Q extends QueueSchemas = QueueSchemas> = {
  Bindings: BindingsOf<E>;
  Variables: VariablesOf<E> & SkiffVariables<Q>;
};

/**
 * What cron and queue handlers receive besides their event: the same bindings as routes, the platform's env, and a
 * `waitUntil` that never throws.
 *
 * @example
 * ```ts
 * app.cron("0 9 * * *", async (event, ctx) => {
 *   ctx.waitUntil(ctx.kv.put("cron:last", String(event.scheduledTime)));
 * });
 * ```
 */
export interface TriggerContext<
  E extends Env = Env,
  Q extends QueueSchemas = QueueSchemas,
> extends SkiffVariables<Q> {
  env: BindingsOf<E>;
  waitUntil(promise: Promise<unknown>): void;
  /** The clients of the app's declared workflows, as `c.var.workflows` in routes. */
  workflows: WorkflowsOf<E>;
  /** The app's declared buckets, as `c.var.buckets` in routes. */
  buckets: BucketsOf<E>;
}

/**
 * The workflow clients of an env: what `new Skiff({ workflows })` folded into its `Variables`, or none. It types
 * `ctx.workflows` in cron, queue and workflow handlers.
 *
 * @example
 * ```ts
 * type Clients = WorkflowsOf<{ Variables: { workflows: WorkflowClients<{ checkout: typeof Checkout }> } }>;
 * ```
 */
export type WorkflowsOf<E extends Env> = E extends { Variables: { workflows: infer W extends object } }
  ? W
  : {};

/**
 * Options of a {@link Skiff} app.
 *
 * @example
 * ```ts
 * new Skiff({ queues: { orders: Order, emails: Email } });
 * ```
 */
export type SkiffOptions<
  Q extends QueueSchemas,
  W extends WorkflowSchemas = {},
  B extends BucketDeclarations = {},
> = HonoOptions<Env> & {
  /**
   * Every queue the app produces to or consumes from, with the schema of its bodies. Its type is inferred (see
   * {@link Skiff.withEnv}); when `Q` was not inferred, no queue may be given, so queue types are never lost silently.
   */
  queues?: [keyof Q] extends [never] ? UntypedQueues : Q;
  /** Log level and sink of the runtime logger (every platform). */
  log?: LoggerOptions;
  /** Schema migrations applied once per isolate or process, before the first query (see `Database.migrate`). */
  migrations?: readonly Migration[];
  /**
   * Every workflow of the app, with the Standard Schema of its input: it types `c.var.workflows` and the names
   * `app.workflow` accepts. Declaring any workflow declares the internal queue `skiff-workflows`.
   */
  workflows?: [keyof W] extends [never] ? UntypedWorkflows : W;
  /**
   * The cron expression of the workflow timer cron, which wakes sleeps longer than the queue's longest delay and
   * recovers overdue wakes. Default every 5 minutes; Vercel Hobby allows daily crons only (`"0 0 * * *"`).
   */
  workflowTimers?: string;
  /** How fast the workflow engine recovers from crashes and lost messages; the defaults suit production. */
  workflowTimings?: WorkflowTimings;
  /**
   * Every object-storage bucket of the app (`{ uploads: {} }`, or `{ uploads: { name: "acme-uploads" } }` when the
   * platform's bucket is named differently): it types `c.var.buckets` and the names `app.storage` accepts. R2 on
   * Workers, S3 on Lambda, files under `.skiff/buckets/` locally; see docs/storage.md.
   */
  buckets?: [keyof B] extends [never] ? UntypedBuckets : B;
};

/**
 * Recovery timings of the portable workflow engine, in milliseconds. Shorter ones recover a run sooner after a
 * crash (a killed process, a lost message) at the price of more duplicate wakes, which the engine absorbs. Defaults:
 * `leaseMs` 30 000 (an executor's lease, renewed while a step runs), `budgetMs` 25 000 (no new step starts after this
 * long in one invocation; the run continues in the next), `graceMs` 60 000 (a wake overdue by more is sent again by
 * the timer cron), `staleMs` 300 000 (a fan-out child dispatched but not started, or whose executor died, is sent
 * again after this). Recovery also needs the timer cron to fire: see `workflowTimers`.
 *
 * @example
 * ```ts
 * new Skiff({ workflows, workflowTimings: { leaseMs: 5_000, graceMs: 5_000, staleMs: 10_000 } }); // a crash test
 * ```
 */
export interface WorkflowTimings {
  leaseMs?: number;
  budgetMs?: number;
  graceMs?: number;
  staleMs?: number;
}

/**
 * The env of an app that declared workflows `W`: the user's env with `workflows` (the clients) in its `Variables`,
 * which is how `c.var.workflows` and `ctx.workflows` are typed without another type parameter on {@link Skiff}.
 *
 * @example
 * ```ts
 * type AppEnv = WithWorkflows<{ Bindings: Env }, { checkout: typeof Checkout }>;
 * ```
 */
export type WithWorkflows<E extends Env, W extends WorkflowSchemas> = E & {
  Variables: { workflows: WorkflowClients<W> };
};

/**
 * The type of the `Skiff` constructor. Queue types are inferred from `options.queues`, so give no type argument,
 * or use `withEnv` to name the env: TypeScript infers either all of a call's type arguments or none (there is no
 * partial inference), so `new Skiff<{ Bindings: Env }>({ queues })` cannot infer the queues, and skiff rejects
 * it with a message instead of leaving them untyped.
 *
 * @example
 * ```ts
 * const plain = new Skiff({ queues: { orders: Order } }); // c.env: Record<string, unknown>
 * const typed = Skiff.withEnv<{ Bindings: Env }>()({ queues: { orders: Order } }); // c.env: Env
 * ```
 */
export interface SkiffConstructor {
  new <
    E extends Env = Env,
    Q extends QueueSchemas = {},
    W extends WorkflowSchemas = {},
    B extends BucketDeclarations = {},
  >(
    options?: SkiffOptions<Q, W, B>,
  ): Skiff<WithBuckets<WithWorkflows<E, W>, B>, Q>;
  /**
   * Names the env (`Bindings`, `Variables`) as a type, then returns a function that creates the app and infers its
   * queue types from `options`: the currying is what lets TypeScript infer one while being told the other.
   *
   * @example
   * ```ts
   * const app = Skiff.withEnv<{ Bindings: Env }>()({ queues: { orders: Order } });
   * app.queue("orders", async (message, ctx) => { await ctx.env.ORDERS_KV.put(message.body.orderId, "done") });
   * ```
   */
  withEnv<E extends Env>(): <
    Q extends QueueSchemas = {},
    W extends WorkflowSchemas = {},
    B extends BucketDeclarations = {},
  >(
    options?: SkiffOptions<Q, W, B>,
  ) => Skiff<WithBuckets<WithWorkflows<E, W>, B>, Q>;
  readonly prototype: SkiffApp<Env, QueueSchemas>;
}
