import { SkiffError, ValidationError } from "../errors.js";
import type { Logger } from "../logger.js";
import { checkDelay } from "../bindings/queues/producer.js";
import { parseWithSchema } from "../schema.js";
import type { QueueBatch, QueueMessage, QueueRegistration, TriggerRuntime } from "./types.js";

/**
 * A message as a platform hands it to skiff, before validation. `attempts` is 1 on first delivery. Adapters map a
 * Cloudflare message, an SQS record or a local lease to this shape before calling {@link dispatchQueue}.
 *
 * @example
 * ```ts
 * const incoming: IncomingMessage[] = batch.messages.map((m) => ({ id: m.id, body: m.body, attempts: m.attempts, timestamp: m.timestamp }));
 * ```
 */
export interface IncomingMessage {
  id: string;
  body: unknown;
  attempts: number;
  timestamp: Date;
}

/**
 * What became of a message. Adapters translate it for the platform: `retried` → retry (with `delaySeconds`);
 * `acked`, `dead-lettered` (already sent to the dead-letter queue) and `dropped` (no dead-letter queue configured,
 * logged as an error) → ack.
 *
 * @example
 * ```ts
 * const results: MessageResult[] = await runtime.deliver("orders", incoming, waitUntil);
 * const batchItemFailures = results.filter((r) => r.outcome === "retried").map((r) => ({ itemIdentifier: r.id }));
 * ```
 */
export interface MessageResult {
  id: string;
  outcome: "acked" | "retried" | "dead-lettered" | "dropped";
  delaySeconds?: number;
}

/**
 * Options of {@link dispatchQueue}. `ordered` is for FIFO queues (SQS `.fifo`), where no message may be handled
 * before an earlier one that failed.
 *
 * @example
 * ```ts
 * await runtime.deliver("payments", incoming, waitUntil, { ordered: true });
 * ```
 */
export interface DispatchQueueOptions {
  /** FIFO semantics: stop at the first failure and retry it and every later message, unprocessed. */
  ordered?: boolean;
}

type Decision =
  { kind: "ack" } | { kind: "retry"; delaySeconds: number } | { kind: "dead-letter"; reason: string };

class Delivery {
  decision: Decision | undefined;
  error: unknown;
  /** Retried without having run (after a FIFO failure): not a failed attempt. */
  skipped = false;
  message: QueueMessage<unknown> | undefined;
  constructor(readonly incoming: IncomingMessage) {}

  decide(decision: Decision): void {
    this.decision ??= decision; // the first call wins
  }

  open(body: unknown, queue: string): QueueMessage<unknown> {
    const { id, attempts, timestamp } = this.incoming;
    this.message = {
      id,
      body,
      attempts,
      timestamp,
      ack: () => this.decide({ kind: "ack" }),
      retry: (options) =>
        this.decide({
          kind: "retry",
          delaySeconds: checkDelay(options?.delaySeconds, `queue "${queue}" retry()`) ?? 0,
        }),
    };
    return this.message;
  }
}

/**
 * Delivers a batch to the queue's consumer with skiff's one contract: bodies validated (a schema failure goes
 * straight to the dead-letter queue), a per-message handler that throws retries only that message, a batch handler
 * that throws retries every message it did not settle, `maxRetries` then dead-letter, and the first `ack()` or
 * `retry()` on a message wins. Dead-letter sends happen here, once for every platform; a message whose dead-letter
 * send fails is retried rather than lost. Adapters call it as `runtime.deliver(...)`.
 *
 * @example
 * ```ts
 * const results = await dispatchQueue(runtime, "orders", messages, ctx.waitUntil);
 * for (const r of results) r.outcome === "retried" ? platformRetry(r.id, r.delaySeconds) : platformAck(r.id);
 * ```
 */
export async function dispatchQueue(
  runtime: TriggerRuntime,
  queue: string,
  messages: readonly IncomingMessage[],
  waitUntil: (promise: Promise<unknown>) => void,
  options: DispatchQueueOptions = {},
): Promise<MessageResult[]> {
  const { registry } = runtime;
  const consumer = registry.queues.get(queue);
  const schema = registry.schemas.get(queue);
  if (!consumer || !schema) {
    const known = [...registry.queues.keys()].map((k) => `"${k}"`).join(", ") || "none";
    throw new SkiffError(
      `a batch arrived for queue "${queue}", which has no consumer in this app (consumers: ${known})`,
    );
  }
  const log = runtime.log.child({ trigger: "queue", queue });
  const ctx = runtime.triggerContext(waitUntil, log);
  const deliveries = messages.map((m) => new Delivery(m));
  const started = Date.now();

  const validate = async (d: Delivery): Promise<boolean> => {
    try {
      d.open(
        await parseWithSchema(schema, d.incoming.body, `message ${d.incoming.id} of queue "${queue}"`),
        queue,
      );
      return true;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      d.error = error;
      d.decide({ kind: "dead-letter", reason: error.message });
      return false;
    }
  };
  const onFailure = (d: Delivery, error: unknown) => {
    d.error = error;
    d.decide({ kind: "retry", delaySeconds: consumer.options.retryDelaySeconds });
  };

  if (consumer.kind === "message") {
    let blocked = false;
    for (const d of deliveries) {
      if (blocked) {
        d.skipped = true;
        d.decide({ kind: "retry", delaySeconds: 0 });
        continue;
      }
      if (!(await validate(d))) continue;
      try {
        await consumer.handler(d.message as QueueMessage<unknown>, withMessageLog(ctx, log, d));
        d.decide({ kind: "ack" });
      } catch (error) {
        onFailure(d, error);
      }
      if (options.ordered && d.decision?.kind === "retry") blocked = true;
    }
  } else {
    const valid: Delivery[] = [];
    for (const d of deliveries) if (await validate(d)) valid.push(d);
    if (valid.length > 0) {
      const batch: QueueBatch<unknown> = {
        queue,
        messages: valid.map((d) => d.message as QueueMessage<unknown>),
        ackAll: () => valid.forEach((d) => d.decide({ kind: "ack" })),
        retryAll: (opts) => {
          const delaySeconds = checkDelay(opts?.delaySeconds, `queue "${queue}" retryAll()`) ?? 0;
          valid.forEach((d) => d.decide({ kind: "retry", delaySeconds }));
        },
      };
      try {
        await consumer.handler(batch, ctx);
        valid.forEach((d) => d.decide({ kind: "ack" }));
      } catch (error) {
        valid.forEach((d) => onFailure(d, error));
      }
    }
  }

  for (const d of deliveries) {
    if (d.decision?.kind === "retry" && !d.skipped && d.incoming.attempts > consumer.options.maxRetries) {
      d.decision = {
        kind: "dead-letter",
        reason: `failed ${d.incoming.attempts} times (maxRetries ${consumer.options.maxRetries})`,
      };
    }
  }
  const results = await deadLetter(consumer, runtime, deliveries, log);
  for (const [i, d] of deliveries.entries())
    logOutcome(log, d, results[i] as MessageResult, Date.now() - started);
  return results;
}

// Every line a handler logs carries the message id and attempt, so one message's story can be read back.
function withMessageLog<T extends { log: Logger }>(ctx: T, log: Logger, d: Delivery): T {
  return { ...ctx, log: log.child({ messageId: d.incoming.id, attempts: d.incoming.attempts }) };
}

async function deadLetter(
  consumer: QueueRegistration,
  runtime: TriggerRuntime,
  deliveries: Delivery[],
  log: Logger,
): Promise<MessageResult[]> {
  const doomed = deliveries.filter((d) => d.decision?.kind === "dead-letter");
  let sent = false;
  if (doomed.length > 0 && consumer.options.deadLetter) {
    try {
      const transport = runtime.transport(consumer.options.deadLetter);
      for (let i = 0; i < doomed.length; i += 100) {
        await transport.send(doomed.slice(i, i + 100).map((d) => ({ body: d.incoming.body })));
      }
      sent = true;
    } catch (error) {
      // Never lose a message: if the dead-letter queue cannot take it, leave it on this queue.
      log.error("dead-letter send failed; the messages will be retried", {
        deadLetter: consumer.options.deadLetter,
        error,
      });
    }
  }
  return deliveries.map((d): MessageResult => {
    const id = d.incoming.id;
    const decision = d.decision ?? { kind: "ack" };
    if (decision.kind === "ack") return { id, outcome: "acked" };
    if (decision.kind === "retry") return { id, outcome: "retried", delaySeconds: decision.delaySeconds };
    if (!consumer.options.deadLetter) return { id, outcome: "dropped" };
    return sent
      ? { id, outcome: "dead-lettered" }
      : { id, outcome: "retried", delaySeconds: consumer.options.retryDelaySeconds };
  });
}

function logOutcome(log: Logger, d: Delivery, result: MessageResult, durationMs: number): void {
  const fields = {
    messageId: d.incoming.id,
    attempts: d.incoming.attempts,
    outcome: result.outcome,
    durationMs,
    ...(d.decision?.kind === "dead-letter" ? { reason: d.decision.reason } : {}),
    ...(d.error === undefined ? {} : { error: d.error }),
  };
  if (result.outcome === "acked") log.info("queue message", fields);
  else if (result.outcome === "retried") log.warn("queue message", fields);
  else
    log.error(
      result.outcome === "dropped"
        ? "queue message dropped: no deadLetter queue is configured"
        : "queue message",
      fields,
    );
}
