import type {
  WorkflowErrorInfo,
  WorkflowRun,
  WorkflowStatus,
  WorkflowStepInfo,
} from "../../workflows/types.js";
import { table, type Output, type Style } from "../output.js";

/**
 * One line of `skiff workflows list`: what the journal says of a run without its steps.
 *
 * @example
 * ```ts
 * const row: RunRow = { id: "checkout-o1", workflow: "checkout", status: "completed", createdAt, updatedAt };
 * ```
 */
export interface RunRow {
  readonly id: string;
  readonly workflow: string;
  readonly status: WorkflowStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

// Fan-out groups up to this size list every child; bigger ones are summarised by status.
const LIST_CHILDREN = 10;
const SHOW_FAILED_CHILDREN = 5;

/**
 * A value as one line for a terminal: JSON, cut at `max` characters with `…` (the whole value is in `--json`).
 *
 * @example
 * ```ts
 * preview({ id: "o1" }) // '{"id":"o1"}'
 * ```
 */
export function preview(value: unknown, max = 120): string {
  if (value === undefined) return "-";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function statusText(style: Style, status: string): string {
  if (status === "completed") return style.green(status);
  if (status === "failed") return style.red(status);
  if (status === "cancelled") return style.yellow(status);
  return style.cyan(status);
}

const errorText = (e: WorkflowErrorInfo) => `${e.name}: ${e.message}`;

/**
 * Prints `skiff workflows list`: one row per run, newest first as the journal returns them.
 *
 * @example
 * ```ts
 * printRuns(out, await listRuns(db, { limit: 20 }));
 * ```
 */
export function printRuns(out: Output, runs: readonly RunRow[]): void {
  const { dim } = out.style;
  if (!runs.length) {
    out.line(dim("no runs"));
    return;
  }
  const rows = [
    ["ID", "WORKFLOW", "STATUS", "CREATED", "UPDATED"].map(dim),
    ...runs.map((r) => [
      r.id,
      r.workflow,
      statusText(out.style, r.status),
      r.createdAt.toISOString(),
      r.updatedAt.toISOString(),
    ]),
  ];
  for (const line of table(rows)) out.line(line);
}

/**
 * Prints `skiff workflows show`: the run (status, times, input, output, error), then each step with its kind,
 * status, attempts, result or error and the outcome of its compensation. The children of a fan-out are listed
 * under it, or summarised by status (with the failed ones named) when there are more than ten.
 *
 * @example
 * ```ts
 * const run = await getRun(db, id);
 * if (run) printRun(out, run);
 * ```
 */
export function printRun(out: Output, run: WorkflowRun): void {
  const { bold, dim, red } = out.style;
  out.line(`${bold(run.id)}  ${run.workflow}  ${statusText(out.style, run.status)}`);
  const fields: string[][] = [
    ["created", run.createdAt?.toISOString() ?? "-"],
    ["updated", run.updatedAt?.toISOString() ?? "-"],
    ["input", preview(run.input)],
    ["output", preview(run.output)],
    ...(run.error ? [["error", red(errorText(run.error))]] : []),
  ];
  for (const line of table(fields.map(([k, v]) => [dim(k ?? ""), v ?? ""]))) out.line(`  ${line}`);
  out.line(bold("Steps"));
  if (!run.steps.length) {
    out.line(dim("  none yet"));
    return;
  }
  // Table rows, and lines printed as they are after the row before them (fan-out summaries, which would widen
  // every column if they were cells).
  const rows: string[][] = [];
  const after = new Map<number, string[]>();
  const note = (text: string) => after.set(rows.length - 1, [...(after.get(rows.length - 1) ?? []), text]);
  let position = 0;
  for (let i = 0; i < run.steps.length; i++) {
    const step = run.steps[i] as WorkflowStepInfo;
    if (step.index === undefined) {
      rows.push(stepRow(out.style, String(++position), step));
      continue;
    }
    let end = i;
    while (run.steps[end + 1]?.index !== undefined) end++;
    childRows(out.style, run.steps.slice(i, end + 1), rows, note);
    i = end;
  }
  table(rows).forEach((line, i) => {
    out.line(`  ${line}`);
    for (const extra of after.get(i) ?? []) out.line(`      ${extra}`);
  });
}

function stepRow(style: Style, label: string, step: WorkflowStepInfo): string[] {
  // Only a step's own function has attempts; a sleep, an event or a fan-out group waits.
  const attempts = step.kind === "do" ? `${step.attempts} attempt${step.attempts === 1 ? "" : "s"}` : "";
  const result = step.error
    ? style.red(errorText(step.error))
    : step.status === "completed" && step.kind === "do"
      ? style.dim(`→ ${preview(step.output, 60)}`)
      : "";
  const undo = step.compensation
    ? (step.compensation === "completed" ? style.yellow : style.red)(`undo ${step.compensation}`)
    : "";
  return [
    style.dim(label),
    step.name,
    style.dim(step.kind),
    statusText(style, step.status),
    attempts,
    undo,
    result,
  ];
}

// The children of a fan-out: each as a row when there are few, else a count by status and the failed ones.
function childRows(
  style: Style,
  children: readonly WorkflowStepInfo[],
  rows: string[][],
  note: (text: string) => void,
): void {
  const row = (c: WorkflowStepInfo) => stepRow(style, `  [${c.index ?? "?"}]`, c);
  if (children.length <= LIST_CHILDREN) {
    rows.push(...children.map(row));
    return;
  }
  const counts = new Map<string, number>();
  for (const c of children) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${statusText(style, status)}`).join(", ");
  note(`${children.length} children: ${summary}`);
  const failed = children.filter((c) => c.status === "failed");
  rows.push(...failed.slice(0, SHOW_FAILED_CHILDREN).map(row));
  if (failed.length > SHOW_FAILED_CHILDREN)
    note(style.dim(`… ${failed.length - SHOW_FAILED_CHILDREN} more failed (--json lists every child)`));
}
