import type { TriggerRegistry } from "../../triggers/registry.js";

/**
 * @internal Vercel Queues' bounds on a consumer (https://vercel.com/docs/queues/pricing): a lease (visibility
 * timeout, which is also how a retry is delayed) of at most 60 minutes, and messages kept 24 hours at most.
 * `@vercel/queue` refuses a visibility timeout under 30 seconds.
 *
 * @example
 * ```ts
 * Math.min(delaySeconds, VERCEL_QUEUE_BOUNDS.maxLeaseSeconds)
 * ```
 */
export const VERCEL_QUEUE_BOUNDS = {
  minVisibilitySeconds: 30,
  maxLeaseSeconds: 3_600,
  retentionSeconds: 86_400,
} as const;

/**
 * @internal What Vercel Queues cannot honour of each consumer's options, said once at start-up with the fallback
 * skiff applies: batch consumers get batches of one (push delivery hands one message per callback), a retry delay
 * or visibility timeout is clamped to the service's bounds, and retries that outlast the 24-hour retention expire
 * before they reach the dead-letter queue.
 *
 * @example
 * ```ts
 * for (const note of vercelQueueNotes(app.triggers)) log.warn(note);
 * ```
 */
export function vercelQueueNotes(registry: TriggerRegistry): string[] {
  const notes: string[] = [];
  const { minVisibilitySeconds, maxLeaseSeconds, retentionSeconds } = VERCEL_QUEUE_BOUNDS;
  for (const [name, consumer] of registry.queues) {
    const o = consumer.options;
    const at = `[skiff] Vercel Queues, queue "${name}":`;
    if (consumer.kind === "batch" && o.maxBatchSize > 1)
      notes.push(
        `${at} push delivery hands one message per callback, so app.queueBatch("${name}") gets batches of 1 (maxBatchSize ${o.maxBatchSize} and maxBatchTimeoutSeconds are not honoured); use toVercel's queues: "libsql" for real batches`,
      );
    if (o.retryDelaySeconds > maxLeaseSeconds)
      notes.push(
        `${at} retryDelaySeconds ${o.retryDelaySeconds} is above the service's ${maxLeaseSeconds} s lease, so retries are delayed ${maxLeaseSeconds} s; lower retryDelaySeconds to at most ${maxLeaseSeconds}`,
      );
    if (o.visibilityTimeoutSeconds < minVisibilitySeconds || o.visibilityTimeoutSeconds > maxLeaseSeconds)
      notes.push(
        `${at} visibilityTimeoutSeconds ${o.visibilityTimeoutSeconds} is outside the service's ${minVisibilitySeconds}–${maxLeaseSeconds} s, so ${clampVisibility(o.visibilityTimeoutSeconds)} s is used (the SDK extends the lease while the handler runs)`,
      );
    const retrying = (o.maxRetries + 1) * Math.min(o.retryDelaySeconds, maxLeaseSeconds);
    if (retrying >= retentionSeconds)
      notes.push(
        `${at} ${o.maxRetries + 1} attempts ${Math.min(o.retryDelaySeconds, maxLeaseSeconds)} s apart outlast the service's 24-hour retention, so a failing message expires before it is dead-lettered; lower maxRetries or retryDelaySeconds`,
      );
  }
  return notes;
}

/**
 * @internal A consumer's visibility timeout within what `@vercel/queue` and the service accept.
 *
 * @example
 * ```ts
 * clampVisibility(10) // 30
 * ```
 */
export function clampVisibility(seconds: number): number {
  const { minVisibilitySeconds, maxLeaseSeconds } = VERCEL_QUEUE_BOUNDS;
  return Math.min(maxLeaseSeconds, Math.max(minVisibilitySeconds, seconds));
}
