// Build-time: the Schedules and Queues parts of vercel.json (`schedules`, `functions` triggers), the generated route
// files, and the drift between them and the app. The `crons` array stays with vercel-config.ts.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { VERCEL_DRAIN_SCHEDULE, vercelScheduleName } from "../../../adapters/vercel/paths.js";
import { cronFromSlug } from "../../../triggers/cron/index.js";
import { functionsDir, type GeneratedRoute, type VercelSchedule } from "./functions.js";
import { skiffOwned, type VercelCron, type VercelJson } from "./vercel-config.js";

type Functions = Record<string, Record<string, unknown>>;
const isSkiffSchedule = (name: string) => name.startsWith("skiff-");

/**
 * What skiff owns in a project's vercel.json and route files, and what it should be.
 *
 * @example
 * ```ts
 * const wanted: WantedVercel = { projectDir: "/p", basePath: "/api", entry, routes, schedules, crons: [] };
 * ```
 */
export interface WantedVercel {
  projectDir: string;
  basePath: string;
  entry: string;
  routes: GeneratedRoute[];
  schedules: Record<string, VercelSchedule>;
  /** skiff's `crons` entries (the Cron Jobs form; empty on Schedules). */
  crons: VercelCron[];
}

function ownedFunctionPrefix(wanted: WantedVercel): string | undefined {
  try {
    return `${relative(wanted.projectDir, functionsDir(wanted.entry).dir).split(sep).join("/")}/`;
  } catch {
    return undefined;
  }
}

/**
 * `config` with skiff's `crons`, `schedules` and `functions` entries replaced by the wanted ones; the user's own
 * entries are kept, in order, before skiff's. Empty sections skiff would add are left out.
 *
 * @example
 * ```ts
 * const next = mergeVercel(JSON.parse(text), wanted);
 * ```
 */
export function mergeVercel(config: VercelJson, wanted: WantedVercel): VercelJson {
  const next: VercelJson = { ...config };
  const crons = [...(config.crons ?? []).filter((c) => !skiffOwned(c, wanted.basePath)), ...wanted.crons];
  if (crons.length || config.crons) next.crons = crons;
  const schedules = Object.fromEntries(
    Object.entries((config.schedules as Record<string, unknown> | undefined) ?? {}).filter(
      ([n]) => !isSkiffSchedule(n),
    ),
  );
  Object.assign(schedules, wanted.schedules);
  if (Object.keys(schedules).length) next.schedules = schedules;
  else delete next.schedules;
  const prefix = ownedFunctionPrefix(wanted);
  const functions: Functions = Object.fromEntries(
    Object.entries((config.functions as Functions | undefined) ?? {}).filter(
      ([k]) => !prefix || !k.startsWith(prefix),
    ),
  );
  for (const route of wanted.routes) functions[route.key] = { experimentalTriggers: route.triggers };
  if (Object.keys(functions).length) next.functions = functions;
  else delete next.functions;
  return next;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * How vercel.json and the generated route files differ from the app, one sentence per difference: schedules and
 * function triggers missing, stale or changed, a cron present in both forms (Vercel would run it twice), and
 * route files missing or edited.
 *
 * @example
 * ```ts
 * for (const message of vercelDrift(config, wanted)) console.log(message);
 * ```
 */
export function vercelDrift(config: VercelJson, wanted: WantedVercel): string[] {
  const problems: string[] = [];
  const fix = "run skiff build --target vercel";
  const present = (config.schedules as Record<string, unknown> | undefined) ?? {};
  for (const [name, schedule] of Object.entries(wanted.schedules)) {
    if (!(name in present))
      problems.push(`schedules lacks "${name}": ${JSON.stringify(schedule)}; ${fix} to write it`);
    else if (!same(present[name], schedule))
      problems.push(
        `schedules."${name}" is ${JSON.stringify(present[name])}, expected ${JSON.stringify(schedule)}; ${fix}`,
      );
  }
  for (const name of Object.keys(present))
    if (isSkiffSchedule(name) && !(name in wanted.schedules))
      problems.push(`schedules has "${name}", which the app no longer registers as a schedule; ${fix}`);
  const wantedCrons = new Set(wanted.crons.map((c) => `${c.path} ${c.schedule}`));
  for (const cron of (config.crons ?? []).filter((c) => skiffOwned(c, wanted.basePath))) {
    if (wantedCrons.has(`${cron.path} ${cron.schedule}`)) continue;
    const name = cronName(cron);
    problems.push(
      name && name in present
        ? `crons has ${JSON.stringify(cron)} and schedules has "${name}" for the same cron, so Vercel would run it twice; ${fix} to keep only the ${wanted.crons.length ? "crons entry" : "schedule"}`
        : `crons has ${JSON.stringify(cron)}, which this project's crons no longer use (they are ${wanted.crons.length || !Object.keys(wanted.schedules).length ? "other crons" : "Vercel Schedules"}); ${fix}`,
    );
  }
  const functions = (config.functions as Functions | undefined) ?? {};
  for (const route of wanted.routes) {
    const triggers = functions[route.key]?.experimentalTriggers;
    if (!same(triggers, route.triggers))
      problems.push(
        `functions."${route.key}".experimentalTriggers is ${triggers === undefined ? "missing" : JSON.stringify(triggers)}, expected ${JSON.stringify(route.triggers)}${route.triggers[0]?.type === "schedule/v1beta" ? " (without it the schedule function is a public URL)" : ""}; ${fix}`,
      );
    const source = existsSync(route.file) ? readFileSync(route.file, "utf8") : undefined;
    if (source !== route.source)
      problems.push(
        `${relative(wanted.projectDir, route.file)} is ${source === undefined ? "missing" : "out of date"}; ${fix} to write it`,
      );
  }
  const prefix = ownedFunctionPrefix(wanted);
  const keys = new Set(wanted.routes.map((r) => r.key));
  for (const key of Object.keys(functions))
    if (prefix && key.startsWith(prefix) && !keys.has(key))
      problems.push(`functions has "${key}", which the app no longer needs; ${fix} and delete the file`);
  return problems;
}

// The schedule a crons path would be under the Schedules form, if the path is a skiff cron or the drain.
function cronName(cron: VercelCron): string | undefined {
  const match = /\/__skiff\/cron\/([^/]+)$/.exec(cron.path);
  if (match?.[1]) return vercelScheduleName(cronFromSlug(match[1]));
  return cron.path.endsWith("/__skiff/queues/drain") ? VERCEL_DRAIN_SCHEDULE : undefined;
}

/**
 * Writes the generated route files whose content differs (creating their directories); returns those written.
 *
 * @example
 * ```ts
 * const written = await writeRoutes(wanted.routes);
 * ```
 */
export async function writeRoutes(routes: readonly GeneratedRoute[]): Promise<string[]> {
  const written: string[] = [];
  for (const route of routes) {
    if (existsSync(route.file) && readFileSync(route.file, "utf8") === route.source) continue;
    await mkdir(dirname(route.file), { recursive: true });
    await writeFile(route.file, route.source);
    written.push(route.file);
  }
  return written;
}
