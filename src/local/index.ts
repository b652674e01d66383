export * from "./hrana/index.js";
export { nodeDatabase } from "../bindings/db/node.js";
export { LocalScheduler, nextRun } from "./scheduler.js";
export { LocalQueueWorker } from "../adapters/node/queue-worker.js";
