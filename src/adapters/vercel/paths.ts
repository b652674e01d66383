import { SkiffError } from "../../errors.js";
import { cronSlug } from "../../triggers/cron/index.js";

/**
 * Where skiff's own endpoints live, under the base path; a prefix no app route is likely to use. Every `vercel.json`
 * cron entry under `<basePath>/__skiff/` belongs to skiff and is rewritten by `skiff build --target vercel`.
 *
 * @example
 * ```ts
 * `/api${SKIFF_PATH_PREFIX}/queues/drain` // "/api/__skiff/queues/drain"
 * ```
 */
export const SKIFF_PATH_PREFIX = "/__skiff";

/**
 * Normalises a base path: `"api"`, `"/api"` and `"/api/"` all become `"/api"`; `""` and `"/"` become `""`.
 *
 * @example
 * ```ts
 * normalizeBasePath("api/") // "/api"
 * ```
 */
export function normalizeBasePath(basePath = ""): string {
  const trimmed = basePath.trim().replace(/^\/+|\/+$/g, "");
  if (trimmed && !/^[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$/.test(trimmed)) {
    throw new SkiffError(`toVercel: basePath "${basePath}" is not a URL path (e.g. "/api")`);
  }
  return trimmed ? `/${trimmed}` : "";
}

/**
 * The path Vercel calls for a cron expression: `<basePath>/__skiff/cron/<cronSlug(expression)>`. The slug is
 * reversible, so the handler knows which expression fired from the path alone.
 *
 * @example
 * ```ts
 * vercelCronPath("0 9 * * *", "/api") // "/api/__skiff/cron/0_9_*_*_*"
 * ```
 */
export function vercelCronPath(expression: string, basePath?: string): string {
  return `${normalizeBasePath(basePath)}${SKIFF_PATH_PREFIX}/cron/${cronSlug(expression)}`;
}

/**
 * The path that delivers the durable libSQL queue to the app's consumers (one cron entry can call it).
 *
 * @example
 * ```ts
 * vercelDrainPath("/api") // "/api/__skiff/queues/drain"
 * ```
 */
export function vercelDrainPath(basePath?: string): string {
  return `${normalizeBasePath(basePath)}${SKIFF_PATH_PREFIX}/queues/drain`;
}

// Schedule names allow letters, digits, ".", "_" and "-", starting with a letter or digit
// (https://vercel.com/docs/schedules/configuration#naming-rules): each other character of an expression gets a
// two-character code, so distinct expressions keep distinct names.
const NAME_CODES: Record<string, string> = { " ": "_", "*": "x", "/": ".s", ",": ".c", "#": ".h", "?": ".q" };

/**
 * The Vercel Schedules name of a skiff cron: `skiff-cron-<expression, encoded>`, readable in the dashboard
 * (`0 9 * * *` is `skiff-cron-0_9_x_x_x`). The private schedule function maps a run's name back to its expression
 * by computing the names of the app's registered crons.
 *
 * @example
 * ```ts
 * vercelScheduleName("*\/5 9-17 * * MON-FRI") // "skiff-cron-x.s5_9-17_x_x_MON-FRI"
 * ```
 */
export function vercelScheduleName(expression: string): string {
  const key = expression.trim().split(/\s+/).join(" ");
  return `skiff-cron-${[...key].map((c) => NAME_CODES[c] ?? c).join("")}`;
}

/**
 * The Vercel Schedules name of the libSQL queue drain (added when the app consumes queues on libSQL).
 *
 * @example
 * ```ts
 * VERCEL_DRAIN_SCHEDULE // "skiff-queues-drain"
 * ```
 */
export const VERCEL_DRAIN_SCHEDULE = "skiff-queues-drain";
