import type { DispatchQueueOptions, IncomingMessage, MessageResult } from "./dispatch-queue.js";
import type { TriggerRuntime } from "./types.js";
import type { LibsqlQueueStore } from "../bindings/queues/libsql/store.js";

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * What the pull-queue engine needs of a runtime: the registry (which queues have consumers, their batch sizes and
 * visibility timeouts), the logger, and the core queue contract as `deliver`. `SkiffRuntime` implements it.
 *
 * @example
 * ```ts
 * const runtime: PullQueueRuntime = createRuntime(app, options);
 * await drainOnce(runtime, store, "orders", tracker.waitUntil);
 * ```
 */
export interface PullQueueRuntime extends Pick<TriggerRuntime, "registry" | "log"> {
  deliver(
    queue: string,
    messages: readonly IncomingMessage[],
    waitUntil: WaitUntil,
    options?: DispatchQueueOptions,
  ): Promise<MessageResult[]>;
}

/**
 * Leases one batch from the libSQL queue, delivers it to the app's consumer with the core contract
 * (`runtime.deliver`), and settles it. Returns how many messages were delivered (0 when the queue was empty or has
 * no consumer). Every pull-based delivery (`PullQueueWorker` of the Node and Bun servers, Vercel's drain path and
 * after-request rounds, skiff/testing) is a schedule of calls of this function.
 *
 * @example
 * ```ts
 * while ((await drainOnce(runtime, store, "orders", waitUntil)) > 0) {}
 * ```
 */
export async function drainOnce(
  runtime: PullQueueRuntime,
  store: LibsqlQueueStore,
  queue: string,
  waitUntil: WaitUntil,
): Promise<number> {
  const consumer = runtime.registry.queues.get(queue);
  if (!consumer) return 0;
  const { lease, messages } = await store.receive(queue, {
    max: consumer.options.maxBatchSize,
    visibilitySeconds: consumer.options.visibilityTimeoutSeconds,
  });
  if (messages.length === 0) return 0;
  let results;
  try {
    results = await runtime.deliver(queue, messages, waitUntil);
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

/**
 * Bounds of {@link drainQueues}. `queues` defaults to every queue with a consumer; `maxBatches` is per queue and
 * `budgetMs` for the whole call (both may be `Infinity`).
 *
 * @example
 * ```ts
 * const limits: DrainLimits = { queues: ["orders"], maxBatches: 5, budgetMs: 10_000 };
 * ```
 */
export interface DrainLimits {
  queues?: readonly string[];
  maxBatches: number;
  budgetMs: number;
}

/**
 * Drains queues in turns: each round gives every queue still active one batch, and a queue leaves the rounds when
 * a batch comes back short (nothing more was visible) or it has had `maxBatches`; no batch starts once `budgetMs`
 * has passed since the call began. Turns, not one queue after the other, so a backlog on one queue cannot take the
 * whole budget from the others. Returns messages delivered per queue.
 *
 * @example
 * ```ts
 * await drainQueues(runtime, store, { queues: ["orders"], maxBatches: 1, budgetMs: 10_000 }, waitUntil); // { orders: 3 }
 * ```
 */
export async function drainQueues(
  runtime: PullQueueRuntime,
  store: LibsqlQueueStore,
  limits: DrainLimits,
  waitUntil: WaitUntil,
): Promise<Record<string, number>> {
  const deadline = Date.now() + limits.budgetMs;
  const queues = limits.queues ?? [...runtime.registry.queues.keys()];
  const delivered: Record<string, number> = Object.fromEntries(queues.map((q) => [q, 0]));
  let active = limits.maxBatches > 0 ? [...queues] : [];
  for (let round = 0; active.length > 0 && round < limits.maxBatches; round++) {
    const next: string[] = [];
    for (const queue of active) {
      if (Date.now() >= deadline) return delivered;
      const n = await drainOnce(runtime, store, queue, waitUntil);
      delivered[queue] = (delivered[queue] ?? 0) + n;
      // A short batch means the queue had nothing more visible; going on would only re-lease fresh retries.
      if (n >= (runtime.registry.queues.get(queue)?.options.maxBatchSize ?? 10)) next.push(queue);
    }
    active = next;
  }
  return delivered;
}

/**
 * Delivers until no consumed queue has a visible message: rounds of {@link drainQueues} without bounds, until a
 * round delivers nothing (retries due now and messages that handlers send to other queues are delivered too).
 * For tests and `skiff dev`; a handler that retries forever with no delay keeps it running until `maxRetries`.
 *
 * @example
 * ```ts
 * await drainUntilIdle(runtime, store, tracker.waitUntil);
 * ```
 */
export async function drainUntilIdle(
  runtime: PullQueueRuntime,
  store: LibsqlQueueStore,
  waitUntil: WaitUntil,
): Promise<void> {
  const unbounded = { maxBatches: Number.POSITIVE_INFINITY, budgetMs: Number.POSITIVE_INFINITY };
  for (;;) {
    const delivered = await drainQueues(runtime, store, unbounded, waitUntil);
    if (!Object.values(delivered).some((n) => n > 0)) return;
  }
}
