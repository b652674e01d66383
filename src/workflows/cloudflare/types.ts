// The slice of the Cloudflare Workflows API skiff's Cloudflare engine touches, declared structurally (like the Worker
// types in src/adapters/cloudflare/types.ts) so nothing here imports `cloudflare:workers` and the mapping runs, and is
// type-checked, anywhere. test/adapters/cloudflare/workers/workflows-types-check.ts proves the real types fit.
// https://developers.cloudflare.com/workflows/build/workers-api/

/**
 * A step's configuration as Cloudflare takes it. skiff always passes every field, in milliseconds, so Cloudflare's
 * own defaults (5 retries) never apply in place of skiff's (3).
 *
 * @example
 * ```ts
 * const config: CloudflareStepConfig = { retries: { limit: 3, delay: 1000, backoff: "exponential" }, timeout: 600_000 };
 * ```
 */
export interface CloudflareStepConfig {
  retries: { limit: number; delay: number; backoff: "constant" | "linear" | "exponential" };
  timeout: number;
}

/**
 * What Cloudflare passes a step's callback: the attempt, 1 on the first run.
 *
 * @example
 * ```ts
 * await step.do("charge", config, async (ctx: CloudflareStepContext) => ctx.attempt);
 * ```
 */
export interface CloudflareStepContext {
  readonly attempt: number;
}

/**
 * The `step` of a Cloudflare Workflow's `run(event, step)`.
 *
 * @example
 * ```ts
 * const total = await step.do("total", config, async () => 42);
 * await step.sleep("cool-off", 60_000);
 * ```
 */
export interface CloudflareWorkflowStep {
  do<T>(
    name: string,
    config: CloudflareStepConfig,
    callback: (ctx: CloudflareStepContext) => Promise<T>,
  ): Promise<T>;
  sleep(name: string, duration: number): Promise<void>;
  sleepUntil(name: string, timestamp: number): Promise<void>;
  waitForEvent(
    name: string,
    options: { type: string; timeout?: number },
  ): Promise<{ readonly payload: unknown; readonly timestamp: Date; readonly type: string }>;
}

/**
 * The event a Cloudflare Workflow's `run` receives: the instance's params and id.
 *
 * @example
 * ```ts
 * const start = { runId: event.instanceId, payload: event.payload, startedAt: new Date(event.timestamp) };
 * ```
 */
export interface CloudflareWorkflowEvent<P = unknown> {
  readonly payload: P;
  readonly timestamp: Date;
  readonly instanceId: string;
}

/**
 * An instance's state as `instance.status()` reports it. `unknown` is what Cloudflare answers before it has a state.
 *
 * @example
 * ```ts
 * const { status, output, error } = await (await env.CHECKOUT_WORKFLOW.get(id)).status();
 * ```
 */
export interface CloudflareInstanceStatus {
  readonly status:
    | "queued"
    | "running"
    | "paused"
    | "errored"
    | "terminated"
    | "complete"
    | "waiting"
    | "waitingForPause"
    | "unknown";
  readonly error?: { readonly name: string; readonly message: string } | undefined;
  readonly output?: unknown;
}

/**
 * One instance of a Workflow, from `binding.get(id)` or `binding.create()`.
 *
 * @example
 * ```ts
 * await instance.sendEvent({ type: "approved", payload: { by: "ops" } });
 * ```
 */
export interface CloudflareWorkflowInstance {
  readonly id: string;
  status(): Promise<CloudflareInstanceStatus>;
  sendEvent(event: { type: string; payload: unknown }): Promise<void>;
  terminate(): Promise<void>;
}

/**
 * A Workflow binding (`[[workflows]] binding = "CHECKOUT_WORKFLOW"`).
 *
 * @example
 * ```ts
 * const instance = await env.CHECKOUT_WORKFLOW.create({ id: "checkout-o1", params: { orderId: "o1" } });
 * ```
 */
export interface CloudflareWorkflowBinding {
  get(id: string): Promise<CloudflareWorkflowInstance>;
  create(options: { id: string; params: unknown }): Promise<CloudflareWorkflowInstance>;
}
