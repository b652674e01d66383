import type { LoggerOptions } from "./logger.js";
import type { Migration } from "./bindings/db/migrate.js";
import type { TriggerRegistry } from "./triggers/registry.js";
import type { BucketDeclarations } from "./triggers/storage/types.js";
import type { QueueSchemas, SkiffOptions } from "./types.js";
import type { WorkflowSchemas } from "./workflows/types.js";

/**
 * @internal The key of an app's trigger registry; symbol-keyed so that `basePath()` copies can share it.
 *
 * @example
 * ```ts
 * const registry = (app as { [TRIGGERS]?: TriggerRegistry })[TRIGGERS]; // undefined for a plain Hono app
 * ```
 */
export const TRIGGERS = Symbol.for("skiff.triggers");

/**
 * @internal What a skiff app carries besides Hono's state: its registry, log options and migrations. Defined
 * non-enumerable on the app and on each `basePath()` copy, which shares the original's.
 *
 * @example
 * ```ts
 * defineAppState(this, { registry: new TriggerRegistry(), log: options.log, migrations: options.migrations });
 * ```
 */
export function defineAppState(
  app: object,
  state: {
    registry: TriggerRegistry;
    log: LoggerOptions | undefined;
    migrations: readonly Migration[] | undefined;
  },
): void {
  Object.defineProperty(app, TRIGGERS, { value: state.registry, enumerable: false });
  Object.defineProperty(app, "logOptions", { value: state.log, enumerable: false });
  Object.defineProperty(app, "migrations", { value: state.migrations, enumerable: false });
}

/**
 * @internal Declares what `new Skiff(options)` names in the registry: queues with their schemas, workflows, buckets
 * and the workflow timer settings.
 *
 * @example
 * ```ts
 * declareOptions(this.triggers, { queues: { orders: Order }, workflows: { checkout: Checkout } });
 * ```
 */
export function declareOptions<Q extends QueueSchemas>(
  registry: TriggerRegistry,
  options: Pick<
    SkiffOptions<Q, WorkflowSchemas, BucketDeclarations>,
    "queues" | "workflows" | "workflowTimers" | "workflowTimings" | "buckets"
  >,
): void {
  for (const [name, schema] of Object.entries((options.queues ?? {}) as QueueSchemas))
    registry.addSchema(name, schema);
  if (options.workflowTimers !== undefined) registry.setWorkflowTimerCron(options.workflowTimers);
  if (options.workflowTimings !== undefined) registry.setWorkflowTimings(options.workflowTimings);
  for (const [name, schema] of Object.entries((options.workflows ?? {}) as WorkflowSchemas))
    registry.addWorkflowSchema(name, schema);
  for (const [name, declaration] of Object.entries((options.buckets ?? {}) as BucketDeclarations))
    registry.addBucket(name, declaration);
}
