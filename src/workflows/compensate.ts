// The saga: the undo of every completed step that has one, newest first, each at most once. Each compensation is
// journaled before (`started`) and after (`completed`/`failed`); a later replay that finds `started` knows an
// executor died inside that undo and records `interrupted` instead of running it again.
import { sql } from "../bindings/db/sql.js";
import type { Logger } from "../logger.js";
import { toErrorInfo } from "./errors.js";
import { fenceCondition, fencedBatch, selectStep, toStepRow, type Fence } from "./journal.js";
import type { ExecutorHost } from "./host.js";
import { decode, type Compensable } from "./replay.js";

/** @internal The outcome of one compensation, for the run's end log line. */
export interface CompensationOutcome {
  step: string;
  index?: number;
  outcome: "completed" | "failed" | "interrupted";
}

/** @internal Runs the compensations of a failed or cancelled run. A lost lease stops it (LeaseLost propagates). */
export async function compensate(
  host: ExecutorHost,
  compensable: readonly Compensable[],
  log: Logger,
): Promise<CompensationOutcome[]> {
  const outcomes: CompensationOutcome[] = [];
  const newestFirst = [...compensable].sort((a, b) => b.seq - a.seq || b.idx - a.idx);
  for (const entry of newestFirst) {
    const found = await host.db.get(selectStep(host.runId, entry.seq, entry.idx));
    if (!found) continue;
    const row = toStepRow(found);
    if (row.status !== "completed" || (row.compensation !== null && row.compensation !== "started")) continue;
    const at = { step: entry.name, ...(entry.idx >= 0 ? { index: entry.idx } : {}) };
    if (row.compensation === "started") {
      await mark(host.fence, host, entry, "interrupted", null);
      log.warn("workflow compensation interrupted", {
        ...at,
        reason: "an executor stopped inside this undo; it is not run again",
      });
      outcomes.push({ ...at, outcome: "interrupted" });
      continue;
    }
    if (!(await mark(host.fence, host, entry, "started", null))) continue;
    try {
      await entry.undo(decode(row.output) as never, {
        attempt: 1,
        idempotencyKey: `${entry.key}:undo`,
        signal: new AbortController().signal,
      });
      await mark(host.fence, host, entry, "completed", null);
      log.info("workflow compensation completed", at);
      outcomes.push({ ...at, outcome: "completed" });
    } catch (error) {
      if ((error as Error).name === "LeaseLost") throw error;
      await mark(host.fence, host, entry, "failed", JSON.stringify(toErrorInfo(error)));
      log.error("workflow compensation failed", { ...at, error });
      outcomes.push({ ...at, outcome: "failed" });
    }
  }
  return outcomes;
}

async function mark(
  fence: Fence,
  host: ExecutorHost,
  entry: Compensable,
  state: "started" | "completed" | "failed" | "interrupted",
  error: string | null,
): Promise<boolean> {
  const expected = state === "started" ? sql`compensation IS NULL` : sql`compensation = 'started'`;
  const [result] = await fencedBatch(host.db, fence, [
    sql`UPDATE _skiff_workflow_steps SET compensation = ${state}, compensation_error = ${error}
        WHERE run_id = ${host.runId} AND seq = ${entry.seq} AND idx = ${entry.idx} AND ${expected} AND ${fenceCondition(fence)}`,
  ]);
  return (result?.rowsAffected ?? 0) > 0;
}
