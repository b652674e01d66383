import { SkiffError } from "../errors.js";
import { isChangeEntry, mergeChangeTriggers } from "./changes/register.js";
import type { AnySchema } from "../schema.js";
import { cronKey, validateCron } from "./cron/index.js";
import type { CronRegistration, QueueOptions, QueueRegistration, ResolvedQueueOptions } from "./types.js";
import { WORKFLOW_QUEUE, WORKFLOW_TIMER_CRON } from "../workflows/schema.js";
import { WAKE_SCHEMA } from "../workflows/wake.js";
import { WORKFLOW_QUEUE_OPTIONS, workflowConsumer, workflowTimerCron } from "../workflows/consumer.js";
import type { WorkflowRegistration } from "../workflows/registration.js";
import type { WorkflowTimings } from "../types.js";
import { isStorageConsumer, storageConsumer, storageQueue, storageSchema } from "./storage/consumer.js";
import type {
  BucketDeclaration,
  StorageEventName,
  StorageHandler,
  StorageOptions,
  StorageRegistration,
} from "./storage/types.js";

function intIn(value: number | undefined, fallback: number, min: number, max: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new SkiffError(`${what} must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
  return v;
}

/** @internal Applies defaults and checks ranges, naming the queue and option on error. */
export function resolveQueueOptions(name: string, options: QueueOptions = {}): ResolvedQueueOptions {
  const at = (option: string) => `queue "${name}": ${option}`;
  if (options.deadLetter !== undefined && (!options.deadLetter || options.deadLetter === name)) {
    throw new SkiffError(`${at("deadLetter")} must name another queue (got "${options.deadLetter}")`);
  }
  return {
    maxRetries: intIn(options.maxRetries, 3, 0, 100, at("maxRetries")),
    deadLetter: options.deadLetter,
    retryDelaySeconds: intIn(options.retryDelaySeconds, 0, 0, 43_200, at("retryDelaySeconds")),
    maxBatchSize: intIn(options.maxBatchSize, 10, 1, 100, at("maxBatchSize")),
    maxBatchTimeoutSeconds: intIn(options.maxBatchTimeoutSeconds, 5, 0, 60, at("maxBatchTimeoutSeconds")),
    visibilityTimeoutSeconds: intIn(
      options.visibilityTimeoutSeconds,
      30,
      1,
      43_200,
      at("visibilityTimeoutSeconds"),
    ),
  };
}

/**
 * Everything an app registered besides routes: cron handlers by expression, queue consumers and schemas by name.
 * Adapters dispatch through it; the CLI reads it to generate and check platform config.
 *
 * @example
 * ```ts
 * for (const [expression] of app.triggers.crons) console.log("cron", expression);
 * for (const [name, consumer] of app.triggers.queues) console.log("queue", name, consumer.options.maxRetries);
 * ```
 */
export class TriggerRegistry {
  /** Cron handlers keyed by normalised expression; several handlers may share one expression. */
  readonly crons = new Map<string, CronRegistration[]>();
  /** Queue consumers by queue name (one per queue, as on every platform). */
  readonly queues = new Map<string, QueueRegistration>();
  /** Declared queues and their body schemas. */
  readonly schemas = new Map<string, AnySchema>();
  /** Declared workflows and their input schemas (`new Skiff({ workflows })`). */
  readonly workflowSchemas = new Map<string, AnySchema>();
  /** Implemented workflows (`app.workflow()`), by name. */
  readonly workflows = new Map<string, WorkflowRegistration>();
  /** The expression of the timer cron of workflows (`new Skiff({ workflowTimers })`). */
  workflowTimerCron: string = WORKFLOW_TIMER_CRON;
  /** Recovery timings of the workflow engine (`new Skiff({ workflowTimings })`); defaults where absent. */
  workflowTimings: WorkflowTimings = {};
  /** Declared buckets (`new Skiff({ buckets })`), by the app's name. */
  readonly buckets = new Map<string, BucketDeclaration>();
  /** Storage handlers (`app.storage()`) by bucket, in registration order. */
  readonly storage = new Map<string, StorageRegistration[]>();

  /** @internal Declares a bucket: a name every platform accepts, and an optional platform bucket name. */
  addBucket(name: string, declaration: BucketDeclaration = {}): void {
    if (!/^[A-Za-z0-9_-]{1,49}$/.test(name))
      throw new SkiffError(
        `bucket name "${name}" must be 1–49 letters, digits, "-" or "_" (its internal queue is "${storageQueue(name)}", and queue names stop at 63)`,
      );
    const platform = declaration.name;
    if (
      platform !== undefined &&
      (typeof platform !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(platform))
    )
      throw new SkiffError(
        `bucket "${name}": name must be a platform bucket name: 3–63 lower-case letters, digits, "-" or "." (got ${JSON.stringify(platform)})`,
      );
    const existing = this.buckets.get(name);
    if (existing && existing.name !== platform)
      throw new SkiffError(`bucket "${name}" is declared twice with different names`);
    this.buckets.set(name, { ...(platform !== undefined ? { name: platform } : {}) });
  }

  /**
   * @internal Registers a storage handler; the bucket's first also declares its internal queue
   * (`skiff-storage-<bucket>`) and registers the consumer that runs the bucket's handlers, so every adapter and the
   * generated config carry storage events as an ordinary queue.
   */
  addStorage(bucket: string, handler: StorageHandler, options: StorageOptions = {}): void {
    if (!this.buckets.has(bucket)) {
      const declared = [...this.buckets.keys()].map((n) => `"${n}"`).join(", ") || "none";
      throw new SkiffError(
        `app.storage("${bucket}") names a bucket the app does not declare; add it to new Skiff({ buckets: { ${bucket}: {} } }) (declared: ${declared})`,
      );
    }
    const { events = ["created", "deleted"], prefix = "", suffix = "", ...queueOptions } = options;
    const kinds: readonly StorageEventName[] = typeof events === "string" ? [events] : [...events];
    if (!kinds.length || kinds.some((e) => e !== "created" && e !== "deleted"))
      throw new SkiffError(
        `app.storage("${bucket}"): events must be "created", "deleted" or both (got ${JSON.stringify(events)})`,
      );
    if (typeof prefix !== "string" || typeof suffix !== "string")
      throw new SkiffError(`app.storage("${bucket}"): prefix and suffix must be strings`);
    const queue = storageQueue(bucket);
    const given = Object.keys(queueOptions).length ? queueOptions : undefined;
    const resolved = resolveQueueOptions(queue, given);
    const consumer = this.queues.get(queue);
    const list = this.storage.get(bucket) ?? [];
    const owner = list.some((r) => r.queueOptions);
    if (consumer && given && owner && JSON.stringify(consumer.options) !== JSON.stringify(resolved))
      throw new SkiffError(
        `app.storage("${bucket}"): every handler of a bucket shares its queue "${queue}", so give its queue options (maxRetries, deadLetter, ...) once, or the same each time`,
      );
    list.push({ bucket, events: kinds, prefix, suffix, handler, queueOptions: given });
    this.storage.set(bucket, list);
    if (!consumer) {
      this.addSchema(queue, storageSchema(bucket));
      this.addQueue({
        name: queue,
        kind: "message",
        handler: storageConsumer(() => this.storage.get(bucket) ?? []),
        options: resolved,
      });
    } else if (given && !owner) {
      // The first handler gave no options (defaults); this one's become the queue's.
      this.queues.set(queue, { ...consumer, options: resolved });
    }
  }

  /**
   * @internal Declares a workflow; the first one also declares the internal queue `skiff-workflows` that carries
   * every wake of every workflow (ids only).
   */
  addWorkflowSchema(name: string, schema: AnySchema): void {
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) {
      throw new SkiffError(`workflow name "${name}" must be 1–63 letters, digits, "-" or "_"`);
    }
    const existing = this.workflowSchemas.get(name);
    if (existing && existing !== schema)
      throw new SkiffError(`workflow "${name}" is declared twice with different schemas`);
    if (typeof schema?.["~standard"]?.validate !== "function") {
      throw new SkiffError(
        `workflow "${name}": its input schema must be a Standard Schema (zod, valibot, arktype, ...)`,
      );
    }
    this.workflowSchemas.set(name, schema);
    this.addSchema(WORKFLOW_QUEUE, WAKE_SCHEMA);
  }

  /**
   * @internal Implements a declared workflow; the first one also registers the engine as the consumer of
   * `skiff-workflows` and the timer cron, so every adapter and generated config carries them as ordinary entries.
   */
  addWorkflow(registration: WorkflowRegistration): void {
    if (!this.workflowSchemas.has(registration.name)) {
      const declared = [...this.workflowSchemas.keys()].map((n) => `"${n}"`).join(", ") || "none";
      throw new SkiffError(
        `workflow "${registration.name}" has a handler but is not declared; add it to new Skiff({ workflows: { ${registration.name}: schema } }) (declared: ${declared})`,
      );
    }
    if (this.workflows.has(registration.name)) {
      throw new SkiffError(
        `workflow "${registration.name}" already has a handler; a workflow has exactly one`,
      );
    }
    this.workflows.set(registration.name, registration);
    if (!this.queues.has(WORKFLOW_QUEUE)) {
      this.addQueue({
        name: WORKFLOW_QUEUE,
        kind: "batch",
        handler: workflowConsumer,
        options: WORKFLOW_QUEUE_OPTIONS,
      });
      this.addCron({ expression: this.workflowTimerCron, handler: workflowTimerCron });
    }
  }

  /** @internal The engine's recovery timings (`new Skiff({ workflowTimings })`), checked: positive whole ms. */
  setWorkflowTimings(timings: WorkflowTimings): void {
    for (const [key, value] of Object.entries(timings)) {
      if (!["leaseMs", "budgetMs", "graceMs", "staleMs"].includes(key)) {
        throw new SkiffError(
          `workflowTimings.${key} is not a timing; use leaseMs, budgetMs, graceMs or staleMs`,
        );
      }
      if (value !== undefined && (!Number.isInteger(value) || value < 100 || value > 86_400_000)) {
        throw new SkiffError(
          `workflowTimings.${key} must be a whole number of milliseconds from 100 to 86400000 (got ${String(value)})`,
        );
      }
    }
    this.workflowTimings = { ...timings };
  }

  /** @internal Sets the timer cron's expression (before any workflow is implemented). */
  setWorkflowTimerCron(expression: string): void {
    validateCron(expression);
    this.workflowTimerCron = expression;
  }

  /** @internal */
  addCron(registration: CronRegistration): void {
    validateCron(registration.expression);
    const key = cronKey(registration.expression);
    const list = this.crons.get(key) ?? [];
    list.push(registration);
    this.crons.set(key, list);
  }

  /** @internal */
  addQueue(registration: QueueRegistration): void {
    if (!this.schemas.has(registration.name)) {
      const declared = [...this.schemas.keys()].map((n) => `"${n}"`).join(", ") || "none";
      throw new SkiffError(
        `queue "${registration.name}" has a consumer but is not declared; add it to new Skiff({ queues: { ${registration.name}: schema } }) (declared: ${declared})`,
      );
    }
    if (this.queues.has(registration.name)) {
      throw new SkiffError(
        `queue "${registration.name}" already has a consumer; a queue has exactly one consumer`,
      );
    }
    this.queues.set(registration.name, registration);
  }

  /** @internal */
  addSchema(name: string, schema: AnySchema): void {
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) {
      throw new SkiffError(
        `queue name "${name}" must be 1–63 letters, digits, "-" or "_" (the names every platform accepts)`,
      );
    }
    const existing = this.schemas.get(name);
    if (existing && existing !== schema)
      throw new SkiffError(`queue "${name}" is declared twice with different schemas`);
    if (typeof schema?.["~standard"]?.validate !== "function") {
      throw new SkiffError(
        `queue "${name}": its schema must be a Standard Schema (zod, valibot, arktype, ...)`,
      );
    }
    this.schemas.set(name, schema);
  }

  /** @internal Adds a mounted sub-app's registrations to this one. */
  merge(other: TriggerRegistry): void {
    if (other === this) return;
    for (const [name, schema] of other.schemas) this.addSchema(name, schema);
    for (const [name, schema] of other.workflowSchemas) this.addWorkflowSchema(name, schema);
    for (const [name, declaration] of other.buckets) this.addBucket(name, declaration);
    // The engine's own queue consumer and timer cron are registered once, by addWorkflow().
    for (const list of other.crons.values())
      for (const r of list) if (r.handler !== workflowTimerCron && !isChangeEntry(r)) this.addCron(r);
    // A bucket's queue consumer is this registry's own, registered by addStorage().
    for (const r of other.queues.values())
      if (r.name !== WORKFLOW_QUEUE && !isStorageConsumer(r.handler) && !isChangeEntry(r)) this.addQueue(r);
    // Likewise the change consumer and relay cron: the sub-app's change handlers join this app's.
    mergeChangeTriggers(this, other);
    for (const r of other.workflows.values()) this.addWorkflow(r);
    for (const list of other.storage.values())
      for (const r of list)
        this.addStorage(r.bucket, r.handler, {
          ...r.queueOptions,
          events: r.events,
          prefix: r.prefix,
          suffix: r.suffix,
        });
  }
}
