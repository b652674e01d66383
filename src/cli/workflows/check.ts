import { WORKFLOW_QUEUE } from "../../workflows/schema.js";
import type { AppManifest } from "../app/manifest.js";
import type { Problem } from "../errors.js";

const names = (manifest: AppManifest) =>
  manifest.workflows
    .filter((w) => w.implemented)
    .map((w) => w.name)
    .join(", ");

/**
 * What is wrong with an app's workflows whatever the target: a workflow declared in `new Skiff({ workflows })`
 * without an `app.workflow()` handler (its runs would be journaled and never execute; with no workflow implemented
 * at all, there is not even a consumer for their wake-ups). Warnings, reported once, with target `"app"`.
 *
 * @example
 * ```ts
 * appWorkflowProblems(manifest) // [{ target: "app", severity: "warning", message: 'workflow "refund" is declared ...' }]
 * ```
 */
export function appWorkflowProblems(manifest: AppManifest): Problem[] {
  return manifest.workflows
    .filter((w) => !w.implemented)
    .map((w) => ({
      target: "app",
      severity: "warning",
      message: `workflow "${w.name}" is declared in new Skiff({ workflows }) but has no app.workflow("${w.name}", handler): runs started for it are journaled and never execute`,
    }));
}

/**
 * Says why a problem with one of the engine's own entries matters: a target's config check reports the
 * `skiff-workflows` queue and the workflow timer cron like any queue and cron (as if the app had registered them
 * with `app.queue()` / `app.cron()`), so each such problem gets the workflows that need it and what the entry does.
 * Other problems are returned as they are.
 *
 * @example
 * ```ts
 * withWorkflowContext(problems, manifest)[0]?.message
 * // 'queue "skiff-workflows" has ... — skiff's own queue for the wake-ups of the workflows checkout: without it no run advances'
 * ```
 */
export function withWorkflowContext(problems: readonly Problem[], manifest: AppManifest): Problem[] {
  const workflows = names(manifest);
  if (!workflows) return [...problems];
  const timer = manifest.workflowTimerCron;
  return problems.map((p) => {
    if (p.message.includes(`"${WORKFLOW_QUEUE}"`))
      return {
        ...p,
        message: `${p.message} — skiff's own queue for the wake-ups of the workflows ${workflows}: without it no run advances`,
      };
    if (timer && p.message.includes(`cron "${timer}"`) && !p.message.includes("workflow"))
      return {
        ...p,
        message: `${p.message} — the workflow timer cron skiff registers for the workflows ${workflows}: without it sleeps longer than the queue's longest delay never end and lost wake-ups are never recovered`,
      };
    return p;
  });
}
