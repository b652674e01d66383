export { toVercel } from "./to-vercel.js";
export type { VercelOptions, VercelQueueBackend } from "./options.js";
export { vercelQueueConsumer } from "./queue-consumer.js";
export type { VercelQueueConsumer, VercelQueueMetadata } from "./queue-consumer.js";
export { toVercelSchedules } from "./schedule.js";
export type { VercelScheduleHandlers, VercelScheduleRun } from "./schedule.js";
export type {
  LibsqlClientFactory,
  VercelEnv,
  VercelHandler,
  VercelHandlers,
  VercelPlatform,
} from "./types.js";
export {
  SKIFF_PATH_PREFIX,
  VERCEL_DRAIN_SCHEDULE,
  normalizeBasePath,
  vercelCronPath,
  vercelDrainPath,
  vercelScheduleName,
} from "./paths.js";
