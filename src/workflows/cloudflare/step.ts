import { SkiffError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { durationMs } from "../duration.js";
import { NonRetryableError, toErrorInfo, WorkflowStepError, WorkflowTimeoutError } from "../errors.js";
import { checkStepName, encodeValue, WORKFLOW_LIMITS } from "../limits.js";
import type {
  Duration,
  RetryPolicy,
  StepAttempt,
  StepCall,
  StepOptions,
  WorkflowEvent,
  WorkflowStep,
} from "../types.js";
import type { WorkflowOptions } from "../registration.js";
import { lazyStep, pool, settleAll } from "./_calls.js";
import type { CloudflareStepConfig, CloudflareWorkflowStep } from "./types.js";

/**
 * @internal A completed step with an `undo`, in completion order: what compensation runs, newest first.
 */
export interface CompletedStep {
  readonly name: string;
  readonly result: unknown;
  readonly undo: (result: unknown, attempt: StepAttempt) => unknown;
  readonly config: CloudflareStepConfig;
}

/**
 * @internal What the mapping needs besides Cloudflare's `step`: the run, its logger, and how to make Cloudflare's
 * own `NonRetryableError` (from `cloudflare:workflows`, which only the Worker entry imports).
 */
export interface CloudflareStepContext {
  readonly runId: string;
  readonly workflow: string;
  readonly log: Logger;
  readonly nonRetryable: (error: Error) => Error;
  /** The workflow's step defaults; a step's own `retries` and `timeout` win. */
  readonly defaults: WorkflowOptions;
}

const DEFAULT_TIMEOUT = "10 minutes";

/** @internal skiff's retry defaults (limit 3, 1 s, exponential), always passed so Cloudflare's (limit 5) never apply. */
export function stepConfig(
  what: string,
  retries: RetryPolicy | undefined,
  timeout: Duration | undefined,
): CloudflareStepConfig {
  const limit = retries?.limit ?? 3;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new SkiffError(`${what}: retries.limit must be an integer ≥ 0 (got ${String(retries?.limit)})`);
  }
  const backoff = retries?.backoff ?? "exponential";
  if (!["constant", "linear", "exponential"].includes(backoff)) {
    throw new SkiffError(
      `${what}: retries.backoff must be "constant", "linear" or "exponential" (got "${backoff}")`,
    );
  }
  return {
    retries: { limit, delay: durationMs(retries?.delay ?? "1 second", `${what}: retries.delay`), backoff },
    timeout: durationMs(timeout ?? DEFAULT_TIMEOUT, `${what}: timeout`),
  };
}

/**
 * skiff's step API on top of Cloudflare's, for one execution of `run(event, step)`. Each `step.do` is one Cloudflare
 * `step.do` with skiff's retry policy and timeout; results go through JSON (and its 1 MiB limit) so a handler sees the
 * same value on the first run and on every replay; `all` and `map` are parallel Cloudflare steps in this instance;
 * sleeps and events are Cloudflare's. Completed steps with an `undo` are kept in `completed` for compensation.
 *
 * @example
 * ```ts
 * const stepper = new CloudflareStepper(step, { runId: event.instanceId, workflow: "checkout", log, nonRetryable });
 * const output = await handler(start, stepper.step, ctx);
 * ```
 */
export class CloudflareStepper {
  readonly completed: CompletedStep[] = [];
  readonly step: WorkflowStep;
  readonly #cf: CloudflareWorkflowStep;
  readonly #context: CloudflareStepContext;
  readonly #names = new Set<string>();

  constructor(cf: CloudflareWorkflowStep, context: CloudflareStepContext) {
    this.#cf = cf;
    this.#context = context;
    this.step = this.#api();
  }

  /** The idempotency key of a step: the same on every attempt and replay of that step in this run. */
  idempotencyKey(name: string): string {
    return `${this.#context.workflow}:${this.#context.runId}:${name}`;
  }

  // A step name is claimed when the step is declared; a second use fails the run (steps are matched by name).
  #claim(name: string): void {
    checkStepName(name);
    if (this.#names.has(name)) {
      throw new SkiffError(
        `workflow "${this.#context.workflow}": step name "${name}" is used twice in one run; give every step a unique name`,
      );
    }
    this.#names.add(name);
  }

  #config(
    what: string,
    retries: RetryPolicy | undefined,
    timeout: Duration | undefined,
  ): CloudflareStepConfig {
    const defaults = this.#context.defaults;
    // As on the portable engine, a step's `retries` replaces the workflow's, as a whole.
    return stepConfig(what, retries ?? defaults.retries, timeout ?? defaults.timeout);
  }

  #api(): WorkflowStep {
    const declare = <T>(name: string, run: () => Promise<T>): StepCall<T> => {
      try {
        this.#claim(name);
      } catch (error) {
        return lazyStep(name, () => Promise.reject(error));
      }
      return lazyStep(name, run);
    };
    const api: WorkflowStep = {
      do: <T>(
        name: string,
        optionsOrFn: StepOptions<Awaited<T>> | ((attempt: StepAttempt) => T | Promise<T>),
        maybeFn?: (attempt: StepAttempt) => T | Promise<T>,
      ): StepCall<Awaited<T>> => {
        const options = typeof optionsOrFn === "function" ? {} : optionsOrFn;
        const fn = typeof optionsOrFn === "function" ? optionsOrFn : maybeFn;
        return declare<Awaited<T>>(name, async (): Promise<Awaited<T>> => {
          if (typeof fn !== "function") throw new SkiffError(`step "${name}": step.do needs a function`);
          const config = this.#config(`step "${name}"`, options.retries, options.timeout);
          const result = (await this.run(name, config, fn)) as Awaited<T>;
          const undo = options.undo as CompletedStep["undo"] | undefined;
          if (undo) this.completed.push({ name, result, undo, config });
          return result as Awaited<T>;
        });
      },
      all: ((steps: readonly StepCall<unknown>[]) => settleAll(steps)) as WorkflowStep["all"],
      map: async (name, items, fn, options) => {
        this.#claim(name);
        const concurrency = options?.concurrency ?? 100;
        if (!Number.isInteger(concurrency) || concurrency < 1) {
          throw new SkiffError(
            `step.map "${name}": concurrency must be an integer ≥ 1 (got ${String(concurrency)})`,
          );
        }
        if (items.length > WORKFLOW_LIMITS.maxFanOut) {
          throw new SkiffError(
            `step.map "${name}": ${items.length} items; the limit is ${WORKFLOW_LIMITS.maxFanOut} per fan-out`,
          );
        }
        const config = this.#config(`step.map "${name}"`, options?.retries, options?.timeout);
        const results: Awaited<ReturnType<typeof fn>>[] = new Array(items.length);
        await pool(items.length, concurrency, async (index) => {
          const child = `${name}[${index}]`;
          results[index] = (await this.run(child, config, (attempt) =>
            fn(items[index] as (typeof items)[number], { ...attempt, index }),
          )) as Awaited<ReturnType<typeof fn>>;
        });
        return results;
      },
      sleep: async (name, duration) => {
        this.#claim(name);
        await this.#cf.sleep(name, durationMs(duration, `step.sleep "${name}"`));
      },
      sleepUntil: async (name, time) => {
        this.#claim(name);
        const at = time instanceof Date ? time.getTime() : time;
        if (!Number.isFinite(at))
          throw new SkiffError(`step.sleepUntil "${name}": time must be a Date or epoch ms`);
        // A time already past returns at once, as on the portable engine (and on a replay after the sleep ended).
        if (at > Date.now()) await this.#cf.sleepUntil(name, at);
      },
      waitForEvent: async <P>(name: string, options: { type: string; timeout?: Duration }) => {
        this.#claim(name);
        const timeout =
          options.timeout === undefined
            ? undefined
            : durationMs(options.timeout, `step.waitForEvent "${name}": timeout`);
        let event: { payload: unknown; timestamp: Date; type: string };
        try {
          event = await this.#cf.waitForEvent(name, {
            type: options.type,
            ...(timeout === undefined ? {} : { timeout }),
          });
        } catch (error) {
          if (isNamed(error, "WorkflowTimeoutError")) {
            throw new WorkflowTimeoutError(
              `step.waitForEvent "${name}": no "${options.type}" event within the timeout`,
            );
          }
          throw error;
        }
        const payload = roundTrip(event.payload, `the payload of event "${options.type}"`) as P;
        return { type: event.type, payload, timestamp: new Date(event.timestamp) } satisfies WorkflowEvent<P>;
      },
    };
    return api;
  }

  /**
   * @internal One Cloudflare `step.do`: the attempt's signal aborts at the timeout, a skiff `NonRetryableError`
   * becomes Cloudflare's, and a step that failed for good rejects with a `WorkflowStepError` carrying the name and
   * message of its last attempt's error.
   */
  async run<T>(
    name: string,
    config: CloudflareStepConfig,
    fn: (attempt: StepAttempt) => T | Promise<T>,
  ): Promise<unknown> {
    const idempotencyKey = this.idempotencyKey(name);
    const log = this.#context.log.child({ step: name });
    let last: unknown;
    try {
      return await this.#cf.do(name, config, async (ctx) => {
        const signal = AbortSignal.timeout(config.timeout);
        try {
          const value = await fn({ attempt: ctx.attempt, idempotencyKey, signal });
          const result = resultOf(value, `the result of step "${name}"`);
          log.info("workflow step completed", { attempt: ctx.attempt });
          return result;
        } catch (error) {
          last = error;
          const final = error instanceof NonRetryableError || ctx.attempt > config.retries.limit;
          log.warn(final ? "workflow step failed" : "workflow step attempt failed, retrying", {
            attempt: ctx.attempt,
            error: toErrorInfo(error),
          });
          if (error instanceof NonRetryableError || isNamed(error, "NonRetryableError")) {
            throw this.#context.nonRetryable(error as Error);
          }
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof WorkflowStepError) throw error;
      throw new WorkflowStepError(name, toErrorInfo(last ?? error));
    }
  }
}

// Workers RPC keeps the name of an error only for built-in types; others arrive as Error with "Name: " before the
// message.
function isNamed(error: unknown, name: string): boolean {
  const e = error as Error | undefined;
  return e?.name === name || (typeof e?.message === "string" && e.message.startsWith(`${name}: `));
}

// A result that is not JSON or too large fails the step at once: a retry would not change it.
function resultOf(value: unknown, what: string): unknown {
  try {
    return roundTrip(value, what);
  } catch (error) {
    throw new NonRetryableError((error as Error).message);
  }
}

// JSON in and out: the value the handler sees is the one a replay returns, and the 1 MiB limit holds as on the
// portable engine.
function roundTrip(value: unknown, what: string): unknown {
  const text = encodeValue(value, what);
  return text === null ? undefined : JSON.parse(text);
}
