// The bindings the tests see: wrangler.toml's, plus the contract driver's own queues (test/adapters/cloudflare/workers/vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    TURSO_DATABASE_URL: string;
    KV: KVNamespace;
    ORDERS: Queue;
    ORDERS_DLQ: Queue;
    CONTRACT_ORDERS: Queue;
    CONTRACT_ORDERS_DLQ: Queue;
  }
  interface GlobalProps {
    // wrangler.toml's `main`: `exports.default` in the tests is this module's default export.
    mainModule: typeof import("../../../../examples/shop/worker.js");
  }
}

// What `getQueueResult()` and `createMessageBatch()` (cloudflare:test) use; only @cloudflare/workers-types/experimental
// declares them, and the tests check against the stable types every Worker project uses.
interface QueueRetryBatch {
  retry: boolean;
  delaySeconds?: number;
}
interface QueueRetryMessage {
  msgId: string;
  delaySeconds?: number;
}
interface FetcherQueueResult {
  outcome: string;
  ackAll: boolean;
  retryBatch: QueueRetryBatch;
  explicitAcks: string[];
  retryMessages: QueueRetryMessage[];
}
type ServiceBindingQueueMessage<Body = unknown> = { id: string; timestamp: Date; attempts: number } & (
  { body: Body } | { serializedBody: ArrayBuffer | ArrayBufferView }
);
interface FetcherScheduledOptions {
  scheduledTime?: Date;
  cron?: string;
}
