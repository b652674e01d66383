export { toVercel, type VercelHandler, type VercelHandlers, type VercelOptions } from "./to-vercel.js";
export type { LibsqlClientFactory, VercelEnv, VercelPlatform } from "./_platform.js";
export {
  SKIFF_PATH_PREFIX,
  diffVercelCrons,
  normalizeBasePath,
  vercelCronPath,
  vercelCrons,
  vercelDrainPath,
  vercelSchedule,
  withVercelCrons,
  type VercelCron,
  type VercelCronDiff,
  type VercelCronOptions,
  type VercelJson,
} from "./config.js";
