import type { Env } from "hono";
import type { BlankSchema, Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { SkiffError } from "../../errors.js";
import type { QueueSchemas } from "../../types.js";
import { clampVisibility, VERCEL_QUEUE_BOUNDS } from "./_queue-notes.js";
import { createVercelWaitUntil, type VercelWaitUntil } from "./_wait-until.js";
import type { VercelOptions } from "./options.js";
import { createVercelState, resolveVercelEnv, type VercelState } from "./runtime.js";

/**
 * The metadata `@vercel/queue`'s `handleCallback` passes with each message
 * (https://vercel.com/docs/queues/sdk): `deliveryCount` starts at 1 and grows with each redelivery.
 *
 * @example
 * ```ts
 * const metadata: VercelQueueMetadata = { messageId: "0-1", deliveryCount: 1, createdAt: new Date(), topicName: "orders" };
 * ```
 */
export interface VercelQueueMetadata {
  readonly messageId: string;
  readonly deliveryCount: number;
  readonly createdAt: Date;
  readonly topicName: string;
}

/**
 * What `handleCallback(consumer.handler, consumer.options)` takes: the message handler and the options that carry a
 * skiff retry delay to the service (`retry` returns `{ afterSeconds }`), plus `settle()` for tests.
 *
 * @example
 * ```ts
 * const orders: VercelQueueConsumer = vercelQueueConsumer(app, "orders");
 * export const POST = handleCallback(orders.handler, orders.options);
 * ```
 */
export interface VercelQueueConsumer {
  readonly handler: (message: unknown, metadata: VercelQueueMetadata) => Promise<void>;
  readonly options: {
    readonly visibilityTimeoutSeconds: number;
    readonly retry: (error: unknown, metadata: VercelQueueMetadata) => { afterSeconds: number } | undefined;
  };
  settle(): Promise<void>;
}

// Thrown by the handler when skiff's dispatch decided "retry": `retry` turns it into the delayed redelivery.
class RetryDecision extends Error {
  constructor(readonly delaySeconds: number) {
    super("retried by the queue consumer");
  }
}

/**
 * The push consumer of one queue on Vercel Queues, for a route that `skiff build --target vercel` generates. Each
 * message goes through `runtime.deliver` (skiff's one contract: schema, `ack()`/`retry()`, `maxRetries`, dead
 * letter), with `deliveryCount` as `attempts`. Acked, dead-lettered and dropped messages return, so
 * `handleCallback` acknowledges them; a retry throws, and `options.retry` reschedules it after the retry's delay
 * (capped at the service's 60-minute lease). A failure of skiff itself (the database is down) propagates, and the
 * service redelivers after the trigger's `retryAfterSeconds`. The route calls `handleCallback` itself, because
 * `@vercel/queue`'s local mode finds its handlers by the calling file. Node runtime only, as `@vercel/queue` is.
 *
 * @example
 * ```ts
 * // app/api/skiff/queues/orders/route.ts (generated)
 * import { handleCallback } from "@vercel/queue";
 * import { vercelQueueConsumer } from "skiff/vercel";
 * import { app } from "../../../../../server/app.js";
 * const orders = vercelQueueConsumer(app, "orders");
 * export const POST = handleCallback(orders.handler, orders.options);
 * ```
 */
export function vercelQueueConsumer<
  E extends Env,
  Q extends QueueSchemas,
  S extends Schema = BlankSchema,
  B extends string = "/",
>(
  app: Skiff<E, Q, S, B>,
  queue: string,
  options: Omit<VercelOptions, "queues" | "basePath" | "drainOnRequest" | "drainBudgetMs"> = {},
): VercelQueueConsumer {
  const consumer = app.triggers.queues.get(queue);
  if (!consumer) {
    const known = [...app.triggers.queues.keys()].map((k) => `"${k}"`).join(", ") || "none";
    throw new SkiffError(
      `vercelQueueConsumer: queue "${queue}" has no consumer in this app (consumers: ${known}); rerun skiff build --target vercel`,
    );
  }
  let instance: { state: VercelState; background: VercelWaitUntil } | undefined;
  const init = () => {
    const state = createVercelState(app, resolveVercelEnv(options.env), options.createClient, {
      backend: "vercel",
      ...options.vercelQueues,
    });
    return { state, background: createVercelWaitUntil(state.runtime.log) };
  };
  return {
    async handler(message, metadata) {
      const { state, background } = (instance ??= init());
      const [result] = await state.runtime.deliver(
        queue,
        [
          {
            id: metadata.messageId,
            body: message,
            attempts: metadata.deliveryCount,
            timestamp: metadata.createdAt,
          },
        ],
        background.waitUntil,
      );
      if (result?.outcome === "retried") throw new RetryDecision(result.delaySeconds ?? 0);
    },
    options: {
      visibilityTimeoutSeconds: clampVisibility(consumer.options.visibilityTimeoutSeconds),
      retry: (error) =>
        error instanceof RetryDecision
          ? { afterSeconds: Math.min(error.delaySeconds, VERCEL_QUEUE_BOUNDS.maxLeaseSeconds) }
          : undefined,
    },
    settle: () => instance?.background.settle() ?? Promise.resolve(),
  };
}
