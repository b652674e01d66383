import { existsSync } from "node:fs";
import { vercelCronPath, vercelDrainPath } from "../../../adapters/vercel/paths.js";
import { nextOccurrence } from "../../../triggers/cron/index.js";
import type { Problem } from "../../errors.js";
import { pickPlan, PLANS } from "../plans.js";
import type { TargetInput } from "../types.js";
import { checkVercelJson, writeVercelJson } from "./vercel-json.js";

// Vercel Hobby runs a cron at most once a day (https://vercel.com/docs/cron-jobs/usage-and-pricing).
function moreThanDaily(expression: string): boolean {
  let at = Date.UTC(2030, 0, 1);
  for (let i = 0; i < 8; i++) {
    const next = nextOccurrence(expression, at);
    if (next === null) return false;
    const after = nextOccurrence(expression, next);
    if (after !== null && after - next < 24 * 3600_000) return true;
    at = next;
  }
  return false;
}

const implemented = (input: TargetInput) =>
  input.manifest.workflows
    .filter((w) => w.implemented)
    .map((w) => w.name)
    .join(", ");

/**
 * The plan rules the app's crons break: on Hobby (the default `--plan`), a cron that runs more than once a day,
 * which Vercel refuses to deploy. For the workflow timer cron, the message says how to make it daily
 * (`new Skiff({ workflowTimers })`).
 *
 * @example
 * ```ts
 * planProblems(input, "vercel.json") // [{ target: "vercel", message: 'cron "*\/15 * * * *" runs more than once a day, ...' }]
 * ```
 */
export function planProblems(input: TargetInput, file: string): Problem[] {
  if (pickPlan(input.plan, PLANS.vercel) !== "hobby") return [];
  const timer = input.manifest.workflowTimerCron;
  const problems: Problem[] = input.manifest.crons
    .filter((c) => moreThanDaily(c.expression))
    .map((c) => ({
      target: "vercel",
      file,
      message:
        c.expression === timer
          ? `the workflow timer cron "${c.expression}" (of the workflows ${implemented(input)}) runs more than once a day, which the Hobby plan refuses: set the app's timer option, new Skiff({ workflows, workflowTimers: "0 0 * * *" }), so sleeps longer than the queue's delay and lost wake-ups are handled daily${c.handlers > 1 ? `; an app.cron("${c.expression}") handler needs the same change` : ""} (on Pro, pass --plan pro)`
          : `cron "${c.expression}" runs more than once a day, which the Hobby plan refuses (on Pro, pass --plan pro)`,
    }));
  const drain = input.project.vercelDrainSchedule;
  if (typeof drain === "string" && input.app.triggers.queues.size > 0 && moreThanDaily(drain))
    problems.push({
      target: "vercel",
      file,
      message: `skiff.vercel.drainSchedule "${drain}" runs more than once a day, which the Hobby plan refuses (on Pro, pass --plan pro)`,
    });
  return problems;
}

/**
 * Checks (`write: false`) or writes (`write: true`) the app's crons in `vercel.json`. A plan rule that fails is a
 * problem either way, and then nothing is written: a `vercel.json` Vercel would refuse is never produced. When
 * writing, the file is rewritten only when its crons differ, so an up-to-date file keeps its bytes and mtime.
 *
 * @example
 * ```ts
 * const { problems, files } = await vercelCrons(input, "/p/vercel.json", "vercel.json", "/api", true);
 * ```
 */
export async function vercelCrons(
  input: TargetInput,
  vercelJson: string,
  file: string,
  basePath: string,
  write: boolean,
): Promise<{ problems: Problem[]; files: string[] }> {
  const problems = planProblems(input, file);
  const files: string[] = [];
  try {
    const options = {
      basePath,
      ...(input.project.vercelDrainSchedule === undefined
        ? {}
        : { drainSchedule: input.project.vercelDrainSchedule }),
    };
    const diff = await checkVercelJson(input.app, vercelJson, options);
    const why = whyNeeded(input, basePath);
    if (write) {
      if (!problems.length && (!diff.ok || !existsSync(vercelJson))) {
        await writeVercelJson(input.app, vercelJson, options);
        files.push(vercelJson);
      }
    } else {
      for (const c of diff.missing)
        problems.push({
          target: "vercel",
          file,
          message: `crons lacks ${JSON.stringify(c)}${why(c.path)}; run skiff build --target vercel to write it`,
        });
      for (const c of diff.stale)
        problems.push({
          target: "vercel",
          file,
          message: `crons has ${JSON.stringify(c)}, which the app no longer registers; run skiff build --target vercel`,
        });
    }
  } catch (error) {
    problems.push({
      target: "vercel",
      file,
      message: error instanceof Error ? error.message.replace(/^\[skiff\] /, "") : String(error),
    });
  }
  const workflows = implemented(input);
  if (workflows && input.project.vercelDrainSchedule === false)
    problems.push({
      target: "vercel",
      file: "package.json",
      severity: "warning",
      message: `skiff.vercel.drainSchedule is false, but the wake-ups of the workflows ${workflows} are queue messages, which Vercel delivers through the queue drain: runs then advance only when requests drain the queue (toVercel's drainOnRequest). Set a drain schedule ("0 0 * * *" on Hobby)`,
    });
  return { problems, files };
}

// What a missing entry does for workflows, for the "crons lacks" messages: the timer cron, and the queue drain that
// delivers their wake-ups.
function whyNeeded(input: TargetInput, basePath: string): (path: string) => string {
  const workflows = implemented(input);
  const timer = input.manifest.workflowTimerCron;
  return (path) => {
    if (!workflows) return "";
    if (timer && path === vercelCronPath(timer, basePath))
      return ` (the workflow timer cron of ${workflows}: it ends sleeps longer than the queue's delay and recovers lost wake-ups)`;
    if (path === vercelDrainPath(basePath))
      return ` (the queue drain, which delivers the wake-ups of the workflows ${workflows})`;
    return "";
  };
}
