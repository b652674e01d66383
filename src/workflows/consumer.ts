// The registry entries every adapter carries with no change of its own: the consumer of the internal queue and
// the timer cron. Both find the runtime's engine behind `ctx.workflows`.
import type { CronHandler, QueueBatchHandler, ResolvedQueueOptions } from "../triggers/types.js";
import { engineOf } from "./engine.js";
import type { WakeMessage } from "./wake.js";

/**
 * @internal Consumer options of the internal queue. Engine-level retries are for infrastructure failures (the
 * database is down) and for wakes that find their run leased; a message that exhausts them is dropped with an error
 * log, which is safe: the journal holds the state and the timer cron re-sends every overdue wake.
 */
export const WORKFLOW_QUEUE_OPTIONS: ResolvedQueueOptions = {
  maxRetries: 20,
  deadLetter: undefined,
  retryDelaySeconds: 5,
  maxBatchSize: 10,
  maxBatchTimeoutSeconds: 1,
  visibilityTimeoutSeconds: 60,
};

/** @internal The consumer of `skiff-workflows`: each message of a batch is handled concurrently and settled alone. */
export const workflowConsumer: QueueBatchHandler<unknown> = async (batch, ctx) => {
  const engine = engineOf(ctx.workflows);
  await Promise.all(
    batch.messages.map(async (m) => {
      try {
        const result = await engine.wake(m.body as WakeMessage, ctx);
        if (result.kind === "retry") m.retry({ delaySeconds: Math.min(result.delaySeconds, 43_200) });
        else m.ack();
      } catch (error) {
        ctx.log.error("workflow wake failed; it is retried", { wake: m.body, attempts: m.attempts, error });
        m.retry({ delaySeconds: WORKFLOW_QUEUE_OPTIONS.retryDelaySeconds });
      }
    }),
  );
};

/** @internal The timer cron's handler. */
export const workflowTimerCron: CronHandler = async (_event, ctx) => {
  await engineOf(ctx.workflows).tick(ctx);
};
