// Plain functions on the journal, shared by the workflow clients and `skiff workflows`. They only read and write
// the tables (plus a due timer row), so the CLI can use them against any configured database; the run proceeds at
// its next wake (the client also enqueues one at once, the CLI leaves it to the timer cron).
import type { Database } from "../bindings/db/database.js";
import { ensureSchema } from "../bindings/db/ensure-schema.js";
import { sql } from "../bindings/db/sql.js";
import { WORKFLOW_SCHEMA } from "./schema.js";
import type { WorkflowErrorInfo, WorkflowRun, WorkflowStatus, WorkflowStepInfo } from "./types.js";

/**
 * One line of {@link listRuns}: a run without its input, output and steps.
 *
 * @example
 * ```ts
 * const [latest]: WorkflowRunSummary[] = await listRuns(db, { workflow: "checkout", limit: 1 });
 * ```
 */
export interface WorkflowRunSummary {
  readonly id: string;
  readonly workflow: string;
  readonly status: WorkflowStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Creates the workflow journal's tables (idempotent; once per database per isolate or process). The engine calls
 * it before its first query; the user's `migrations` never need to.
 *
 * @example
 * ```ts
 * await ensureWorkflowSchema(db);
 * ```
 */
export function ensureWorkflowSchema(db: Database): Promise<void> {
  return ensureSchema(db, "workflows", WORKFLOW_SCHEMA);
}

/** @internal Statuses a run ends in. */
export const ENDED: readonly WorkflowStatus[] = ["completed", "failed", "cancelled"];

/**
 * Runs, newest first: all of them, or those of one workflow and/or status. `limit` defaults to 50 (at most 1,000).
 *
 * @example
 * ```ts
 * for (const run of await listRuns(db, { status: "failed" })) console.log(run.id, run.workflow);
 * ```
 */
export async function listRuns(
  db: Database,
  options: { workflow?: string; status?: WorkflowStatus; limit?: number } = {},
): Promise<WorkflowRunSummary[]> {
  await ensureWorkflowSchema(db);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 1000);
  const where = [
    options.workflow === undefined ? undefined : sql`workflow = ${options.workflow}`,
    options.status === undefined ? undefined : sql`status = ${options.status}`,
  ].filter((w) => w !== undefined);
  const rows = await db.all<{
    id: string;
    workflow: string;
    status: string;
    created_at: number;
    updated_at: number;
  }>(sql`SELECT id, workflow, status, created_at, updated_at FROM _skiff_workflow_runs
         ${where.length ? sql`WHERE ${sql.join(where, " AND ")}` : sql.empty}
         ORDER BY created_at DESC, id LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    workflow: r.workflow,
    status: r.status as WorkflowStatus,
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
  }));
}

/** @internal A JSON column, or undefined when NULL. */
export function parseJson(text: unknown): unknown {
  return typeof text === "string" ? JSON.parse(text) : undefined;
}

function errorInfo(text: unknown): WorkflowErrorInfo | undefined {
  const value = parseJson(text) as { name?: unknown; message?: unknown } | undefined;
  return value ? { name: String(value.name ?? "Error"), message: String(value.message ?? "") } : undefined;
}

/**
 * A run with every journaled step (fan-out children carry their `index`), or `undefined` when no run has that id.
 *
 * @example
 * ```ts
 * const run = await getRun(db, "checkout-o1");
 * console.log(run?.status, run?.steps.map((s) => `${s.name}:${s.status}`));
 * ```
 */
export async function getRun(db: Database, id: string): Promise<WorkflowRun | undefined> {
  await ensureWorkflowSchema(db);
  const [runs, steps] = await db.batch(
    [
      sql`SELECT * FROM _skiff_workflow_runs WHERE id = ${id}`,
      sql`SELECT seq, idx, name, kind, status, attempts, output, error, compensation FROM _skiff_workflow_steps
          WHERE run_id = ${id} ORDER BY seq, idx`,
    ],
    "read",
  );
  const run = runs?.rows[0];
  if (!run) return undefined;
  return {
    id,
    workflow: String(run.workflow),
    status: run.status as WorkflowStatus,
    input: parseJson(run.input),
    ...(run.output == null ? {} : { output: parseJson(run.output) }),
    ...(run.error == null ? {} : { error: errorInfo(run.error) as WorkflowErrorInfo }),
    createdAt: new Date(Number(run.created_at)),
    updatedAt: new Date(Number(run.updated_at)),
    steps: (steps?.rows ?? []).map((s): WorkflowStepInfo => {
      const idx = Number(s.idx);
      return {
        name: String(s.name),
        kind: (idx >= 0 ? "do" : s.kind) as WorkflowStepInfo["kind"],
        ...(idx >= 0 ? { index: idx } : {}),
        status: (s.status === "pending" ? "waiting" : s.status) as WorkflowStepInfo["status"],
        attempts: Number(s.attempts),
        ...(s.output == null ? {} : { output: parseJson(s.output) }),
        ...(s.error == null ? {} : { error: errorInfo(s.error) as WorkflowErrorInfo }),
        ...(s.compensation == null
          ? {}
          : {
              compensation: (s.compensation === "started"
                ? "interrupted"
                : s.compensation) as WorkflowStepInfo["compensation"] & string,
            }),
      };
    }),
  };
}

/** @internal Upsert of the run-level timer row (seq -1, idx -1): wake the run at `at`, no message sent yet. */
export function wakeRunAt(runId: string, at: number, sentFor: number | null = null) {
  return sql`INSERT INTO _skiff_workflow_timers (run_id, seq, idx, wake_at, sent_for) VALUES (${runId}, -1, -1, ${at}, ${sentFor})
             ON CONFLICT (run_id, seq, idx) DO UPDATE SET wake_at = excluded.wake_at, sent_for = excluded.sent_for`;
}

/**
 * Asks a run to stop: the next replay stops at its first unjournaled step, compensates the completed steps
 * (newest first) and ends the run `cancelled`. Writes the flag and a due timer row, so the run is woken by the next
 * timer cron (the client's `cancel()` also wakes it at once). Returns `"ended"` (nothing changed) for a run that had
 * already ended and `"unknown"` for an id with no run.
 *
 * @example
 * ```ts
 * if ((await cancelRun(db, id)) === "requested") console.log("the run will stop at its next wake");
 * ```
 */
export async function cancelRun(db: Database, id: string): Promise<"requested" | "ended" | "unknown"> {
  await ensureWorkflowSchema(db);
  const now = Date.now();
  const [updated, , found] = await db.batch([
    sql`UPDATE _skiff_workflow_runs SET cancel_requested = 1, updated_at = ${now}
        WHERE id = ${id} AND status NOT IN ('completed', 'failed', 'cancelled')`,
    sql`INSERT INTO _skiff_workflow_timers (run_id, seq, idx, wake_at, sent_for)
        SELECT ${id}, -1, -1, ${now}, NULL WHERE changes() > 0
        ON CONFLICT (run_id, seq, idx) DO UPDATE SET wake_at = excluded.wake_at, sent_for = NULL`,
    sql`SELECT status FROM _skiff_workflow_runs WHERE id = ${id}`,
  ]);
  if (updated?.rowsAffected) return "requested";
  return found?.rows.length ? "ended" : "unknown";
}

/**
 * Restarts a `failed` or `cancelled` run. When no compensation ran (no step has an undo outcome), it resumes from
 * the first failed step: failed steps (and a failed fan-out with all its children) are removed from the journal,
 * completed ones stay and are not run again. When anything was compensated, the side effects were undone, so it
 * restarts from the start: the journal is cleared and the run's events become unclaimed again. Either way the run
 * goes back to `queued` with a due timer row. Returns `"active"` for a run that has not ended (nothing changed),
 * `"completed"` for a completed run (nothing changed) and `"unknown"` for an id with no run.
 *
 * @example
 * ```ts
 * const outcome = await retryRun(db, "checkout-o1"); // "resumed" | "restarted" | ...
 * ```
 */
export async function retryRun(
  db: Database,
  id: string,
): Promise<"resumed" | "restarted" | "active" | "completed" | "unknown"> {
  await ensureWorkflowSchema(db);
  const run = await db.get<{ status: string }>(sql`SELECT status FROM _skiff_workflow_runs WHERE id = ${id}`);
  if (!run) return "unknown";
  if (run.status === "completed") return "completed";
  if (run.status !== "failed" && run.status !== "cancelled") return "active";
  const compensated = await db.get(
    sql`SELECT 1 FROM _skiff_workflow_steps WHERE run_id = ${id} AND compensation IS NOT NULL LIMIT 1`,
  );
  const now = Date.now();
  const reset = sql`UPDATE _skiff_workflow_runs SET status = 'queued', output = NULL, error = NULL, cancel_requested = 0,
                    lease_owner = NULL, lease_until = NULL, updated_at = ${now}
                    WHERE id = ${id} AND status = ${run.status}`;
  const [updated] = await db.batch(
    compensated
      ? [
          reset,
          sql`DELETE FROM _skiff_workflow_steps WHERE run_id = ${id} AND changes() > 0`,
          sql`UPDATE _skiff_workflow_events SET consumed_seq = NULL WHERE run_id = ${id}`,
          sql`DELETE FROM _skiff_workflow_timers WHERE run_id = ${id}`,
          wakeRunAt(id, now),
        ]
      : [
          reset,
          // A failed fan-out is run again whole: its children are removed with it.
          sql`DELETE FROM _skiff_workflow_steps WHERE run_id = ${id} AND seq IN
              (SELECT seq FROM _skiff_workflow_steps WHERE run_id = ${id} AND idx = -1 AND status = 'failed')`,
          sql`DELETE FROM _skiff_workflow_steps WHERE run_id = ${id} AND idx = -1 AND status IN ('failed', 'running')`,
          sql`DELETE FROM _skiff_workflow_timers WHERE run_id = ${id}`,
          wakeRunAt(id, now),
        ],
  );
  if (!updated?.rowsAffected) return "active"; // it changed under us: someone else retried it
  return compensated ? "restarted" : "resumed";
}
