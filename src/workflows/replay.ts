// One replay of a run's handler: `step.*` calls take positions in call order; a journaled position returns its
// stored result, the first unjournaled one runs. A replay never throws its own control flow into user code: to
// suspend or stop it leaves the handler awaiting a promise that never settles and tells the executor (`stopped`).
import type { SqlQuery } from "../bindings/db/sql.js";
import { SkiffError } from "../errors.js";
import { doStep } from "./do-step.js";
import { durationMs } from "./duration.js";
import { NonDeterminismError } from "./errors.js";
import { allStep, mapStep } from "./group.js";
import type { StepRow } from "./journal.js";
import { checkStepName } from "./limits.js";
import type { ReplayHost } from "./replay-host.js";
import {
  decode,
  LazyStep,
  never,
  PRIORITY,
  stepError,
  type Compensable,
  type MapFn,
  type MapOptions,
  type Stop,
} from "./replay-types.js";
import type { StepAttempt, StepCall, StepOptions, WorkflowStep } from "./types.js";
import { sleepStep, waitForEventStep } from "./waits.js";

export { LazyStep, decode, stepError, type Compensable, type Stop } from "./replay-types.js";

/** @internal The state of one replay and the step API it hands to the handler. */
export class Replay {
  stop: Stop | undefined;
  readonly stopped: Promise<void>;
  readonly compensable: Compensable[] = [];
  /** Journal writes that may wait for the next fenced batch (a due sleep marked completed, a sleep's wake time). */
  readonly pending: SqlQuery[] = [];
  /** @internal */
  readonly host: ReplayHost;
  readonly #names = new Set<string>();
  readonly #inflight = new Set<Promise<unknown>>();
  #seq = 0;
  #inStep: string | undefined;
  #signalStopped!: () => void;

  constructor(host: ReplayHost) {
    this.host = host;
    this.stopped = new Promise((resolve) => (this.#signalStopped = resolve));
  }

  /** The `step` argument of the handler. */
  readonly api: WorkflowStep = {
    do: ((name: string, a: unknown, b?: unknown) => {
      const [options, fn] = typeof a === "function" ? [{}, a] : [a ?? {}, b];
      if (typeof fn !== "function")
        throw new SkiffError(`step.do("${String(name)}") needs a function to run`);
      this.#notInStep(name, "do");
      return new LazyStep(name, options as StepOptions<unknown>, fn as (s: StepAttempt) => unknown, this);
    }) as WorkflowStep["do"],
    all: ((steps: readonly StepCall<unknown>[]) => allStep(this, steps)) as WorkflowStep["all"],
    map: ((name: string, items: readonly unknown[], fn: MapFn, options?: MapOptions) =>
      mapStep(this, name, items, fn, options)) as WorkflowStep["map"],
    sleep: (name, duration) =>
      sleepStep(this, name, (now) => now + durationMs(duration, `step.sleep("${name}")`)),
    sleepUntil: (name, time) =>
      sleepStep(this, name, () => {
        const at = time instanceof Date ? time.getTime() : time;
        if (!Number.isFinite(at)) throw new SkiffError(`step.sleepUntil("${name}") needs a Date or epoch ms`);
        return at;
      }),
    waitForEvent: (name, options) => waitForEventStep(this, name, options) as never,
  };

  /** Resolves once every step attempt in progress has settled (their writes are fenced either way). */
  async settle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  halt(stop: Stop): Promise<never> {
    const current = this.stop;
    if (!current || PRIORITY[stop.kind] > PRIORITY[current.kind]) this.stop = stop;
    else if (current.kind === "suspend" && stop.kind === "suspend") {
      const times = [current.wakeAt, stop.wakeAt].filter((t): t is number => t !== undefined);
      this.stop = { kind: "suspend", wakeAt: times.length ? Math.min(...times) : undefined };
    }
    this.#signalStopped();
    return never();
  }

  /** Takes the next position for a step, checking its name (unique in the run, not inside another step). */
  #notInStep(name: string, method: string): void {
    if (this.#inStep !== undefined) {
      throw new SkiffError(
        `step.${method}("${name}") was called inside the function of step "${this.#inStep}": steps cannot nest; call it from the workflow handler`,
      );
    }
  }

  /** @internal */
  position(name: string, kind: string, extraNames: readonly string[] = []): number {
    this.#notInStep(name, kind === "event" ? "waitForEvent" : kind);
    for (const n of [name, ...extraNames]) {
      checkStepName(n);
      if (this.#names.has(n)) {
        throw new SkiffError(`step name "${n}" is used twice in this run; every step needs a unique name`);
      }
      this.#names.add(n);
    }
    return this.#seq++;
  }

  /** The journaled row at `seq`, checked against what the code asks for now. */
  /** @internal */
  journaled(seq: number, name: string, kind: string): StepRow | undefined | "mismatch" {
    const row = this.host.journal.get(seq);
    if (!row) return undefined;
    if (row.name === name && row.kind === kind) return row;
    this.halt({
      kind: "nondeterminism",
      error: new NonDeterminismError(
        `workflow "${this.host.workflow}" run "${this.host.runId}" is not deterministic: position ${seq} is step "${row.name}" (${row.kind}) in the journal, but the code now asks for step "${name}" (${kind}) there. The code changed while the run was in flight; finish or cancel old runs before changing the order of steps`,
      ),
    });
    return "mismatch";
  }

  /** Before a step that is not journaled runs: a cancelled run or a spent time budget stops the replay here. */
  /** @internal */
  mayStartNew(): Promise<never> | undefined {
    if (this.host.cancelRequested) return this.halt({ kind: "cancel" });
    if (this.host.now() >= this.host.deadline) return this.halt({ kind: "suspend", wakeAt: this.host.now() });
    return undefined;
  }

  /** @internal */
  key(seq: number, idx = -1): string {
    return idx < 0 ? `${this.host.runId}:${seq}` : `${this.host.runId}:${seq}:${idx}`;
  }

  /** In child mode, a position other than the child's: only journaled results can be returned. */
  /** @internal */
  childReplay(row: StepRow | undefined): Promise<unknown> {
    if (row?.status === "completed") return Promise.resolve(decode(row.output));
    if (row?.status === "failed") return Promise.reject(stepError(row));
    if (row?.kind === "sleep" && row.wake_at !== null && row.wake_at <= this.host.now()) {
      return Promise.resolve(undefined);
    }
    return this.halt({ kind: "child-done" });
  }

  runDo(call: LazyStep<unknown>): Promise<unknown> {
    return doStep(this, call);
  }

  /** @internal Marks the synchronous part of a step's function, inside which `step.*` calls are refused. */
  inStep(name: string | undefined): void {
    this.#inStep = name;
  }

  /** Tracks journal and step work in progress (never a halted promise, which does not settle). */
  /** @internal */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#inflight.add(promise);
    const done = () => this.#inflight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /**
   * @internal Awaits a fenced journal write: a lost lease halts the replay (the executor stops, recording nothing)
   * instead of surfacing in the handler.
   */
  async fenced<T>(write: Promise<T>): Promise<T> {
    try {
      return await this.track(write);
    } catch (error) {
      if ((error as Error).name === "LeaseLost") return this.halt({ kind: "lease-lost" });
      throw error;
    }
  }
}
