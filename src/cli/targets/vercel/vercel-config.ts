// Build-time: the `crons` of vercel.json, generated from the app's crons and diffed against the file. Lives under
// src/cli so `skiff/vercel`, which ships in edge bundles, carries none of it.
import { renderVercel, validateCron } from "../../../triggers/cron/index.js";
import type { TriggerRegistry } from "../../../triggers/registry.js";
import {
  SKIFF_PATH_PREFIX,
  normalizeBasePath,
  vercelCronPath,
  vercelDrainPath,
} from "../../../adapters/vercel/paths.js";

/**
 * One entry of the `crons` array of `vercel.json` (https://vercel.com/docs/cron-jobs#cron-expressions).
 *
 * @example
 * ```ts
 * const cron: VercelCron = { path: "/api/__skiff/cron/0_9_*_*_*", schedule: "0 9 * * *" };
 * ```
 */
export interface VercelCron {
  path: string;
  schedule: string;
}

/**
 * Options of {@link vercelCrons}.
 *
 * @example
 * ```ts
 * const options: VercelCronOptions = { basePath: "/api", drainSchedule: "* * * * *" }; // Pro: drain every minute
 * ```
 */
export interface VercelCronOptions {
  /** The `basePath` given to `toVercel()`. Default none. */
  basePath?: string;
  /**
   * Schedule of the queue drain entry, added when the app has queue consumers; `false` leaves it out. Default
   * `"0 0 * * *"`: Hobby accepts daily schedules only, so the default deploys everywhere. On Pro, `"* * * * *"`
   * bounds the latency of delayed and retried messages to a minute.
   */
  drainSchedule?: string | false;
}

/**
 * The schedule Vercel accepts for a skiff expression. skiff names weekdays (numbers mean different days on
 * Cloudflare and in standard cron); Vercel accepts numbers only, standard cron's (0 = Sunday), and neither the
 * Quartz extensions (`L`, `W`, `#`) nor a day-of-month together with a day-of-week
 * (https://vercel.com/docs/cron-jobs#cron-expressions). Names are translated; the rest fails here, at generation,
 * rather than at deploy time. The rendering is the cron module's `renderVercel()`.
 *
 * @example
 * ```ts
 * vercelSchedule("0 9 * * MON-FRI") // "0 9 * * 1-5"
 * vercelSchedule("0 0 1 JAN,JUL *") // "0 0 1 1,7 *"
 * ```
 */
export function vercelSchedule(expression: string): string {
  return renderVercel(expression);
}

/**
 * The `crons` entries of `vercel.json` for an app: one per registered expression, at its {@link vercelCronPath},
 * plus the queue drain entry when the app consumes queues. The path carries the expression as registered (it is the
 * cron's identity); the schedule is its {@link vercelSchedule}. Throws when an expression uses syntax Vercel refuses.
 *
 * @example
 * ```ts
 * vercelCrons(app, { basePath: "/api" });
 * // [{ path: "/api/__skiff/cron/0_9_*_*_*", schedule: "0 9 * * *" }, { path: "/api/__skiff/queues/drain", schedule: "0 0 * * *" }]
 * ```
 */
export function vercelCrons(
  app: { readonly triggers: TriggerRegistry },
  options: VercelCronOptions = {},
): VercelCron[] {
  const crons: VercelCron[] = [];
  for (const [expression] of app.triggers.crons) {
    crons.push({ path: vercelCronPath(expression, options.basePath), schedule: vercelSchedule(expression) });
  }
  const drainSchedule = options.drainSchedule ?? "0 0 * * *";
  if (drainSchedule !== false && app.triggers.queues.size > 0) {
    validateCron(drainSchedule);
    crons.push({ path: vercelDrainPath(options.basePath), schedule: vercelSchedule(drainSchedule) });
  }
  return crons;
}

/**
 * A `vercel.json` document: skiff reads and writes `crons` and leaves everything else as it found it.
 *
 * @example
 * ```ts
 * const config: VercelJson = { $schema: "https://openapi.vercel.sh/vercel.json", crons: [] };
 * ```
 */
export interface VercelJson {
  crons?: VercelCron[];
  [key: string]: unknown;
}

/**
 * Whether a `crons` entry is skiff's: its path is under `<basePath>/__skiff/`.
 *
 * @example
 * ```ts
 * skiffOwned({ path: "/api/__skiff/queues/drain", schedule: "0 0 * * *" }, "/api") // true
 * ```
 */
export function skiffOwned(cron: VercelCron, basePath: string | undefined): boolean {
  return cron.path.startsWith(`${normalizeBasePath(basePath)}${SKIFF_PATH_PREFIX}/`);
}

/**
 * Returns `config` with its skiff cron entries replaced by the app's: entries whose path is not under
 * `<basePath>/__skiff/` are the user's and are kept, in order, before skiff's.
 *
 * @example
 * ```ts
 * const next = withVercelCrons(JSON.parse(text), app, { basePath: "/api" });
 * ```
 */
export function withVercelCrons(
  config: VercelJson,
  app: { readonly triggers: TriggerRegistry },
  options: VercelCronOptions = {},
): VercelJson {
  const own = (config.crons ?? []).filter((c) => !skiffOwned(c, options.basePath));
  return { ...config, crons: [...own, ...vercelCrons(app, options)] };
}

/**
 * How a `vercel.json` differs from the app: skiff entries it lacks (`missing`) and skiff entries the app no longer
 * has (`stale`). `ok` when both are empty.
 *
 * @example
 * ```ts
 * const { ok, missing, stale } = diffVercelCrons(JSON.parse(text), app, { basePath: "/api" });
 * if (!ok) throw new Error(`vercel.json is out of date: run skiff build --target vercel`);
 * ```
 */
export interface VercelCronDiff {
  ok: boolean;
  missing: VercelCron[];
  stale: VercelCron[];
}

/**
 * Compares the skiff entries of a `vercel.json` with the app's registrations (see {@link VercelCronDiff}).
 *
 * @example
 * ```ts
 * diffVercelCrons({ crons: [] }, app, { basePath: "/api" }).missing; // every cron of the app
 * ```
 */
export function diffVercelCrons(
  config: VercelJson,
  app: { readonly triggers: TriggerRegistry },
  options: VercelCronOptions = {},
): VercelCronDiff {
  const key = (c: VercelCron) => `${c.path} ${c.schedule}`;
  const wanted = vercelCrons(app, options);
  const present = (config.crons ?? []).filter((c) => skiffOwned(c, options.basePath));
  const presentKeys = new Set(present.map(key));
  const wantedKeys = new Set(wanted.map(key));
  const missing = wanted.filter((c) => !presentKeys.has(key(c)));
  const stale = present.filter((c) => !wantedKeys.has(key(c)));
  return { ok: missing.length === 0 && stale.length === 0, missing, stale };
}
