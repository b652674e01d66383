import { SkiffError } from "../errors.js";
import type { AnySchema } from "../schema.js";
import { cronKey, validateCron } from "./cron/index.js";
import type { CronRegistration, QueueOptions, QueueRegistration, ResolvedQueueOptions } from "./types.js";

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
    for (const list of other.crons.values()) for (const r of list) this.addCron(r);
    for (const r of other.queues.values()) this.addQueue(r);
  }
}
