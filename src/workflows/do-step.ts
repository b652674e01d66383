// `step.do` on a replay: a journaled result is returned as stored; otherwise the step's attempts run here, each
// outcome journaled (a fan-out child's through the host, which also dispatches the next child and fans in).
import { SkiffError } from "../errors.js";
import { NonRetryableError, WorkflowStepError, toErrorInfo } from "./errors.js";
import {
  fencedBatch,
  recordStep,
  selectStep,
  toStepRow,
  type StepPosition,
  type StepRow,
  type StepValues,
} from "./journal.js";
import { encodeValue } from "./limits.js";
import type { Replay } from "./replay.js";
import type { StepSpec } from "./replay-host.js";
import { decode, idx, never, stepError, type Compensable, type LazyStep, type Stop } from "./replay-types.js";
import { retryDelayMs, retryLimit } from "./retry.js";
import { runAttempt } from "./attempt.js";

/**
 * @internal `step.do` at its position: the journaled result, or the step run now.
 *
 * @example
 * ```ts
 * runDo(call: LazyStep<unknown>) { return doStep(this, call); }
 * ```
 */
export async function doStep(r: Replay, call: LazyStep<unknown>): Promise<unknown> {
  const seq = r.position(call.name, "do");
  if (r.stop) return never();
  const row = r.journaled(seq, call.name, "do");
  if (row === "mismatch") return never();
  if (r.host.mode.kind === "child") return r.childReplay(row);
  const undo = call.options.undo as Compensable["undo"] | undefined;
  const compensable = undo ? { seq, idx: -1, name: call.name, key: r.key(seq), undo } : undefined;
  if (row?.status === "completed") {
    if (compensable) r.compensable.push(compensable);
    return decode(row.output);
  }
  if (row?.status === "failed") throw stepError(row);
  if (r.host.cancelRequested) return r.halt({ kind: "cancel" });
  if (!row) {
    const stop = r.mayStartNew();
    if (stop) return stop;
  } else if (row.status === "waiting" && row.wake_at !== null && row.wake_at > r.host.now()) {
    return r.halt({ kind: "suspend", wakeAt: row.wake_at });
  }
  const spec: StepSpec = {
    seq,
    idx: -1,
    name: call.name,
    kind: "do",
    fn: call.fn,
    retries: call.options.retries ?? r.host.defaults.retries,
    timeout: call.options.timeout ?? r.host.defaults.timeout,
    key: r.key(seq),
  };
  const output = await runAttempts(r, spec, row?.attempts ?? 0);
  // Only once its result is journaled: a step that never completed has nothing to undo.
  if (compensable) r.compensable.push(compensable);
  return output;
}

/**
 * @internal Runs a step's attempts until it succeeds, fails for good, or waits for a delayed retry (which suspends).
 * Retries without delay run inline, at most `retries.limit` (≤ 1000) of them.
 *
 * @example
 * ```ts
 * await runAttempts(r, child(seq, mode.idx), mode.attempts); // a fan-out child, in child mode
 * ```
 */
export async function runAttempts(r: Replay, spec: StepSpec, previous: number): Promise<unknown> {
  const host = r.host;
  const limit = retryLimit(spec.retries);
  for (let attempt = previous + 1; ; attempt++) {
    const result = await r.track(runAttempt(spec, attempt, host.heartbeat(spec), (name) => r.inStep(name)));
    if (r.stop?.kind === "lease-lost") return never();
    let output: string | null = null;
    let error = result.ok ? undefined : result.error;
    if (result.ok) {
      try {
        output = encodeValue(result.value, `the result of step "${spec.name}"`);
      } catch (tooBig) {
        error = tooBig;
      }
    }
    if (error === undefined) {
      const stored = await writeStep(r, spec, { status: "completed", attempts: attempt, output });
      host.log.info("workflow step completed", { step: spec.name, ...idx(spec), attempts: attempt });
      // The stored value, as every later replay reads it (JSON: an `undefined` inside becomes `null`).
      return stored ? decode(stored.output) : never();
    }
    const final = error instanceof NonRetryableError || error instanceof SkiffError || attempt > limit;
    const info = encodeValue(toErrorInfo(error), "a step error");
    if (final) {
      await writeStep(r, spec, { status: "failed", attempts: attempt, error: info });
      host.log.error("workflow step failed", { step: spec.name, ...idx(spec), attempts: attempt, error });
      throw new WorkflowStepError(spec.name, toErrorInfo(error));
    }
    const delay = retryDelayMs(spec.retries, attempt);
    const wakeAt = delay > 0 ? host.now() + delay : null;
    host.log.warn("workflow step retry", {
      step: spec.name,
      ...idx(spec),
      attempts: attempt,
      delayMs: delay,
      error,
    });
    await writeStep(r, spec, {
      status: wakeAt === null ? "running" : "waiting",
      attempts: attempt,
      error: info,
      wakeAt,
    });
    if ((r.stop as Stop | undefined)?.kind === "lease-lost") return never();
    if (wakeAt !== null) {
      // A child's retry timer and delayed wake went with its row; the run's go with its suspension.
      if (spec.idx >= 0) return r.halt({ kind: "child-done" });
      host.log.info("workflow suspended", { step: spec.name, reason: "retry", wakeAt });
      return r.halt({ kind: "suspend", wakeAt });
    }
  }
}

/**
 * @internal Journals one outcome of a step, fenced by the lease, with the replay's pending writes; returns the
 * stored row. A lost lease halts the replay and returns undefined (callers check `r.stop`).
 *
 * @example
 * ```ts
 * await writeStep(r, { seq, idx: -1, name, kind: "event" }, { status: "failed", attempts: 0, error });
 * ```
 */
export function writeStep(
  r: Replay,
  position: StepPosition,
  values: StepValues,
): Promise<StepRow | undefined> {
  return r.track(write(r, position, values));
}

async function write(r: Replay, position: StepPosition, values: StepValues): Promise<StepRow | undefined> {
  const host = r.host;
  try {
    if (position.idx >= 0) return await host.childOutcome(position, values);
    const { fence } = host;
    const results = await fencedBatch(host.db, fence, [
      ...r.pending.splice(0),
      recordStep(fence, { ...position, ...values }, host.now()),
      selectStep(fence.runId, position.seq, -1),
    ]);
    const stored = results.at(-1)?.rows[0];
    return stored ? toStepRow(stored) : undefined;
  } catch (error) {
    if ((error as Error).name !== "LeaseLost") throw error;
    r.halt({ kind: "lease-lost" });
    return undefined;
  }
}
