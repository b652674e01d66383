// The replay's small types and helpers, shared by the step implementations.
import { SkiffError } from "../errors.js";
import type { NonDeterminismError } from "./errors.js";
import { WorkflowStepError } from "./errors.js";
import type { StepRow } from "./journal.js";
import type { Replay } from "./replay.js";
import type { StepSpec } from "./replay-host.js";
import type { Duration, RetryPolicy, StepAttempt, StepCall, StepOptions, WorkflowEvent } from "./types.js";

export type Stop =
  | { kind: "suspend"; wakeAt: number | undefined }
  | { kind: "cancel" }
  | { kind: "nondeterminism"; error: NonDeterminismError }
  | { kind: "lease-lost" }
  | { kind: "child-done" };

export const PRIORITY: Record<Stop["kind"], number> = {
  suspend: 0,
  "child-done": 1,
  cancel: 2,
  nondeterminism: 3,
  "lease-lost": 4,
};

/**
 * @internal A promise that never settles: what a halted step returns to the handler. A new one each time: one
 * shared promise would hold, in its reactions, the frame of every handler that ever suspended on it, for the life
 * of the process; a fresh one is collected with the abandoned handler.
 *
 * @example
 * ```ts
 * if (r.stop) return never(); // the handler waits forever; the executor has already been told
 * ```
 */
export function never(): Promise<never> {
  return new Promise<never>(() => {});
}

export type MapFn = (item: unknown, attempt: StepAttempt & { readonly index: number }) => unknown;
export type MapOptions = { concurrency?: number; retries?: RetryPolicy; timeout?: Duration };

/** @internal A completed step whose undo may have to run (a saga). */
export interface Compensable {
  seq: number;
  idx: number;
  name: string;
  key: string;
  /** Runs with the step's result as journaled, which compensate() reads back (children's are not in memory). */
  undo: (result: never, attempt: StepAttempt) => unknown;
}

/** @internal A step declared with `step.do`, run when first awaited or adopted by `step.all`. */
export class LazyStep<T> implements StepCall<T> {
  #promise: Promise<T> | undefined;
  adopted = false;
  constructor(
    readonly name: string,
    readonly options: StepOptions<T>,
    readonly fn: (attempt: StepAttempt) => unknown,
    readonly replay: Replay,
  ) {}

  get started(): boolean {
    return this.#promise !== undefined;
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.adopted) {
      return Promise.reject(
        new SkiffError(`step "${this.name}" was given to step.all(); await the step.all() call instead`),
      ).then(onfulfilled, onrejected);
    }
    this.#promise ??= this.replay.runDo(this as LazyStep<unknown>) as Promise<T>;
    return this.#promise.then(onfulfilled, onrejected);
  }
}

/** @internal The `index` log field of a fan-out child. */
export function idx(spec: StepSpec): { index?: number } {
  return spec.idx >= 0 ? { index: spec.idx } : {};
}

/** @internal A journal value back from JSON; NULL is `undefined`. */
export function decode(text: string | null | undefined): unknown {
  return text == null ? undefined : JSON.parse(text);
}

/** @internal The error a failed step row stands for. */
export function stepError(row: StepRow): WorkflowStepError {
  const info = (decode(row.error) ?? {}) as { name?: string; message?: string };
  return new WorkflowStepError(row.name, { name: info.name ?? "Error", message: info.message ?? "" });
}

/** @internal The event a completed waitForEvent row stands for. */
export function toEvent(value: unknown): WorkflowEvent {
  const e = (value ?? {}) as { type?: string; payload?: unknown; timestamp?: number };
  return { type: String(e.type), payload: e.payload, timestamp: new Date(Number(e.timestamp)) };
}
