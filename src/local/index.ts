export * from "./hrana/index.js";
export { nodeDatabase } from "./database.js";
export { LocalScheduler, nextRun } from "./scheduler.js";
export { LocalQueueWorker } from "./queue-worker.js";
