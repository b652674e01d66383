import { existsSync, readFileSync } from "node:fs";
import { cronFromJobMessage } from "./scheduler-parse.js";
import type { Problem } from "../../errors.js";
import type { TargetInput } from "../types.js";
import { renderGcp } from "../../../triggers/cron/render-gcp.js";
import { cronKey } from "../../../triggers/cron/index.js";

/**
 * @internal Compares a committed scheduler script (`--config`) with the app: every cron needs one job, with the
 * schedule skiff renders and `--time-zone=Etc/UTC` (skiff's crons are UTC); a job for a cron the app no longer has
 * would fire into a 500 every time.
 *
 * @example
 * ```ts
 * checkSchedulerScript(input, "deploy/scheduler.sh") // [{ target: "gcp", message: 'cron "0 9 * * *" has no job ...' }]
 * ```
 */
export function checkSchedulerScript(input: TargetInput, file: string): Problem[] {
  const rel = input.project.rel(file);
  if (!existsSync(file))
    return [
      {
        target: "gcp",
        file: rel,
        message: `${rel} does not exist`,
        fix: "run skiff build --target gcp and commit its scheduler.sh",
      },
    ];
  const jobs = cronFromJobMessage(readFileSync(file, "utf8"));
  const problems: Problem[] = [];
  const byKey = new Map(jobs.map((job) => [cronKey(job.cron), job]));
  for (const { expression } of input.manifest.crons) {
    const job = byKey.get(cronKey(expression));
    if (!job) {
      problems.push({
        target: "gcp",
        file: rel,
        message: `cron "${expression}" has no Cloud Scheduler job in ${rel}`,
        fix: "regenerate it with skiff build --target gcp",
      });
      continue;
    }
    let expected: string | undefined;
    try {
      expected = renderGcp(expression);
    } catch {
      expected = undefined; // reported by the render check
    }
    if (expected !== undefined && job.schedule !== expected)
      problems.push({
        target: "gcp",
        file: rel,
        message: `the job of cron "${expression}" runs on --schedule "${job.schedule ?? ""}", not "${expected}"`,
      });
    if (job.timeZone !== "Etc/UTC")
      problems.push({
        target: "gcp",
        file: rel,
        message: `the job of cron "${expression}" has --time-zone ${job.timeZone ?? "(none)"}; skiff's crons are UTC: use --time-zone=Etc/UTC`,
      });
  }
  const known = new Set(input.manifest.crons.map((c) => cronKey(c.expression)));
  for (const job of jobs)
    if (!known.has(cronKey(job.cron)))
      problems.push({
        target: "gcp",
        file: rel,
        message: `${rel} has a job for cron "${job.cron}", which the app does not register (each firing would fail)`,
        fix: "delete the job (gcloud scheduler jobs delete) and regenerate the script",
      });
  return problems;
}
