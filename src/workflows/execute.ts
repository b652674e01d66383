// One wake of a run (run mode) or of one fan-out child (child mode): take the lease, replay the handler, then record
// how the invocation ended (completed, failed, cancelled, suspended), all fenced by the lease.
import { sql, type SqlQuery } from "../bindings/db/sql.js";
import type { Logger } from "../logger.js";
import { parseWithSchema } from "../schema.js";
import { compensate } from "./compensate.js";
import { toErrorInfo } from "./errors.js";
import { ExecutorHost } from "./host.js";
import {
  fenceCondition,
  fencedBatch,
  LeaseLost,
  selectRunSteps,
  setTimer,
  toStepRow,
  type Fence,
  type StepRow,
} from "./journal.js";
import { encodeValue } from "./limits.js";
import type { WorkflowRegistration } from "./registration.js";
import { Replay } from "./replay.js";
import { DEFAULT_RETRIES } from "./retry.js";
import { queueCarries, sendWakeAt, type EngineDeps } from "./wake.js";

/** @internal What the queue consumer does with the wake message. */
export type WakeResult = { kind: "done" } | { kind: "retry"; delaySeconds: number };

/** @internal */
export const DONE: WakeResult = { kind: "done" };
const DEFAULT_TIMEOUT = "10 minutes";

/** @internal */
export function leasedRetry(leaseUntil: unknown, now: number): WakeResult {
  return { kind: "retry", delaySeconds: Math.max(1, Math.ceil((Number(leaseUntil ?? now) - now) / 1000)) };
}

/** @internal */
export function journalOf(rows: readonly Record<string, unknown>[]): Map<number, StepRow> {
  return new Map(rows.map((r) => [Number(r.seq), toStepRow(r)]));
}

/** @internal */
export function lookup(
  deps: EngineDeps,
  workflow: string,
  runId: string,
  log: Logger,
): WorkflowRegistration | undefined {
  const registration = deps.workflow(workflow);
  if (!registration) {
    log.error(
      `[skiff] run "${runId}" belongs to workflow "${workflow}", which this app does not implement: register it with app.workflow("${workflow}", handler)`,
    );
  }
  return registration;
}

type Settled = { kind: "returned"; value: unknown } | { kind: "threw"; error: unknown } | { kind: "stopped" };

/** @internal */
export async function replayHandler(
  registration: WorkflowRegistration,
  replay: Replay,
  event: { runId: string; workflow: string; payload: unknown; startedAt: Date },
  deps: EngineDeps,
  log: Logger,
): Promise<Settled> {
  const ctx = deps.context(log);
  const settled = Promise.resolve()
    .then(() => registration.handler(event, replay.api, ctx))
    .then(
      (value): Settled => ({ kind: "returned", value }),
      (error: unknown): Settled => ({ kind: "threw", error }),
    );
  const first = await Promise.race([settled, replay.stopped.then((): Settled => ({ kind: "stopped" }))]);
  await replay.settle();
  return first;
}

/** @internal Runs one wake of a run. */
export async function executeRun(deps: EngineDeps, runId: string): Promise<WakeResult> {
  const owner = crypto.randomUUID();
  const now = deps.now();
  const recovery = now + deps.timings.leaseMs; // if this executor dies, the timer cron wakes the run after this
  const fence: Fence = { kind: "run", runId, owner };
  const [acquired, , steps, current] = await deps.db.batch([
    sql`UPDATE _skiff_workflow_runs SET lease_owner = ${owner}, lease_until = ${recovery}, status = 'running', updated_at = ${now}
        WHERE id = ${runId} AND status NOT IN ('completed', 'failed', 'cancelled') AND (lease_owner IS NULL OR lease_until <= ${now})
        RETURNING workflow, input, cancel_requested, created_at`,
    setTimer(runId, { seq: -1, idx: -1, wakeAt: recovery, sentFor: recovery }, fenceCondition(fence)),
    selectRunSteps(runId),
    sql`SELECT status, lease_until FROM _skiff_workflow_runs WHERE id = ${runId}`,
  ]);
  const run = acquired?.rows[0];
  if (!run) {
    const state = current?.rows[0];
    if (!state) {
      deps.log.error(
        `[skiff] a workflow wake names run "${runId}", which is not in the journal; it is dropped`,
      );
      return DONE;
    }
    if (["completed", "failed", "cancelled"].includes(String(state.status))) return DONE;
    return leasedRetry(state.lease_until, now);
  }
  const workflow = String(run.workflow);
  const log = deps.log.child({ runId, workflow });
  const registration = lookup(deps, workflow, runId, log);
  if (!registration) {
    await deps.db.run(
      sql`UPDATE _skiff_workflow_runs SET lease_owner = NULL, status = 'waiting' WHERE id = ${runId} AND lease_owner = ${owner}`,
    );
    return DONE;
  }
  const { host, replay } = replayOf(deps, registration, log, {
    runId,
    workflow,
    fence,
    mode: { kind: "run" },
    rows: steps?.rows ?? [],
    cancelRequested: Number(run.cancel_requested) === 1,
    deadline: now + deps.timings.budgetMs,
  });
  const end = (
    status: "completed" | "failed" | "cancelled",
    values: { output?: string | null; error?: unknown },
  ) => endRun(host, replay.pending.splice(0), status, values);
  try {
    let event: Awaited<ReturnType<typeof handlerEvent>>;
    try {
      event = await handlerEvent(registration, runId, run);
    } catch (error) {
      await end("failed", { error });
      return DONE;
    }
    const settled = await replayHandler(registration, replay, event, deps, log);
    const stop = replay.stop;
    if (stop?.kind === "lease-lost") throw new LeaseLost("lease lost");
    if (stop?.kind === "nondeterminism") {
      await end("failed", { error: stop.error });
    } else if (stop?.kind === "cancel") {
      const outcomes = await compensate(host, replay.compensable, log);
      await end("cancelled", {});
      log.info("workflow cancelled", { compensations: outcomes });
    } else if (settled.kind === "threw") {
      if ((settled.error as Error)?.name === "LeaseLost") throw settled.error;
      const outcomes = await compensate(host, replay.compensable, log);
      await end("failed", { error: settled.error });
      log.error("workflow failed", { error: settled.error, compensations: outcomes });
    } else if (settled.kind === "returned") {
      let output: string | null;
      try {
        output = encodeValue(settled.value, `the output of workflow "${workflow}"`);
      } catch (error) {
        const outcomes = await compensate(host, replay.compensable, log);
        await end("failed", { error });
        log.error("workflow failed", { error, compensations: outcomes });
        return DONE;
      }
      await end("completed", { output });
      log.info("workflow completed", {});
    } else if (stop?.kind === "suspend") {
      await suspendRun(host, replay.pending.splice(0), stop.wakeAt, recovery);
    }
  } catch (error) {
    if ((error as Error)?.name === "LeaseLost") {
      log.warn("workflow executor lost its lease; another executor owns the run now", {});
      return DONE;
    }
    throw error;
  }
  return DONE;
}

/**
 * @internal The replay of one wake (run or child mode) over the journal read when its lease was taken. Both
 * executors build it the same way, so a child replays exactly the code path its parent did.
 *
 * @example
 * ```ts
 * const { host, replay } = replayOf(deps, registration, log, { runId, workflow, fence, mode: { kind: "run" }, rows, cancelRequested: false, deadline });
 * ```
 */
export function replayOf(
  deps: EngineDeps,
  registration: WorkflowRegistration,
  log: Logger,
  at: {
    runId: string;
    workflow: string;
    fence: Fence;
    mode: ExecutorHost["mode"];
    rows: readonly Record<string, unknown>[];
    cancelRequested: boolean;
    deadline: number;
  },
): { host: ExecutorHost; replay: Replay } {
  const host = new ExecutorHost(
    deps,
    at.runId,
    at.workflow,
    at.fence,
    at.mode,
    journalOf(at.rows),
    at.cancelRequested,
    at.deadline,
    defaultsOf(registration),
    log,
  );
  return { host, replay: new Replay(host) };
}

/**
 * @internal The handler's event, its payload parsed from the journaled input by the workflow's schema again.
 *
 * @example
 * ```ts
 * const settled = await replayHandler(registration, replay, await handlerEvent(registration, runId, run), deps, log);
 * ```
 */
export async function handlerEvent(
  registration: WorkflowRegistration,
  runId: string,
  run: Record<string, unknown>,
): Promise<{ runId: string; workflow: string; payload: unknown; startedAt: Date }> {
  const workflow = String(run.workflow);
  const payload = await parseWithSchema(
    registration.schema,
    JSON.parse(String(run.input)),
    `the input of workflow "${workflow}"`,
  );
  return { runId, workflow, payload, startedAt: new Date(Number(run.created_at)) };
}

function defaultsOf(registration: WorkflowRegistration) {
  return {
    retries: registration.options.retries ?? DEFAULT_RETRIES,
    timeout: registration.options.timeout ?? DEFAULT_TIMEOUT,
  };
}

async function endRun(
  host: ExecutorHost,
  pending: SqlQuery[],
  status: "completed" | "failed" | "cancelled",
  values: { output?: string | null; error?: unknown },
): Promise<void> {
  const { fence, runId } = host;
  const error = values.error === undefined ? null : JSON.stringify(toErrorInfo(values.error));
  await fencedBatch(host.db, fence, [
    ...pending,
    sql`DELETE FROM _skiff_workflow_timers WHERE run_id = ${runId} AND ${fenceCondition(fence)}`,
    sql`UPDATE _skiff_workflow_runs SET status = ${status}, output = ${values.output ?? null}, error = ${error},
          lease_owner = NULL, lease_until = NULL, updated_at = ${host.now()}
        WHERE id = ${runId} AND lease_owner = ${fence.owner}`,
  ]);
}

async function suspendRun(
  host: ExecutorHost,
  pending: SqlQuery[],
  wakeAt: number | undefined,
  recovery: number,
): Promise<void> {
  const { fence, runId, deps } = host;
  const now = host.now();
  const soon = wakeAt !== undefined && queueCarries(deps, wakeAt, now);
  // Another writer (a fan-in, an event, a cancel) may have moved the timer since this executor set `recovery`:
  // then keep the earlier of the two wakes.
  const timer =
    wakeAt === undefined
      ? sql`DELETE FROM _skiff_workflow_timers WHERE run_id = ${runId} AND seq = -1 AND idx = -1 AND wake_at = ${recovery} AND ${fenceCondition(fence)}`
      : sql`INSERT INTO _skiff_workflow_timers (run_id, seq, idx, wake_at, sent_for)
            SELECT ${runId}, -1, -1, ${wakeAt}, ${soon ? wakeAt : null} WHERE ${fenceCondition(fence)}
            ON CONFLICT (run_id, seq, idx) DO UPDATE SET
              wake_at = CASE WHEN wake_at = ${recovery} THEN excluded.wake_at ELSE min(wake_at, excluded.wake_at) END,
              sent_for = CASE WHEN wake_at = ${recovery} THEN excluded.sent_for ELSE sent_for END`;
  await fencedBatch(host.db, fence, [
    ...pending,
    timer,
    sql`UPDATE _skiff_workflow_runs SET status = 'waiting', lease_owner = NULL, lease_until = NULL, updated_at = ${now}
        WHERE id = ${runId} AND lease_owner = ${fence.owner}`,
  ]);
  if (soon) await sendWakeAt(deps, { run: runId }, wakeAt, now);
}
