import { writeFile } from "node:fs/promises";
import { normalizeBasePath, vercelCronPath, vercelDrainPath } from "../../../adapters/vercel/paths.js";
import { nextOccurrence } from "../../../triggers/cron/index.js";
import type { Problem } from "../../errors.js";
import { pickPlan, PLANS } from "../plans.js";
import type { TargetInput } from "../types.js";
import { wantedFunctions } from "./functions.js";
import { mergeVercel, vercelDrift, writeRoutes, type WantedVercel } from "./schedules-config.js";
import { diffVercelCrons, vercelCrons as cronEntries } from "./vercel-config.js";
import { readVercelJson } from "./vercel-json.js";
import { vercelSettings } from "./vercel-settings.js";

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
 * Checks (`write: false`) or writes (`write: true`) what the app needs in `vercel.json` and beside its route
 * handler: its crons as Vercel Schedules (a private function, the default) or as Cron Jobs (`crons`, see
 * {@link vercelSettings}), and, with `skiff.vercel.queues: "vercel"`, a Vercel Queues consumer route per queue.
 * A plan rule that fails is a problem either way, and then nothing is written: a `vercel.json` Vercel would refuse
 * is never produced. When writing, files are rewritten only when they differ, so up-to-date files keep their bytes.
 *
 * @example
 * ```ts
 * const where = { vercelJson: "/p/vercel.json", file: "vercel.json", basePath: "/api", entry, projectDir: "/p" };
 * const { problems, files } = await vercelCrons(input, where, true);
 * ```
 */
export async function vercelCrons(
  input: TargetInput,
  where: { vercelJson: string; file: string; basePath: string; entry: string; projectDir: string },
  write: boolean,
): Promise<{ problems: Problem[]; files: string[] }> {
  const { vercelJson, file, basePath, entry, projectDir } = where;
  const problems = planProblems(input, file);
  const files: string[] = [];
  let queues: "libsql" | "vercel" = "libsql";
  const problem = (message: string) => problems.push({ target: "vercel", file, message });
  try {
    const existing = await readVercelJson(vercelJson);
    const settings = vercelSettings(input.project.root, existing);
    queues = settings.queues;
    const drainSchedule: string | false =
      settings.queues === "vercel" ? false : (input.project.vercelDrainSchedule ?? "0 0 * * *");
    const options = { basePath, drainSchedule };
    const cronJobs = settings.crons === "cron-jobs";
    const wanted: WantedVercel = {
      projectDir,
      basePath: normalizeBasePath(basePath),
      entry,
      ...wantedFunctions(input, entry, projectDir, settings, drainSchedule),
      crons: cronJobs ? cronEntries(input.app, options) : [],
    };
    const config = existing ?? {};
    const crons = cronJobs
      ? diffVercelCrons(config, input.app, options)
      : { ok: true, missing: [], stale: [] };
    // On Cron Jobs the crons array is diffed as before; vercelDrift covers schedules, functions and route files.
    const drift = vercelDrift(cronJobs ? { ...config, crons: [] } : config, wanted);
    if (write) {
      if (!problems.length && (!crons.ok || drift.length || !existing)) {
        const next = mergeVercel(existing ?? { $schema: "https://openapi.vercel.sh/vercel.json" }, wanted);
        await writeFile(vercelJson, `${JSON.stringify(next, null, 2)}\n`);
        files.push(vercelJson, ...(await writeRoutes(wanted.routes)));
      }
    } else {
      const why = whyNeeded(input, basePath);
      for (const c of crons.missing)
        problem(
          `crons lacks ${JSON.stringify(c)}${why(c.path)}; run skiff build --target vercel to write it`,
        );
      for (const c of crons.stale)
        problem(
          `crons has ${JSON.stringify(c)}, which the app no longer registers; run skiff build --target vercel`,
        );
      for (const message of drift) problem(message);
    }
  } catch (error) {
    problem(error instanceof Error ? error.message.replace(/^\[skiff\] /, "") : String(error));
  }
  const workflows = implemented(input);
  if (workflows && queues === "libsql" && input.project.vercelDrainSchedule === false)
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
