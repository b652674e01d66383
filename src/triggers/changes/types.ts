import type { Env } from "hono";
import type { QueueSchemas, TriggerContext } from "../../types.js";

/**
 * The kinds of change `app.onChange` reacts to: one per SQL trigger (`AFTER INSERT`, `AFTER UPDATE`,
 * `AFTER DELETE`).
 *
 * @example
 * ```ts
 * const watched: ChangeOperation[] = ["insert", "update"];
 * app.onChange("users", watched, (change) => console.log(change.operation, change.key));
 * ```
 */
export type ChangeOperation = "insert" | "update" | "delete";

/**
 * The primary key of a changed row: the value of a one-column key (the rowid for a table without a declared key),
 * or the values of a composite key, in key order.
 *
 * @example
 * ```ts
 * const single: ChangeKey = 42;
 * const composite: ChangeKey = ["acme", "u1"]; // PRIMARY KEY (tenant, id)
 * ```
 */
export type ChangeKey = string | number | null | readonly (string | number | null)[];

/**
 * One change of one row, as a handler receives it. `row` is the row after the change (`null` for a delete), `old`
 * the row before it (`null` for an insert), both with every column of the table as JSON gives it (BLOBs as hex
 * strings, integers beyond 2^53 rounded). `changeId` is unique per change and handler: use it as an idempotency
 * key, since delivery is at least once. `time` is when the change was committed to the outbox.
 *
 * @example
 * ```ts
 * app.onChange<{ id: number; email: string }>("users", "insert", async (change, ctx) => {
 *   await ctx.queues.emails.send({ to: change.row!.email, dedupe: `welcome-${change.changeId}` });
 * });
 * ```
 */
export interface ChangeEvent<R extends Record<string, unknown> = Record<string, unknown>> {
  readonly table: string;
  readonly operation: ChangeOperation;
  readonly key: ChangeKey;
  readonly row: R | null;
  readonly old: R | null;
  readonly changeId: number;
  readonly time: Date;
}

/**
 * A change handler: returning settles the change, throwing retries it (and holds back every later change of the
 * same row until it succeeds or is dead-lettered). It receives the same bindings as cron and queue handlers.
 *
 * @example
 * ```ts
 * const audit: ChangeHandler = async (change, ctx) => {
 *   await ctx.db.run(sql`INSERT INTO audit (tbl, op, at) VALUES (${change.table}, ${change.operation}, ${Date.now()})`);
 * };
 * app.onChange("orders", ["insert", "update", "delete"], audit);
 * ```
 */
export type ChangeHandler<
  E extends Env = Env,
  Q extends QueueSchemas = QueueSchemas,
  R extends Record<string, unknown> = Record<string, unknown>,
> = (change: ChangeEvent<R>, ctx: TriggerContext<E, Q>) => unknown;

/**
 * Options of one `app.onChange` handler. `name` identifies the handler in the outbox, so pending changes survive a
 * deploy: it defaults to `<table>:<operations>` and must be given when two handlers watch the same table and
 * operations. `maxRetries`, `deadLetter` and `retryDelaySeconds` mean what they mean for a queue consumer; the
 * dead-letter queue receives the {@link ChangeEvent} (with `time` as an ISO string).
 *
 * @example
 * ```ts
 * app.onChange("users", "insert", sendWelcome, { name: "welcome", maxRetries: 5, deadLetter: "changes-dlq" });
 * ```
 */
export interface ChangeOptions {
  /** Stable name of the handler, 1–63 letters, digits, "-", "_", ":" or ",". Default `<table>:<operations>`. */
  readonly name?: string;
  /** Retries after the first attempt before the change is dead-lettered. Default 3. */
  readonly maxRetries?: number;
  /** A declared queue that receives changes that exhausted their retries. Without it they are dropped with an error log. */
  readonly deadLetter?: string;
  /** Delay of a retry after a throw, in seconds (0–43200). Default 0. */
  readonly retryDelaySeconds?: number;
  /**
   * The expression of the app's one relay cron, the backstop that relays what no request did (default every
   * minute). App-wide: give it on the first `onChange`, or the same on each. Vercel Hobby needs a daily one.
   */
  readonly relayCron?: string;
}

/** @internal One registered handler with its options resolved. */
export interface ChangeSubscription {
  readonly name: string;
  readonly table: string;
  readonly operations: ReadonlySet<ChangeOperation>;
  readonly handler: ChangeHandler;
  readonly maxRetries: number;
  readonly deadLetter: string | undefined;
  readonly retryDelaySeconds: number;
}
