import type { Logger } from "../../logger.js";
import type { TriggerContext } from "../../types.js";
import { toErrorInfo } from "../errors.js";
import { encodeValue } from "../limits.js";
import type { WorkflowOptions } from "../registration.js";
import type { WorkflowHandler, WorkflowStart } from "../types.js";
import { CloudflareStepper, type CompletedStep } from "./step.js";
import type { CloudflareWorkflowEvent, CloudflareWorkflowStep } from "./types.js";

/**
 * What {@link runOnCloudflare} needs: the workflow's name and handler, the handler's context, and how to build
 * Cloudflare's `NonRetryableError`.
 *
 * @example
 * ```ts
 * const options: CloudflareRunOptions = { workflow: "checkout", handler, ctx, nonRetryable: (e) => new NonRetryableError(e.message) };
 * ```
 */
export interface CloudflareRunOptions {
  readonly workflow: string;
  readonly handler: WorkflowHandler<unknown>;
  /** The workflow's step defaults (`app.workflow(name, handler, options)`); a step's own options win. */
  readonly defaults?: WorkflowOptions | undefined;
  readonly ctx: TriggerContext;
  readonly nonRetryable: (error: Error) => Error;
}

// What Cloudflare's engine throws into a run it is stopping (terminate, pause, restart): no compensation then, the
// instance is not failing. https://github.com/cloudflare/workers-sdk/tree/main/packages/workflows-shared
const ENGINE_ABORT = /^Aborting engine:/;

/**
 * Runs a skiff workflow handler as the body of a Cloudflare Workflow's `run(event, step)`: the instance id is the run
 * id, its params the validated input. When the handler throws (a step failed for good, a timeout, its own error),
 * the `undo` of each completed step runs newest first, each as its own Cloudflare step `undo:<name>` (so each runs
 * at most once, and a replay skips those already done), and the original error is rethrown so the instance ends
 * `errored` with it. A compensation that fails is logged and the others still run.
 *
 * @example
 * ```ts
 * export class CheckoutWorkflow extends WorkflowEntrypoint {
 *   run(event, step) { return runOnCloudflare(event, step, { workflow: "checkout", handler, ctx, nonRetryable }); }
 * }
 * ```
 */
export async function runOnCloudflare(
  event: CloudflareWorkflowEvent,
  step: CloudflareWorkflowStep,
  options: CloudflareRunOptions,
): Promise<unknown> {
  const runId = event.instanceId;
  const log = options.ctx.log.child({ workflow: options.workflow, runId });
  const stepper = new CloudflareStepper(step, {
    runId,
    workflow: options.workflow,
    log,
    nonRetryable: options.nonRetryable,
    defaults: options.defaults ?? {},
  });
  const start: WorkflowStart<unknown> = {
    runId,
    workflow: options.workflow,
    payload: event.payload,
    startedAt: new Date(event.timestamp),
  };
  let output: unknown;
  try {
    output = await options.handler(start, stepper.step, { ...options.ctx, log });
  } catch (error) {
    if (ENGINE_ABORT.test((error as Error)?.message ?? "")) throw error;
    log.error("workflow run failed", { error: toErrorInfo(error), compensations: stepper.completed.length });
    await compensate(stepper, log);
    throw endOf(error);
  }
  const text = encodeValue(output, `the output of workflow "${options.workflow}"`);
  log.info("workflow run completed");
  return text === null ? undefined : JSON.parse(text);
}

// Cloudflare ends a run whose error is named NonRetryableError with a generic message of its own (unless the
// experimental flag workflows_preserve_non_retryable_error_message is on): report the step's error under the name
// WorkflowStepError instead, with its message intact.
function endOf(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "NonRetryableError") return error;
  const ended = new Error(error.message, { cause: error });
  ended.name = "WorkflowStepError";
  return ended;
}

async function compensate(stepper: CloudflareStepper, log: Logger): Promise<void> {
  for (const done of [...stepper.completed].reverse()) {
    const name = `undo:${done.name}`;
    try {
      await stepper.run(name, done.config, (attempt) => undoOf(done)(done.result, attempt));
      log.info("workflow compensation completed", { step: done.name });
    } catch (error) {
      log.error("workflow compensation failed", { step: done.name, error: toErrorInfo(error) });
    }
  }
}

// An undo's return value is not a result anyone reads: record null, so any return value fits the journal.
const undoOf =
  (done: CompletedStep) =>
  async (...args: Parameters<CompletedStep["undo"]>): Promise<null> => {
    await done.undo(...args);
    return null;
  };
