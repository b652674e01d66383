// The journal's statements. Every write of an executor is fenced by its lease in the same batch (a transaction), so
// an executor that lost its lease (paused, then taken over) records nothing.
import type { Database } from "../bindings/db/database.js";
import { sql, type SqlQuery } from "../bindings/db/sql.js";
import { SkiffError } from "../errors.js";

/**
 * @internal Where a step sits in the journal: its position, and what the code called there.
 *
 * @example
 * ```ts
 * const at: StepPosition = { seq: 3, idx: -1, name: "charge", kind: "do" };
 * ```
 */
export interface StepPosition {
  seq: number;
  /** -1 for a step of the run, 0..n-1 for a fan-out child. */
  idx: number;
  name: string;
  kind: string;
}

/**
 * @internal What one write records of a step (`wakeAt`: a sleep's, a retry delay's or an event timeout's time).
 *
 * @example
 * ```ts
 * const retry: StepValues = { status: "waiting", attempts: 1, error, wakeAt: now + 10_000 };
 * ```
 */
export interface StepValues {
  status: string;
  attempts: number;
  output?: string | null;
  error?: string | null;
  wakeAt?: number | null;
}

/** @internal A journal row of `_skiff_workflow_steps`, as read back. */
export interface StepRow extends StepPosition {
  status: string;
  attempts: number;
  output: string | null;
  error: string | null;
  wake_at: number | null;
  compensation: string | null;
}

/** @internal Who may write: the run's lease holder, or the lease holder of one fan-out child. */
export type Fence =
  | { kind: "run"; runId: string; owner: string }
  | { kind: "child"; runId: string; seq: number; idx: number; owner: string };

/** @internal The condition a fenced statement carries. */
export function fenceCondition(fence: Fence): SqlQuery {
  return fence.kind === "run"
    ? sql`EXISTS (SELECT 1 FROM _skiff_workflow_runs WHERE id = ${fence.runId} AND lease_owner = ${fence.owner})`
    : sql`EXISTS (SELECT 1 FROM _skiff_workflow_steps WHERE run_id = ${fence.runId} AND seq = ${fence.seq} AND idx = ${fence.idx} AND lease_owner = ${fence.owner})`;
}

/**
 * @internal Extends the fence's lease to `until`, for as long as it is still this executor's.
 *
 * @example
 * ```ts
 * await db.run(renewLease(fence, now + leaseMs));
 * ```
 */
export function renewLease(fence: Fence, until: number): SqlQuery {
  return fence.kind === "run"
    ? sql`UPDATE _skiff_workflow_runs SET lease_until = ${until} WHERE id = ${fence.runId} AND lease_owner = ${fence.owner}`
    : sql`UPDATE _skiff_workflow_steps SET lease_until = ${until}
          WHERE run_id = ${fence.runId} AND seq = ${fence.seq} AND idx = ${fence.idx} AND lease_owner = ${fence.owner}`;
}

/** @internal Thrown inside the engine when a fenced write finds the lease gone: the executor stops, recording nothing. */
export class LeaseLost extends SkiffError {
  override name = "LeaseLost";
}

/**
 * @internal Runs `statements` in one transaction after checking the fence; each statement must carry the fence
 * condition itself (the check only reports). Returns the results of `statements`.
 *
 * @example
 * ```ts
 * const [updated] = await fencedBatch(db, fence, [sql`UPDATE ... WHERE ${fenceCondition(fence)}`]);
 * ```
 */
export async function fencedBatch(db: Database, fence: Fence, statements: readonly SqlQuery[]) {
  const [check, ...results] = await db.batch([sql`SELECT ${fenceCondition(fence)} AS ok`, ...statements]);
  if (!check?.rows[0]?.ok) throw new LeaseLost("the lease of this executor was taken over; it stops here");
  return results;
}

/**
 * @internal Writes a step row unless it already ended: a result is recorded exactly once.
 *
 * @example
 * ```ts
 * await fencedBatch(db, fence, [recordStep(fence, { ...at, status: "completed", attempts: 1, output }, now)]);
 * ```
 */
export function recordStep(fence: Fence, row: StepPosition & StepValues, now: number): SqlQuery {
  const ended = row.status === "completed" || row.status === "failed" ? now : null;
  return sql`INSERT INTO _skiff_workflow_steps (run_id, seq, idx, name, kind, status, attempts, output, error, wake_at, started_at, ended_at)
    SELECT ${fence.runId}, ${row.seq}, ${row.idx}, ${row.name}, ${row.kind}, ${row.status}, ${row.attempts}, ${row.output ?? null},
           ${row.error ?? null}, ${row.wakeAt ?? null}, ${now}, ${ended}
    WHERE ${fenceCondition(fence)}
    ON CONFLICT (run_id, seq, idx) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
      output = excluded.output, error = excluded.error, wake_at = excluded.wake_at, ended_at = excluded.ended_at
    WHERE _skiff_workflow_steps.status NOT IN ('completed', 'failed')`;
}

/**
 * @internal Sets when the run (`seq` and `idx` -1) or one fan-out child must next be woken, if `where` holds.
 * `sentFor` is the wake time a queue message goes out for in the same invocation (NULL: the timer cron sends it).
 *
 * @example
 * ```ts
 * setTimer(runId, { seq: -1, idx: -1, wakeAt: now, sentFor: now }, fenceCondition(fence));
 * ```
 */
export function setTimer(
  runId: string,
  at: { seq: number; idx: number; wakeAt: number; sentFor: number | null },
  where: SqlQuery,
): SqlQuery {
  return sql`INSERT INTO _skiff_workflow_timers (run_id, seq, idx, wake_at, sent_for)
    SELECT ${runId}, ${at.seq}, ${at.idx}, ${at.wakeAt}, ${at.sentFor} WHERE ${where}
    ON CONFLICT (run_id, seq, idx) DO UPDATE SET wake_at = excluded.wake_at, sent_for = excluded.sent_for`;
}

// The columns of a StepRow, in one place for both reads.
const STEP_COLUMNS = sql`seq, idx, name, kind, status, attempts, output, error, wake_at, compensation`;

/** @internal The stored row of a step, read back after a write (the row replay returns). */
export function selectStep(runId: string, seq: number, idx: number): SqlQuery {
  return sql`SELECT ${STEP_COLUMNS} FROM _skiff_workflow_steps WHERE run_id = ${runId} AND seq = ${seq} AND idx = ${idx}`;
}

/** @internal The run's own steps (not fan-out children), in position order. */
export function selectRunSteps(runId: string): SqlQuery {
  return sql`SELECT ${STEP_COLUMNS} FROM _skiff_workflow_steps WHERE run_id = ${runId} AND idx = -1 ORDER BY seq`;
}

/** @internal Casts a row from the driver (numbers may come back as bigint-free numbers, text as strings). */
export function toStepRow(row: Record<string, unknown>): StepRow {
  return {
    seq: Number(row.seq),
    idx: Number(row.idx),
    name: String(row.name),
    kind: String(row.kind),
    status: String(row.status),
    attempts: Number(row.attempts),
    output: row.output == null ? null : String(row.output),
    error: row.error == null ? null : String(row.error),
    wake_at: row.wake_at == null ? null : Number(row.wake_at),
    compensation: row.compensation == null ? null : String(row.compensation),
  };
}
