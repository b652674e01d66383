import { ITEMS, SINGLE_STEPS, UNDOABLE } from "./fixtures/workflow-crash-shape.js";
import type { Effect, JournalStep, RunRow, Undo } from "./workflow-audit.js";

/**
 * A journal and side-effect tables as a correct engine leaves them for two runs of the crash suite's workflow: one
 * completed, one failed at its last step with every compensation done. The audit's own tests break one promise at a
 * time in a copy of it.
 *
 * @example
 * ```ts
 * const data = cleanData();
 * data.undos.push({ ...data.undos[0]! }); // an undo that ran twice
 * expect(auditRuns(data).problems).not.toEqual([]);
 * ```
 */
export function cleanData() {
  const runs = [
    { id: "ok", failLast: false },
    { id: "refused", failLast: true },
  ];
  const rows: RunRow[] = [];
  const steps: JournalStep[] = [];
  const effects: Effect[] = [];
  const undos: Undo[] = [];
  for (const run of runs) {
    const tokens: Record<string, string> = {};
    let seq = 0;
    const record = (name: string, idx: number) => {
      const token = `${run.id}-${name}-${idx}`;
      tokens[`${name}/${idx}`] = token;
      effects.push({ run: run.id, step: name, idx, token, pid: 1 });
      steps.push({
        run_id: run.id,
        seq: seq++,
        idx,
        name,
        kind: "do",
        status: "completed",
        output: JSON.stringify({ token }),
        compensation: run.failLast && (UNDOABLE as readonly string[]).includes(name) ? "completed" : null,
      });
    };
    for (const name of SINGLE_STEPS.filter((s) => s !== "confirm")) record(name, -1);
    for (let i = 0; i < ITEMS; i++) record("items", i);
    if (run.failLast) {
      steps.push({
        run_id: run.id,
        seq: seq++,
        idx: -1,
        name: "confirm",
        kind: "do",
        status: "failed",
        output: null,
        compensation: null,
      });
      for (const name of [...UNDOABLE].reverse())
        undos.push({ run: run.id, step: name, token: tokens[`${name}/-1`]!, pid: 1 });
      rows.push({ id: run.id, status: "failed", output: null });
    } else {
      record("confirm", -1);
      const t = (name: string, idx = -1) => tokens[`${name}/${idx}`];
      const output = {
        reserve: t("reserve"),
        charge: t("charge"),
        label: t("label"),
        notify: t("notify"),
        items: Array.from({ length: ITEMS }, (_, i) => t("items", i)),
        confirm: t("confirm"),
      };
      rows.push({ id: run.id, status: "completed", output: JSON.stringify(output) });
    }
  }
  return { runs, killedPids: new Set([7]), rows, steps, effects, undos };
}
