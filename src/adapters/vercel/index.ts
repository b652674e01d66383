export { toVercel, type VercelHandler, type VercelHandlers, type VercelOptions } from "./to-vercel.js";
export type { LibsqlClientFactory, VercelEnv, VercelPlatform } from "./_platform.js";
export { SKIFF_PATH_PREFIX, normalizeBasePath, vercelCronPath, vercelDrainPath } from "./paths.js";
