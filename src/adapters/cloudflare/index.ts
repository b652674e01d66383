export { toCloudflare } from "./to-cloudflare.js";
export { type CloudflareOptions, type CloudflareWorkflowsOption, queueBindingName } from "./options.js";
export { CloudflareKV } from "../../bindings/kv/cloudflare.js";
export { cloudflareQueue } from "../../bindings/queues/cloudflare.js";
export { cloudflareDatabase } from "./runtime.js";
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
