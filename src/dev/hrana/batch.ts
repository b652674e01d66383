import type { HranaConnection } from "./connection.js";
import { toHranaError } from "./errors.js";
import type { ParsedBatch } from "./parse.js";
import type { HranaBatchCond, HranaBatchResult, HranaCursorEntry } from "./protocol.js";
import { bindStatement } from "./statement.js";

/**
 * Runs a batch on one connection: steps in order, each skipped when its condition is false, a failing step
 * recorded and the next ones still considered (their conditions decide). This is how clients build transactions
 * in one round trip: `BEGIN`, then statements on `ok` of the previous one, `COMMIT`, and `ROLLBACK` on `not ok`.
 *
 * @example
 * ```ts
 * const result = await executeBatch(conn, parseCursorBody(body, 3).batch, stream.sqls);
 * ```
 */
export async function executeBatch(
  conn: HranaConnection,
  batch: ParsedBatch,
  stored: ReadonlyMap<number, string>,
): Promise<HranaBatchResult> {
  const result: HranaBatchResult = { step_results: [], step_errors: [] };
  const outcome: Array<boolean | undefined> = []; // true = ok, false = error, undefined = skipped
  for (const step of batch.steps) {
    const run = step.condition === null || evaluate(step.condition, outcome, conn);
    if (!run) {
      outcome.push(undefined);
      result.step_results.push(null);
      result.step_errors.push(null);
      continue;
    }
    try {
      result.step_results.push(await conn.execute(bindStatement(step.stmt, stored)));
      result.step_errors.push(null);
      outcome.push(true);
    } catch (error) {
      result.step_results.push(null);
      result.step_errors.push(toHranaError(error));
      outcome.push(false);
    }
  }
  return result;
}

function evaluate(
  cond: HranaBatchCond,
  outcome: ReadonlyArray<boolean | undefined>,
  conn: HranaConnection,
): boolean {
  switch (cond.type) {
    case "ok":
      return outcome[cond.step] === true;
    case "error":
      return outcome[cond.step] === false;
    case "not":
      return !evaluate(cond.cond, outcome, conn);
    case "and":
      return cond.conds.every((c) => evaluate(c, outcome, conn));
    case "or":
      return cond.conds.some((c) => evaluate(c, outcome, conn));
    case "is_autocommit":
      return conn.isAutocommit();
  }
}

/**
 * The cursor form of a batch result: for each step that ran, `step_begin`, its `row`s and `step_end`, or a
 * `step_error`; skipped steps produce nothing. The batch has already run, so entries are produced from memory.
 *
 * @example
 * ```ts
 * const lines = cursorEntries(await executeBatch(conn, batch, stored)).map((e) => JSON.stringify(e));
 * ```
 */
export function cursorEntries(result: HranaBatchResult): HranaCursorEntry[] {
  const entries: HranaCursorEntry[] = [];
  result.step_results.forEach((stepResult, step) => {
    const error = result.step_errors[step];
    if (error) entries.push({ type: "step_error", step, error });
    if (!stepResult) return;
    entries.push({ type: "step_begin", step, cols: stepResult.cols });
    for (const row of stepResult.rows) entries.push({ type: "row", row });
    entries.push({
      type: "step_end",
      affected_row_count: stepResult.affected_row_count,
      last_insert_rowid: stepResult.last_insert_rowid,
    });
  });
  return entries;
}
