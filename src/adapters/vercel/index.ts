export { toVercel } from "./to-vercel.js";
export type { VercelOptions } from "./options.js";
export type {
  LibsqlClientFactory,
  VercelEnv,
  VercelHandler,
  VercelHandlers,
  VercelPlatform,
} from "./types.js";
export { SKIFF_PATH_PREFIX, normalizeBasePath, vercelCronPath, vercelDrainPath } from "./paths.js";
