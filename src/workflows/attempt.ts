import { durationMs } from "./duration.js";
import { WorkflowTimeoutError } from "./errors.js";
import type { StepSpec } from "./replay-host.js";

/**
 * @internal One attempt of a step's function: its signal aborts at the step's timeout (which fails the attempt),
 * the executor's lease is renewed while it runs (`stopHeartbeat` ends that), and `inStep` marks the synchronous
 * part of the call, so that a `step.*` call from inside the function is refused.
 */
export async function runAttempt(
  spec: StepSpec,
  attempt: number,
  stopHeartbeat: () => void,
  inStep: (name: string | undefined) => void,
): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const ms = durationMs(spec.timeout, `the timeout of step "${spec.name}"`);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new WorkflowTimeoutError(
          `step "${spec.name}" timed out after ${ms} ms (attempt ${attempt})`,
        );
        reject(error); // first, so that a function that settles on abort does not win the race
        controller.abort(error);
      }, ms);
    });
    let pending: unknown;
    inStep(spec.name);
    try {
      const base = { attempt, idempotencyKey: spec.key, signal: controller.signal };
      pending = spec.fn(spec.index === undefined ? base : { ...base, index: spec.index });
    } finally {
      inStep(undefined);
    }
    return { ok: true, value: await Promise.race([pending, timeout]) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
    stopHeartbeat();
  }
}
