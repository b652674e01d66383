import { WORKFLOW_QUEUE } from "../../workflows/schema.js";
import type { AppManifest } from "../app/manifest.js";
import { table, type Output } from "../output.js";

/**
 * Prints an app's routes (method, path, middleware → handler), crons (with the next run), queues and workflows
 * (whether each is implemented) for people; used by `skiff routes` and the `skiff dev` banner. The workflow timer
 * cron and the `skiff-workflows` queue are the engine's own entries and say so.
 *
 * @example
 * ```ts
 * printApp(out, describeApp(app));
 * ```
 */
export function printApp(out: Output, manifest: AppManifest): void {
  const { bold, dim, cyan, green } = out.style;
  out.line(bold("Routes"));
  const rows = manifest.routes.map((r) => [
    green(r.method),
    r.path,
    `${r.middleware.length ? dim(`${r.middleware.join(", ")} → `) : ""}${r.handler}`,
  ]);
  for (const line of table(rows)) out.line(`  ${line}`);
  if (!rows.length) out.line(dim("  none"));

  out.line(bold("Crons") + dim(" (UTC)"));
  const crons = manifest.crons.map((c) => [
    cyan(c.expression),
    `next ${c.next ?? "never"}`,
    dim(
      `${c.handlers} handler${c.handlers === 1 ? "" : "s"}${c.expression === manifest.workflowTimerCron ? " (workflow timers)" : ""}`,
    ),
  ]);
  for (const line of table(crons)) out.line(`  ${line}`);
  if (!crons.length) out.line(dim("  none"));

  out.line(bold("Queues"));
  const queues = manifest.queues.map((q) => {
    const o = q.consumer?.options;
    const consumer = o
      ? `${q.consumer?.kind === "batch" ? "batch consumer" : "consumer"}: maxRetries ${o.maxRetries}, batch ${o.maxBatchSize}/${o.maxBatchTimeoutSeconds}s${o.deadLetter ? `, dead letters → ${o.deadLetter}` : ""}`
      : "no consumer";
    const notes = [
      q.declared ? "" : "not declared",
      q.deadLetterFor.length ? `dead-letter queue of ${q.deadLetterFor.join(", ")}` : "",
      q.name === WORKFLOW_QUEUE && manifest.workflows.length ? "wake-ups of workflows" : "",
    ].filter(Boolean);
    return [cyan(q.name), consumer, dim(notes.join("; "))];
  });
  for (const line of table(queues)) out.line(`  ${line}`);
  if (!queues.length) out.line(dim("  none"));

  // Only apps that declare workflows get the section, so the output of the others is unchanged.
  if (!manifest.workflows.length) return;
  out.line(bold("Workflows"));
  const workflows = manifest.workflows.map((w) => [
    cyan(w.name),
    w.implemented ? "implemented" : out.style.yellow("not implemented (no app.workflow())"),
  ]);
  for (const line of table(workflows)) out.line(`  ${line}`);
}
