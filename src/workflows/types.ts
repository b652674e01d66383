import type { Env } from "hono";
import type { AnySchema, SchemaInput, SchemaOutput } from "../schema.js";
import type { QueueSchemas, TriggerContext } from "../types.js";

/**
 * A length of time: milliseconds as a number, or a string such as `"30 seconds"`, `"5 minutes"`, `"1 hour"`,
 * `"2 days"` (singular or plural units: millisecond, second, minute, hour, day, week), as in Cloudflare Workflows.
 *
 * @example
 * ```ts
 * await step.sleep("cool-off", "1 hour");
 * await step.sleep("short", 1500); // 1.5 s
 * ```
 */
export type Duration = number | `${number} ${DurationUnit}`;

/**
 * The units a {@link Duration} string accepts.
 *
 * @example
 * ```ts
 * const unit: DurationUnit = "minutes";
 * ```
 */
export type DurationUnit =
  | "millisecond"
  | "milliseconds"
  | "second"
  | "seconds"
  | "minute"
  | "minutes"
  | "hour"
  | "hours"
  | "day"
  | "days"
  | "week"
  | "weeks";

/**
 * How a step is retried after a throw. `limit` counts retries after the first attempt; the delay before retry `n`
 * (1-based) is `delay` (constant), `delay * n` (linear) or `delay * 2^(n-1)` (exponential). Default:
 * `{ limit: 3, delay: "1 second", backoff: "exponential" }`.
 *
 * @example
 * ```ts
 * await step.do("charge", { retries: { limit: 5, delay: "10 seconds", backoff: "exponential" } }, () => charge(order));
 * ```
 */
export interface RetryPolicy {
  limit?: number;
  delay?: Duration;
  backoff?: "constant" | "linear" | "exponential";
}

/**
 * What a step's function receives: the attempt (1 on the first run), a key that is the same on every attempt and
 * every replay of this step in this run (pass it to external APIs as their idempotency key), and a signal aborted
 * when the step's timeout passes.
 *
 * @example
 * ```ts
 * await step.do("charge", (s) => stripe.charges.create(params, { idempotencyKey: s.idempotencyKey }));
 * ```
 */
export interface StepAttempt {
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
}

/**
 * Options of `step.do`. `undo` compensates the step (a saga): when the run fails for good or is cancelled, the
 * undo of every completed step runs, newest first, with that step's result. Each undo runs at most once.
 *
 * @example
 * ```ts
 * await step.do("charge", { retries: { limit: 3 }, timeout: "30 seconds", undo: (charge) => refund(charge.id) }, () => chargeCard(order));
 * ```
 */
export interface StepOptions<T> {
  retries?: RetryPolicy;
  /** Longest one attempt may take before it counts as failed. Default 10 minutes. */
  timeout?: Duration;
  undo?: (result: T, attempt: StepAttempt) => unknown;
}

/**
 * A step that has been declared but not yet run: awaiting it runs it (or returns its journaled result on replay),
 * and `step.all` runs several of them in parallel. It is a `PromiseLike`, so `await` and `Promise.all` work.
 *
 * @example
 * ```ts
 * const [stock, label] = await step.all([step.do("reserve", () => reserve(order)), step.do("label", () => makeLabel(order))]);
 * ```
 */
export interface StepCall<T> extends PromiseLike<T> {
  readonly name: string;
}

/**
 * An event delivered to a waiting run by `sendEvent`.
 *
 * @example
 * ```ts
 * const approval: WorkflowEvent<{ by: string }> = await step.waitForEvent("approval", { type: "approved" });
 * ```
 */
export interface WorkflowEvent<P = unknown> {
  readonly type: string;
  readonly payload: P;
  readonly timestamp: Date;
}

/**
 * The step API a workflow handler receives. Every step has a name, unique within its run; the order of steps must
 * be the same on every replay (skiff fails a run whose replay asks for a different step at the same position).
 * Results must be JSON-serialisable and at most 1 MiB.
 *
 * @example
 * ```ts
 * app.workflow("checkout", async (event, step) => {
 *   const order = await step.do("validate", () => validate(event.payload));
 *   await step.sleep("cool-off", "1 hour");
 *   const approval = await step.waitForEvent("approval", { type: "approved", timeout: "24 hours" });
 *   return { orderId: order.id, by: approval.payload };
 * });
 * ```
 */
export interface WorkflowStep {
  do<T>(name: string, fn: (attempt: StepAttempt) => T | Promise<T>): StepCall<Awaited<T>>;
  do<T>(
    name: string,
    options: StepOptions<Awaited<T>>,
    fn: (attempt: StepAttempt) => T | Promise<T>,
  ): StepCall<Awaited<T>>;
  /** Runs the given steps in parallel, each as its own queue message, and resumes when all have finished. */
  all<const T extends readonly StepCall<unknown>[]>(
    steps: T,
  ): Promise<{ -readonly [K in keyof T]: T[K] extends StepCall<infer R> ? R : never }>;
  /** Runs `fn` over every item in parallel (at most `concurrency` at once, default 100), each item its own queue message. */
  map<I, T>(
    name: string,
    items: readonly I[],
    fn: (item: I, attempt: StepAttempt & { readonly index: number }) => T | Promise<T>,
    options?: { concurrency?: number; retries?: RetryPolicy; timeout?: Duration },
  ): Promise<Awaited<T>[]>;
  sleep(name: string, duration: Duration): Promise<void>;
  sleepUntil(name: string, time: Date | number): Promise<void>;
  /** Waits for `sendEvent(runId, { type })`; events sent before the run reaches this step are kept for it. */
  waitForEvent<P = unknown>(
    name: string,
    options: { type: string; timeout?: Duration },
  ): Promise<WorkflowEvent<P>>;
}

/**
 * What a workflow handler receives as its first argument: the run's id and its validated input.
 *
 * @example
 * ```ts
 * app.workflow("checkout", async (event, step) => step.do("log", () => `run ${event.runId} for ${event.payload.orderId}`));
 * ```
 */
export interface WorkflowStart<P> {
  readonly runId: string;
  readonly workflow: string;
  readonly payload: P;
  readonly startedAt: Date;
}

/**
 * A workflow handler: steps through `step`, bindings through `ctx` (the same as cron and queue handlers). What it
 * returns (JSON) is the run's output.
 *
 * @example
 * ```ts
 * const checkout: WorkflowHandler<Order> = async (event, step, ctx) => {
 *   await step.do("save", () => ctx.db.run(sql`INSERT INTO orders (id) VALUES (${event.payload.id})`));
 * };
 * ```
 */
export type WorkflowHandler<P, E extends Env = Env, Q extends QueueSchemas = QueueSchemas> = (
  event: WorkflowStart<P>,
  step: WorkflowStep,
  ctx: TriggerContext<E, Q>,
) => unknown;

/**
 * The status of a run. `queued`: started, not yet picked up; `running`: executing; `waiting`: suspended on a sleep,
 * an event, a retry delay or fan-out children; `completed`, `failed`, `cancelled`: ended.
 *
 * @example
 * ```ts
 * const done = (s: WorkflowStatus) => s === "completed" || s === "failed" || s === "cancelled";
 * ```
 */
export type WorkflowStatus = "queued" | "running" | "waiting" | "completed" | "failed" | "cancelled";

/**
 * An error as the journal records it.
 *
 * @example
 * ```ts
 * if (run.status === "failed") console.log(run.error?.name, run.error?.message);
 * ```
 */
export interface WorkflowErrorInfo {
  readonly name: string;
  readonly message: string;
}

/**
 * One journaled step of a run, as `get()` reports it. Fan-out children appear with their `index`.
 *
 * @example
 * ```ts
 * for (const s of run.steps) console.log(s.name, s.status, s.attempts);
 * ```
 */
export interface WorkflowStepInfo {
  readonly name: string;
  readonly kind: "do" | "all" | "map" | "sleep" | "event";
  readonly index?: number;
  readonly status: "running" | "waiting" | "completed" | "failed";
  readonly attempts: number;
  readonly output?: unknown;
  readonly error?: WorkflowErrorInfo;
  readonly compensation?: "completed" | "failed" | "interrupted";
}

/**
 * A run as `get()` reports it.
 *
 * @example
 * ```ts
 * const run = await c.var.workflows.checkout.get(id);
 * if (!run) return c.notFound();
 * return c.json({ status: run.status, output: run.output });
 * ```
 */
export interface WorkflowRun {
  readonly id: string;
  readonly workflow: string;
  readonly status: WorkflowStatus;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: WorkflowErrorInfo;
  /** When the run was created and last changed; absent where the engine does not report them (Cloudflare Workflows). */
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
  readonly steps: readonly WorkflowStepInfo[];
}

/**
 * The client of one declared workflow, on `c.var.workflows.<name>` and `ctx.workflows.<name>`. `start` validates the
 * input with the workflow's schema and is idempotent by id: starting an id that exists returns that run.
 *
 * @example
 * ```ts
 * const run = await c.var.workflows.checkout.start(input, { id: `checkout-${input.orderId}` });
 * await c.var.workflows.checkout.sendEvent(run.id, { type: "approved", payload: { by: "ops" } });
 * await c.var.workflows.checkout.cancel(run.id);
 * ```
 */
// A type-only key that carries a client's payload type (its schema's output) to `app.workflow`.
declare const PAYLOAD: unique symbol;

export interface WorkflowClient<In, Out = In> {
  /** @internal Type only (never set): the payload type handlers of this workflow receive. */
  readonly [PAYLOAD]?: Out;
  start(input: In, options?: { id?: string }): Promise<{ readonly id: string; readonly created: boolean }>;
  get(id: string): Promise<WorkflowRun | undefined>;
  sendEvent(id: string, event: { type: string; payload?: unknown }): Promise<void>;
  cancel(id: string): Promise<void>;
}

/**
 * The input schemas of an app's workflows, declared in `new Skiff({ workflows })` like queues.
 *
 * @example
 * ```ts
 * const workflows = { checkout: CheckoutInput } satisfies WorkflowSchemas;
 * ```
 */
export type WorkflowSchemas = Record<string, AnySchema>;

/**
 * The type of `c.var.workflows` and `ctx.workflows`: one {@link WorkflowClient} per declared workflow.
 *
 * @example
 * ```ts
 * type Clients = WorkflowClients<{ checkout: typeof CheckoutInput }>; // { checkout: WorkflowClient<...> }
 * ```
 */
export type WorkflowClients<W extends WorkflowSchemas> = {
  readonly [K in keyof W]: WorkflowClient<SchemaInput<W[K]>, SchemaOutput<W[K]>>;
};

/**
 * The payload type of a {@link WorkflowClient}: what `event.payload` is in its handler.
 *
 * @example
 * ```ts
 * type Payload = WorkflowPayloadOf<WorkflowClients<{ checkout: typeof Checkout }>["checkout"]>;
 * ```
 */
export type WorkflowPayloadOf<C> = C extends { readonly [PAYLOAD]?: infer O } ? O : unknown;

/**
 * The payload type a workflow handler sees: its schema's output.
 *
 * @example
 * ```ts
 * type Payload = WorkflowPayload<typeof CheckoutInput>;
 * ```
 */
export type WorkflowPayload<S extends AnySchema> = SchemaOutput<S>;
