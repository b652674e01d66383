export { toDeno } from "./to-deno.js";
export type { DenoOptions } from "./options.js";
export { denoDatabase } from "./runtime.js";
export { denoCronName } from "./scheduled.js";
export { DenoKV, DENO_KV_MAX_VALUE_BYTES } from "../../bindings/kv/deno.js";
export { denoQueue, undeliveredKey, DENO_QUEUE_BACKOFF } from "../../bindings/queues/deno.js";
export type {
  DenoApp,
  DenoServer,
  DenoKv,
  DenoKvStore,
  DenoKvQueue,
  DenoKvAtomic,
  DenoKvKeyPart,
  DenoQueueEnvelope,
  DenoServeInfo,
  DenoAddr,
  DenoHttpServer,
  DenoNamespace,
} from "./types.js";
