import { queueNameMap } from "../../bindings/queues/names.js";
import { SkiffError } from "../../errors.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { QueueSchemas } from "../../types.js";
import { workflowBindingName } from "../../workflows/cloudflare/names.js";

/**
 * Binding names of {@link toCloudflare}, declared once. Every default matches the `wrangler.toml` that ships with
 * the shop example, so most apps pass nothing.
 *
 * @example
 * ```ts
 * export default toCloudflare(app, {
 *   kv: "CACHE",                                   // [[kv_namespaces]] binding = "CACHE"
 *   queues: { orders: "ORDER_QUEUE" },             // [[queues.producers]] binding = "ORDER_QUEUE"
 *   queueNames: { "orders-production": "orders" }, // Cloudflare queue name -> the app's queue
 * });
 * ```
 */
export interface CloudflareOptions<Q extends QueueSchemas = QueueSchemas> {
  /** The KV namespace binding behind `kv`. Default `"KV"`. */
  kv?: string;
  /** The Queue producer binding of each app queue. Default: the name in upper snake case (`orders-dlq` → `ORDERS_DLQ`). */
  queues?: { readonly [N in keyof Q & string]?: string };
  /** The R2 binding of each app bucket. Default: the name in upper snake case (`uploads` → `UPLOADS`). */
  buckets?: Readonly<Record<string, string>>;
  /** The app queue each Cloudflare queue (`batch.queue`) delivers to. Default: the same name. */
  queueNames?: Readonly<Record<string, keyof Q & string>>;
  /**
   * Which engine runs the app's workflows. `"portable"` (the default): skiff's own, journal in the database, wake-ups
   * on the `skiff-workflows` queue. `"cloudflare"`: Cloudflare Workflows, one `[[workflows]]` binding per workflow
   * (default `<NAME>_WORKFLOW`) and the entrypoint classes exported from the Worker (`cloudflareWorkflows()` from
   * `skiff/cloudflare/workflows`).
   */
  workflows?: CloudflareWorkflowsOption;
}

/**
 * The `workflows` option of {@link toCloudflare}: the engine, and for Cloudflare Workflows the binding of each
 * workflow when it is not the default (`checkout` → `CHECKOUT_WORKFLOW`).
 *
 * @example
 * ```ts
 * toCloudflare(app, { workflows: { engine: "cloudflare", bindings: { checkout: "CHECKOUT" } } });
 * ```
 */
export type CloudflareWorkflowsOption =
  | { readonly engine: "portable" }
  | { readonly engine: "cloudflare"; readonly bindings?: Readonly<Record<string, string>> };

/**
 * @internal {@link CloudflareOptions} resolved and checked against the app.
 *
 * @example
 * ```ts
 * const names = resolveBindingNames(app.triggers, { queues: { orders: "ORDER_QUEUE" } });
 * names.queueBinding("orders"); // "ORDER_QUEUE"
 * ```
 */
export interface BindingNames {
  kv: string;
  /** The Workflow binding of each app workflow when the engine is Cloudflare's; undefined on the portable engine. */
  workflowBinding: ((workflow: string) => string) | undefined;
  queueBinding(appQueue: string): string;
  appQueue(cloudflareQueue: string): string;
  /** The R2 binding of an app bucket. */
  bucketBinding(bucket: string): string;
}

/**
 * The default binding name of a queue: upper snake case, the convention of Cloudflare's examples.
 *
 * @example
 * ```ts
 * queueBindingName("orders-dlq");  // "ORDERS_DLQ"
 * queueBindingName("emailEvents"); // "EMAIL_EVENTS"
 * ```
 */
export function queueBindingName(queue: string): string {
  return queue
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

const BINDING = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * @internal Applies defaults and checks every name against the app's declared queues, naming the bad option.
 *
 * @example
 * ```ts
 * resolveBindingNames(app.triggers, { queueNames: { "orders-prod": "orders" } }).appQueue("orders-prod"); // "orders"
 * ```
 */
export function resolveBindingNames(
  registry: TriggerRegistry,
  options: CloudflareOptions = {},
): BindingNames {
  const declared = [...registry.schemas.keys()];
  const known = declared.map((n) => `"${n}"`).join(", ") || "none";
  const kv = options.kv ?? "KV";
  if (!BINDING.test(kv)) throw new SkiffError(`toCloudflare: kv must be a binding name (got "${kv}")`);
  const queues = new Map<string, string>();
  for (const [queue, binding] of Object.entries(options.queues ?? {})) {
    if (!registry.schemas.has(queue))
      throw new SkiffError(
        `toCloudflare: queues.${queue} names a queue the app does not declare (declared: ${known})`,
      );
    if (typeof binding !== "string" || !BINDING.test(binding)) {
      throw new SkiffError(`toCloudflare: queues.${queue} must be a binding name (got "${String(binding)}")`);
    }
    queues.set(queue, binding);
  }
  const buckets = new Map<string, string>();
  for (const [bucket, binding] of Object.entries(options.buckets ?? {})) {
    if (!registry.buckets.has(bucket))
      throw new SkiffError(
        `toCloudflare: buckets.${bucket} names a bucket the app does not declare (declared: ${[...registry.buckets.keys()].map((n) => `"${n}"`).join(", ") || "none"})`,
      );
    if (typeof binding !== "string" || !BINDING.test(binding))
      throw new SkiffError(
        `toCloudflare: buckets.${bucket} must be a binding name (got "${String(binding)}")`,
      );
    buckets.set(bucket, binding);
  }
  return {
    kv,
    bucketBinding: (bucket) => buckets.get(bucket) ?? queueBindingName(bucket),
    workflowBinding: resolveWorkflowBindings(workflowNames(registry), options.workflows),
    queueBinding: (appQueue) => queues.get(appQueue) ?? queueBindingName(appQueue),
    appQueue: queueNameMap(registry.schemas, options.queueNames, "toCloudflare: queueNames"),
  };
}

/** @internal The workflows an app declares (`new Skiff({ workflows })`). */
export function workflowNames(registry: TriggerRegistry): string[] {
  return [...registry.workflowSchemas.keys()];
}

function resolveWorkflowBindings(
  declared: readonly string[],
  option: CloudflareWorkflowsOption | undefined,
): BindingNames["workflowBinding"] {
  if (option === undefined || option.engine === "portable") return undefined;
  if (option.engine !== "cloudflare") {
    throw new SkiffError(
      `toCloudflare: workflows.engine must be "portable" or "cloudflare" (got ${JSON.stringify((option as { engine?: unknown }).engine)})`,
    );
  }
  const known = declared.map((n) => `"${n}"`).join(", ") || "none";
  const bindings = new Map<string, string>();
  for (const [workflow, binding] of Object.entries(option.bindings ?? {})) {
    if (!declared.includes(workflow))
      throw new SkiffError(
        `toCloudflare: workflows.bindings.${workflow} names a workflow the app does not declare (declared: ${known})`,
      );
    if (typeof binding !== "string" || !BINDING.test(binding)) {
      throw new SkiffError(
        `toCloudflare: workflows.bindings.${workflow} must be a binding name (got "${String(binding)}")`,
      );
    }
    bindings.set(workflow, binding);
  }
  return (workflow) => bindings.get(workflow) ?? workflowBindingName(workflow);
}
