import type { Env } from "hono";
import type { Database } from "./bindings/db/database.js";
import type { KVStore } from "./bindings/kv/types.js";
import type { QueueProducer } from "./bindings/queues/types.js";
import type { Logger } from "./logger.js";
import type { AnySchema, SchemaInput } from "./schema.js";

/**
 * The platforms an adapter can report. `vercel-edge` and `vercel-node` differ in what the runtime offers.
 *
 * @example
 * ```ts
 * app.get("/api/platform", (c) => c.text(c.var.platform)); // "cloudflare", "lambda", "node", ...
 * ```
 */
export type PlatformName = "cloudflare" | "vercel-edge" | "vercel-node" | "lambda" | "node" | "test" | "none";

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
}
