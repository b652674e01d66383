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
