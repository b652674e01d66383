import type { Env } from "hono";
import type { BlankSchema, Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import type { BindingsOf, QueueSchemas, WorkflowsOf } from "../../types.js";
import { type CloudflareOptions, resolveBindingNames } from "./options.js";
import { cloudflareRuntimeOptions } from "./runtime.js";
import { fetchHandler } from "./http.js";
import { queueHandler } from "./queue.js";
import { scheduledHandler } from "./scheduled.js";
import type { CloudflareWorker, WorkerBindings } from "./types.js";
import { attachWorkflowHost } from "./_workflow-host.js";
import { cloudflareWorkflowClients } from "./workflow-clients.js";

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
 * - `workflows: { engine: "cloudflare" }` runs the app's workflows on Cloudflare Workflows: `c.var.workflows` and
 *   `ctx.workflows` go through the `[[workflows]]` bindings, and `cloudflareWorkflows(worker)` (from
 *   `skiff/cloudflare/workflows`) gives the entrypoint classes to export.
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
>(
  app: Skiff<E, Q, S, P>,
  options: CloudflareOptions<Q> = {},
): CloudflareWorker<WorkerBindings<E>> & { readonly "~workflows"?: keyof WorkflowsOf<E> & string } {
  // "~workflows" exists only in the type: it carries the workflow names to cloudflareWorkflows(worker).
  const names = resolveBindingNames(app.triggers, options as CloudflareOptions);
  // Per toCloudflare() call, never module state: two Workers built from one app do not share clients.
  let runtime: SkiffRuntime | undefined;
  // workerd always passes the env object; typed `unknown` only so any `ExportedHandler<Env>` accepts the Worker.
  const workflows = cloudflareWorkflowClients(names);
  const runtimeFor = (env: unknown): SkiffRuntime =>
    (runtime ??= createRuntime(app, {
      ...cloudflareRuntimeOptions(env as Record<string, unknown>, names),
      ...(workflows ? { workflows } : {}),
    }));

  const worker = {
    fetch: fetchHandler((request, env, ctx) => app.fetch(request, env as BindingsOf<E>, ctx), runtimeFor),
    scheduled: scheduledHandler(app.triggers, runtimeFor),
    queue: queueHandler(names, runtimeFor),
  };
  return attachWorkflowHost(worker, { registry: app.triggers, names, runtimeFor });
}
