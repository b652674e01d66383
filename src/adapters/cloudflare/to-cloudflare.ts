import type { Env } from "hono";
import type { BlankSchema, Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { createRuntime, runtimeContext, type SkiffRuntime } from "../../runtime.js";
import { ConfigError } from "../../errors.js";
import { cronKey } from "../../triggers/cron/index.js";
import type { BindingsOf, QueueSchemas } from "../../types.js";
import { type CloudflareOptions, resolveBindingNames } from "./options.js";
import { cloudflareRuntimeOptions } from "./runtime.js";
import type { CloudflareMessage, CloudflareWorker, WorkerBindings } from "./types.js";

/**
 * Turns a skiff app into a Cloudflare Worker: `export default toCloudflare(app)` gives workerd the `fetch`,
 * `scheduled` and `queue` handlers. The bindings (`db`, `kv`, `queues`) are created once per isolate, on the first
 * invocation, from that invocation's `env` (bindings are fixed for a deployed version), and shared by every
 * request, cron run and batch the isolate serves. Options are checked now, against the app's declared queues.
 *
 * - `scheduled` runs every handler registered for `controller.cron` and rejects when one fails or none is
 *   registered, so the run shows as failed in the Worker's Cron Events instead of vanishing (configuration
 *   failures also call `controller.noRetry()`).
 * - `queue` maps `batch.queue` to the app's queue, runs skiff's delivery contract (validation, per-message retry,
 *   dead-letter sends) and settles each Cloudflare message explicitly: retried → `retry({ delaySeconds })`,
 *   everything else → `ack()`.
 * - `waitUntil` (`c.executionCtx.waitUntil`, `ctx.waitUntil`) is the Worker's `ctx.waitUntil`.
 *
 * @example
 * ```ts
 * // examples/shop/worker.ts, deployed with `wrangler deploy`
 * import { toCloudflare } from "skiff/cloudflare";
 * import { app } from "./app.js";
 *
 * export default toCloudflare(app);
 * ```
 */
export function toCloudflare<
  E extends Env,
  Q extends QueueSchemas,
  S extends Schema = BlankSchema,
  P extends string = "/",
>(app: Skiff<E, Q, S, P>, options: CloudflareOptions<Q> = {}): CloudflareWorker<WorkerBindings<E>> {
  const names = resolveBindingNames(app.triggers, options as CloudflareOptions);
  // Per toCloudflare() call, never module state: two Workers built from one app do not share clients.
  let runtime: SkiffRuntime | undefined;
  // workerd always passes the env object; typed `unknown` only so any `ExportedHandler<Env>` accepts the Worker.
  const runtimeFor = (env: unknown): SkiffRuntime =>
    (runtime ??= createRuntime(app, cloudflareRuntimeOptions(env as Record<string, unknown>, names)));

  return {
    async fetch(request, env, ctx) {
      return app.fetch(request, env as BindingsOf<E>, runtimeContext(runtimeFor(env), ctx));
    },

    // Awaited, not handed to waitUntil: a rejection is how Workers records a failed cron run. A run that failed on
    // configuration (no handler for the expression, a missing binding or variable) opts out of Cloudflare's retry,
    // which could not fix it. https://developers.cloudflare.com/workers/runtime-apis/handlers/scheduled/
    async scheduled(controller, env, ctx) {
      const event = { cron: controller.cron, scheduledTime: controller.scheduledTime };
      try {
        await runtimeFor(env).fire(event, (promise) => ctx.waitUntil(promise));
      } catch (error) {
        if (!app.triggers.crons.has(cronKey(controller.cron)) || isConfigError(error)) controller.noRetry?.();
        throw error;
      }
    },

    // Every message is settled explicitly, so nothing depends on the handler's outcome: a throw here (a batch
    // for a queue with no consumer) is the only way the whole batch is retried.
    // https://developers.cloudflare.com/queues/configuration/batching-retries/#explicit-acknowledgement-and-retries
    async queue(batch, env, ctx) {
      const queue = names.appQueue(batch.queue);
      const incoming = batch.messages.map((m) => ({
        id: m.id,
        body: m.body,
        attempts: m.attempts,
        timestamp: m.timestamp,
      }));
      const results = await runtimeFor(env).deliver(queue, incoming, (promise) => ctx.waitUntil(promise));
      const byId = new Map<string, CloudflareMessage>(batch.messages.map((m) => [m.id, m]));
      for (const result of results) {
        const message = byId.get(result.id);
        if (result.outcome === "retried") message?.retry({ delaySeconds: result.delaySeconds ?? 0 });
        else message?.ack(); // acked, dead-lettered (already sent by skiff) or dropped (logged)
      }
    },
  };
}

// Every handler of the run failed on configuration (one handler's error, or all of several).
function isConfigError(error: unknown): boolean {
  return error instanceof AggregateError ? error.errors.every(isConfigError) : error instanceof ConfigError;
}
