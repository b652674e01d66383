import { SkiffError } from "../errors.js";

/**
 * Thrown from a step's function to fail the step at once, without its remaining retries (a declined card, an
 * invalid order): the run then compensates and ends `failed`, unless the handler catches the step's error.
 *
 * @example
 * ```ts
 * await step.do("charge", async () => {
 *   const res = await chargeCard(order);
 *   if (res.declined) throw new NonRetryableError(`card declined: ${res.reason}`);
 *   return res.id;
 * });
 * ```
 */
export class NonRetryableError extends Error {
  override name = "NonRetryableError";
}

/**
 * What `step.waitForEvent` throws when its `timeout` passes before a matching event arrives. Catch it to take
 * another path; uncaught, the run compensates and ends `failed`.
 *
 * @example
 * ```ts
 * try {
 *   await step.waitForEvent("approval", { type: "approved", timeout: "24 hours" });
 * } catch (error) {
 *   if (!(error instanceof WorkflowTimeoutError)) throw error;
 *   await step.do("escalate", () => notifyOps(event.runId));
 * }
 * ```
 */
export class WorkflowTimeoutError extends Error {
  override name = "WorkflowTimeoutError";
}

/**
 * A step that failed for good, rethrown by every replay from its journaled error: `name` and `message` are the
 * original error's, `step` the step's name. What `await step.do(...)` throws after the last retry.
 *
 * @example
 * ```ts
 * try { await step.do("charge", () => charge(order)) } catch (error) {
 *   if (error instanceof WorkflowStepError) console.log(error.step, error.message);
 * }
 * ```
 */
export class WorkflowStepError extends Error {
  readonly step: string;
  constructor(step: string, info: { name: string; message: string }) {
    super(info.message);
    this.name = info.name;
    this.step = step;
  }
}

/** @internal A run whose code asks for other steps than its journal holds: fails the run, not retried. */
export class NonDeterminismError extends SkiffError {
  override name = "NonDeterminismError";
}

/** @internal The JSON shape of an error in the journal. */
export function toErrorInfo(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: typeof error === "string" ? error : String(error) };
}
