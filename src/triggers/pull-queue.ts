import type { SkiffRuntime } from "../runtime.js";
import { dispatchQueue } from "./dispatch-queue.js";
import type { TriggerRegistry } from "./registry.js";
import type { LibsqlQueueStore } from "../bindings/queues/libsql/store.js";

/**
 * Leases one batch from the libSQL queue, delivers it to the app's consumer with the core contract, and settles
 * it. Returns how many messages were delivered (0 when the queue was empty). The local worker calls it in a loop;
 * on Vercel a cron path or `waitUntil` calls it.
 *
 * @example
 * ```ts
 * while ((await drainOnce(app.triggers, runtime, store, "orders", waitUntil)) > 0) {}
 * ```
 */
export async function drainOnce(
  registry: TriggerRegistry,
  runtime: SkiffRuntime,
  store: LibsqlQueueStore,
  queue: string,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<number> {
  const consumer = registry.queues.get(queue);
  if (!consumer) return 0;
  const { lease, messages } = await store.receive(queue, {
    max: consumer.options.maxBatchSize,
    visibilitySeconds: consumer.options.visibilityTimeoutSeconds,
  });
  if (messages.length === 0) return 0;
  let results;
  try {
    results = await dispatchQueue(registry, runtime, queue, messages, waitUntil);
  } catch (error) {
    // The whole batch failed before any decision: leave the leases to expire so nothing is lost.
    runtime.log.error("queue batch failed; it will be delivered again after its visibility timeout", {
      queue,
      error,
    });
    return messages.length;
  }
  await store.settle(
    lease,
    results.map((r) =>
      r.outcome === "retried"
        ? { id: r.id, action: "retry", delaySeconds: r.delaySeconds ?? 0 }
        : { id: r.id, action: "ack" },
    ),
  );
  return messages.length;
}
