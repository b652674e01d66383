// One wake of a fan-out child: take the child's own lease, replay the handler in child mode (it runs only this
// child's function when it reaches the group, then stops), and let the host record the outcome and fan in.
import { sql } from "../bindings/db/sql.js";
import { toErrorInfo } from "./errors.js";
import {
  DONE,
  handlerEvent,
  leasedRetry,
  lookup,
  replayHandler,
  replayOf,
  type WakeResult,
} from "./execute.js";
import { selectRunSteps, type Fence } from "./journal.js";
import type { EngineDeps } from "./wake.js";

/** @internal Runs one fan-out child: replays the handler in child mode, which runs only that child's function. */
export async function executeChild(
  deps: EngineDeps,
  runId: string,
  seq: number,
  idx: number,
): Promise<WakeResult> {
  const owner = crypto.randomUUID();
  const now = deps.now();
  const [acquired, runs, steps, current] = await deps.db.batch([
    sql`UPDATE _skiff_workflow_steps SET lease_owner = ${owner}, lease_until = ${now + deps.timings.leaseMs}, status = 'running'
        WHERE run_id = ${runId} AND seq = ${seq} AND idx = ${idx}
          AND (status = 'running' OR (status = 'waiting' AND wake_at <= ${now}))
          AND (lease_owner IS NULL OR lease_until <= ${now})
          AND EXISTS (SELECT 1 FROM _skiff_workflow_runs WHERE id = ${runId} AND status NOT IN ('completed', 'failed', 'cancelled') AND cancel_requested = 0)
        RETURNING attempts, name`,
    sql`SELECT workflow, input, created_at FROM _skiff_workflow_runs WHERE id = ${runId}`,
    selectRunSteps(runId),
    sql`SELECT status, lease_owner, lease_until FROM _skiff_workflow_steps WHERE run_id = ${runId} AND seq = ${seq} AND idx = ${idx}`,
  ]);
  const child = acquired?.rows[0];
  const run = runs?.rows[0];
  if (!child || !run) {
    const state = current?.rows[0];
    if (!run || !state) {
      deps.log.error(
        `[skiff] a workflow wake names child ${idx} of step ${seq} of run "${runId}", which is not in the journal; it is dropped`,
      );
      return DONE;
    }
    const leased = state.status === "running" && state.lease_owner != null && Number(state.lease_until) > now;
    return leased ? leasedRetry(state.lease_until, now) : DONE; // ended, not due, or the run stopped
  }
  const workflow = String(run.workflow);
  const log = deps.log.child({ runId, workflow });
  const registration = lookup(deps, workflow, runId, log);
  const fence: Fence = { kind: "child", runId, seq, idx, owner };
  const release = () =>
    deps.db
      .run(sql`UPDATE _skiff_workflow_steps SET lease_owner = NULL, lease_until = ${deps.now() + deps.timings.staleMs}
                    WHERE run_id = ${runId} AND seq = ${seq} AND idx = ${idx} AND lease_owner = ${owner} AND status = 'running'`);
  if (!registration) {
    await release();
    return DONE;
  }
  const { host, replay } = replayOf(deps, registration, log, {
    runId,
    workflow,
    fence,
    mode: { kind: "child", seq, idx, attempts: Number(child.attempts) },
    rows: steps?.rows ?? [],
    cancelRequested: false,
    deadline: Number.POSITIVE_INFINITY, // one child is one step: its own timeout bounds it
  });
  await replayHandler(registration, replay, await handlerEvent(registration, runId, run), deps, log);
  if (replay.stop?.kind === "nondeterminism") {
    // Fail the child, so that the parent wakes and its own replay reports the changed code.
    const error = JSON.stringify(toErrorInfo(replay.stop.error));
    await host
      .childOutcome(
        { seq, idx, name: String(child.name), kind: "do" },
        { status: "failed", attempts: Number(child.attempts), error },
      )
      .catch((e: unknown) => log.warn("workflow child could not record its failure", { error: e }));
    return DONE;
  }
  // A replay that could not reach its child (a parallel step not journaled yet) leaves it to a later dispatch.
  if ((await release()).rowsAffected > 0) {
    log.warn("workflow fan-out child did not run; it is dispatched again later", {
      step: String(child.name),
      index: idx,
    });
  }
  return DONE;
}
