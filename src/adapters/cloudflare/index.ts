export { toCloudflare } from "./to-cloudflare.js";
export { type CloudflareOptions, queueBindingName } from "./options.js";
export { CloudflareKV } from "./kv.js";
export { cloudflareQueue } from "./queue.js";
export { cloudflareDatabase } from "./database.js";
export type {
  CloudflareWorker,
  CloudflareExecutionContext,
  CloudflareScheduledController,
  CloudflareMessage,
  CloudflareMessageBatch,
  KVNamespaceBinding,
  QueueBinding,
  WorkerBindings,
} from "./types.js";
