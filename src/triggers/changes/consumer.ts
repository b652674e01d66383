// The registry entries every adapter carries with no change of its own: the consumer of the internal queue and the
// backstop cron. Both close over the app's change handlers.
import type { CronHandler, QueueBatchHandler, ResolvedQueueOptions } from "../types.js";
import type { TriggerContext } from "../../types.js";
import { SkiffError } from "../../errors.js";
import { deliverChanges } from "./deliver.js";
import { relayChanges, resendStale, type ChangeSender } from "./relay.js";
import { CHANGE_QUEUE, CHANGE_TIMINGS, type ChangeMessage } from "./schema.js";
import type { ChangeSubscription } from "./types.js";

/**
 * @internal Consumer options of the internal queue. Its own retries are for infrastructure failures (the database is
 * down); a handler's retries and dead letter follow the handler's options, counted in the outbox. A message that
 * exhausts these is dropped with an error log, which is safe: the row stays in the outbox and the cron re-sends it.
 */
export const CHANGE_QUEUE_OPTIONS: ResolvedQueueOptions = {
  maxRetries: 20,
  deadLetter: undefined,
  retryDelaySeconds: 5,
  maxBatchSize: 50,
  maxBatchTimeoutSeconds: 1,
  visibilityTimeoutSeconds: CHANGE_TIMINGS.leaseMs / 1000,
};

/** @internal The internal queue's producer in a trigger context. */
export function changeSender(ctx: Pick<TriggerContext, "queues">): ChangeSender {
  const producer = ctx.queues[CHANGE_QUEUE];
  if (!producer) throw new SkiffError(`the internal queue "${CHANGE_QUEUE}" is not declared`);
  return producer as ChangeSender;
}

/** @internal The consumer of `skiff-changes`: messages of different keys run concurrently, each settled alone. */
export function changeConsumer(subscriptions: readonly ChangeSubscription[]): QueueBatchHandler<unknown> {
  return async (batch, ctx) => {
    const queue = changeSender(ctx);
    const handOver = (id: number) => queue.sendBatch([{ body: { id } }]);
    await Promise.all(
      batch.messages.map(async (m) => {
        const { id } = m.body as ChangeMessage;
        try {
          const result = await deliverChanges(id, ctx, subscriptions, handOver);
          if (result === undefined) m.ack();
          else if (result.retry === id) m.retry({ delaySeconds: result.delaySeconds });
          else {
            // A later row of the chain failed: it gets a message of its own.
            await queue.sendBatch([{ body: { id: result.retry }, delaySeconds: result.delaySeconds }]);
            m.ack();
          }
        } catch (error) {
          ctx.log.error("change delivery failed; it is retried", {
            changeId: id,
            attempts: m.attempts,
            error,
          });
          m.retry({ delaySeconds: CHANGE_QUEUE_OPTIONS.retryDelaySeconds });
        }
      }),
    );
  };
}

/** @internal The backstop cron: relays rows no request relayed and re-sends rows whose message is overdue. */
export const changeRelayCron: CronHandler = async (_event, ctx) => {
  const queue = changeSender(ctx);
  const relayed = await relayChanges(ctx.db, queue);
  const resent = await resendStale(ctx.db, queue);
  if (relayed + resent > 0) ctx.log.info("change relay", { relayed, resent });
};
