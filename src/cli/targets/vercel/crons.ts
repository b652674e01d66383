import { existsSync } from "node:fs";
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

/**
 * The plan rules the app's crons break: on Hobby (the default `--plan`), a cron that runs more than once a day,
 * which Vercel refuses to deploy.
 *
 * @example
 * ```ts
 * planProblems(input, "vercel.json") // [{ target: "vercel", message: 'cron "*\/15 * * * *" runs more than once a day, ...' }]
 * ```
 */
export function planProblems(input: TargetInput, file: string): Problem[] {
  if (pickPlan(input.plan, PLANS.vercel) !== "hobby") return [];
  const problems: Problem[] = input.manifest.crons
    .filter((c) => moreThanDaily(c.expression))
    .map((c) => ({
      target: "vercel",
      file,
      message: `cron "${c.expression}" runs more than once a day, which the Hobby plan refuses (on Pro, pass --plan pro)`,
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
          message: `crons lacks ${JSON.stringify(c)}; run skiff build --target vercel to write it`,
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
  return { problems, files };
}
