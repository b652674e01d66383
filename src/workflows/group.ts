// Fan-out steps: step.all and step.map journal a group at one position with children 0..n-1, each dispatched as its
// own queue message and run by a replay in child mode; the parent resumes when none is outstanding.
import { SkiffError } from "../errors.js";
import { NonDeterminismError } from "./errors.js";
import { runAttempts } from "./do-step.js";
import { WORKFLOW_LIMITS } from "./limits.js";
import type { Replay } from "./replay.js";
import type { StepSpec } from "./replay-host.js";
import {
  decode,
  LazyStep,
  never,
  stepError,
  type Compensable,
  type MapFn,
  type MapOptions,
} from "./replay-types.js";
import type { StepAttempt, StepCall } from "./types.js";

/** @internal `step.all`: adopts un-awaited `step.do` calls as one parallel group. */
export function allStep(r: Replay, steps: readonly StepCall<unknown>[]): Promise<unknown[]> {
  if (!Array.isArray(steps) || !steps.every((s) => s instanceof LazyStep && s.replay === r)) {
    return Promise.reject(new SkiffError("step.all() takes an array of step.do() calls of this run"));
  }
  const calls = steps as LazyStep<unknown>[];
  const started = calls.find((s) => s.started || s.adopted);
  if (started) {
    return Promise.reject(
      new SkiffError(
        `step.all(): step "${started.name}" was already awaited; pass steps that were not awaited yet`,
      ),
    );
  }
  for (const s of calls) s.adopted = true;
  const names = calls.map((s) => s.name);
  const name = `all(${names.join(", ")})`.slice(0, WORKFLOW_LIMITS.maxStepNameLength);
  return groupStep(
    r,
    "all",
    name,
    names,
    (seq, i) => {
      const s = calls[i] as LazyStep<unknown>;
      return {
        seq,
        idx: i,
        name: s.name,
        kind: "do",
        fn: s.fn,
        retries: s.options.retries ?? r.host.defaults.retries,
        timeout: s.options.timeout ?? r.host.defaults.timeout,
        key: r.key(seq, i),
      };
    },
    calls.length,
    calls.length,
    calls,
  );
}

/** @internal `step.map`: one child per item, at most `concurrency` dispatched at once. */
export function mapStep(
  r: Replay,
  name: string,
  items: readonly unknown[],
  fn: MapFn,
  options: MapOptions = {},
): Promise<unknown[]> {
  if (!Array.isArray(items))
    return Promise.reject(new SkiffError(`step.map("${name}") needs an array of items`));
  const concurrency = options.concurrency ?? 100;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    return Promise.reject(
      new SkiffError(`step.map("${name}"): concurrency must be a positive integer (got ${concurrency})`),
    );
  }
  return groupStep(
    r,
    "map",
    name,
    [],
    (seq, i) => ({
      seq,
      idx: i,
      index: i,
      name: `${name}[${i}]`,
      kind: "do",
      fn: (attempt) => fn(items[i], attempt as StepAttempt & { index: number }),
      retries: options.retries ?? r.host.defaults.retries,
      timeout: options.timeout ?? r.host.defaults.timeout,
      key: r.key(seq, i),
    }),
    items.length,
    concurrency,
    [],
  );
}

async function groupStep(
  r: Replay,
  kind: "all" | "map",
  name: string,
  childNames: readonly string[],
  child: (seq: number, idx: number) => StepSpec,
  count: number,
  concurrency: number,
  calls: readonly LazyStep<unknown>[],
): Promise<unknown[]> {
  const seq = r.position(name, kind, childNames);
  if (count > WORKFLOW_LIMITS.maxFanOut) {
    throw new SkiffError(
      `step.${kind}("${name}") fans out to ${count} items; the limit is ${WORKFLOW_LIMITS.maxFanOut}: split the items over several steps`,
    );
  }
  if (r.stop) return never();
  const row = r.journaled(seq, name, kind);
  if (row === "mismatch") return never();
  const mode = r.host.mode;
  if (mode.kind === "child") {
    if (mode.seq !== seq) return r.childReplay(row) as Promise<unknown[]>;
    if (mode.idx >= count) {
      return r.halt({
        kind: "nondeterminism",
        error: new NonDeterminismError(
          `step.${kind}("${name}") has ${count} items now but the journal dispatched item ${mode.idx}: the code or its input changed while the run was in flight`,
        ),
      });
    }
    await runAttempts(r, child(seq, mode.idx), mode.attempts);
    return r.halt({ kind: "child-done" });
  }
  for (const [i, call] of calls.entries()) {
    if (call.options.undo) {
      r.compensable.push({
        seq,
        idx: i,
        name: call.name,
        key: r.key(seq, i),
        undo: call.options.undo as Compensable["undo"],
      });
    }
  }
  if (row?.status === "completed") return decode(row.output) as unknown[];
  if (row?.status === "failed") throw stepError(row);
  if (row && r.host.cancelRequested) return r.halt({ kind: "cancel" });
  if (!row) {
    const stop = r.mayStartNew();
    if (stop) return stop;
    await r.fenced(
      r.host.fanOut(
        { seq, name, kind, count, concurrency, childName: (i) => child(seq, i).name },
        r.pending.splice(0),
      ),
    );
    if (count > 0) {
      r.host.log.info("workflow suspended", { step: name, reason: "fan-out", items: count });
      return r.halt({ kind: "suspend", wakeAt: undefined });
    }
  }
  const state = await r.fenced(r.host.fanIn({ seq, name, kind }, r.pending.splice(0)));
  if (state.status === "completed") return state.results;
  if (state.status === "failed") throw state.error;
  return r.halt({ kind: "suspend", wakeAt: undefined });
}
