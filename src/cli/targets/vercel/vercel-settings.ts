// Build-time: how the Vercel target renders crons and queues, from the "skiff.vercel" field of package.json and
// what an existing vercel.json already uses.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "../../errors.js";
import type { VercelJson } from "./vercel-config.js";

/**
 * The Vercel settings of a project: `crons` is the form crons take in `vercel.json` (`"schedules"`, Vercel
 * Schedules targeting a private function, or `"cron-jobs"`, the legacy `crons` array behind `CRON_SECRET`), `queues`
 * the backend of consumed queues (`"vercel"` generates a Vercel Queues consumer route per queue), `timezone` the
 * IANA zone of the schedules (default `UTC`, the zone skiff's crons mean on every platform).
 *
 * @example
 * ```ts
 * const settings: VercelSettings = { crons: "schedules", queues: "vercel", timezone: "UTC" };
 * ```
 */
export interface VercelSettings {
  crons: "schedules" | "cron-jobs";
  queues: "libsql" | "vercel";
  timezone: string;
}

/**
 * Reads `skiff.vercel.crons`, `.queues` and `.timezone` from the project's package.json. Without `crons`, an
 * existing `vercel.json` that already has a `crons` array and no `schedules` keeps the Cron Jobs form (a project
 * set up before Schedules is not moved silently); anything else gets Schedules, Vercel's replacement for Cron Jobs
 * (https://vercel.com/docs/schedules).
 *
 * @example
 * ```ts
 * vercelSettings("/repo", existing) // { crons: "schedules", queues: "libsql", timezone: "UTC" }
 * ```
 */
export function vercelSettings(root: string, existing: VercelJson | undefined): VercelSettings {
  const file = join(root, "package.json");
  let field: Record<string, unknown> = {};
  if (existsSync(file)) {
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { skiff?: { vercel?: Record<string, unknown> } };
    field = pkg.skiff?.vercel ?? {};
  }
  const { crons, queues, timezone } = field;
  if (crons !== undefined && crons !== "schedules" && crons !== "cron-jobs")
    throw new CliError(`"skiff.vercel.crons" in ${file} must be "schedules" or "cron-jobs"`);
  if (queues !== undefined && queues !== "libsql" && queues !== "vercel")
    throw new CliError(`"skiff.vercel.queues" in ${file} must be "libsql" or "vercel"`);
  if (timezone !== undefined && (typeof timezone !== "string" || !validZone(timezone)))
    throw new CliError(`"skiff.vercel.timezone" in ${file} must be an IANA time zone such as "Europe/Paris"`);
  const legacy = existing !== undefined && Array.isArray(existing.crons) && existing.schedules === undefined;
  return {
    crons: crons ?? (legacy ? "cron-jobs" : "schedules"),
    queues: queues ?? "libsql",
    timezone: timezone ?? "UTC",
  };
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
