import type { Env } from "hono";
import type { QueueHandler, QueueMessage } from "../../src/triggers/types.js";
import type { QueueSchemas } from "../../src/types.js";
import { resolveStoreOptions, sha256, storeFor } from "./_shared.js";

/**
 * Options of {@link idempotentConsumer}.
 *
 * @example
 * ```ts
 * idempotentConsumer(handle, { key: (m) => m.body.orderId, scope: "orders", ttlSeconds: 7 * 86400 });
 * ```
 */
export interface IdempotentConsumerOptions<Body> {
  /** The message's identity. Default `message.id`; return a business key (an order id) to also absorb duplicate sends. */
  key?: (message: QueueMessage<Body>) => string;
  /**
   * The namespace of this consumer's keys, e.g. the queue's name. Required with `key`: two consumers keyed by the
   * same business id (an order id on `orders` and on `refunds`) would otherwise skip each other's messages as
   * duplicates. Default `"queue"` when keyed by the platform's (unique) message id.
   */
  scope?: string;
  /** `"db"` (libSQL, atomic; default) or `"kv"` (best effort). */
  store?: "db" | "kv";
  /** How long a processed key is remembered, in seconds (≥ 60). Default 86400 (24 h); cover your queue's retention. */
  ttlSeconds?: number;
  /** How long a running delivery holds its key before a redelivery may take it over, in seconds. Default 60. */
  lockSeconds?: number;
  /** The clock, in ms since the epoch; for tests. Default `Date.now`. */
  now?: () => number;
}

const MAX_DELAY_SECONDS = 43_200;

/**
 * Wraps a queue handler so that each message (by id, or by `key`) is processed once even though every platform
 * delivers at least once. The first delivery claims the key atomically (libSQL) and runs the handler; a redelivery
 * of a processed message is acked without running it; a redelivery that overlaps a delivery still running is
 * retried after the holder's lock; a handler that throws or calls `message.retry()` releases the key, so the
 * platform's retry runs it again. Processed keys are forgotten after `ttlSeconds`.
 *
 * @example
 * ```ts
 * app.queue("orders", idempotentConsumer(async (message, ctx) => {
 *   await chargeCard(message.body.orderId); // not idempotent by itself
 * }, { key: (m) => m.body.orderId, scope: "orders" }), { maxRetries: 5 });
 * ```
 */
export function idempotentConsumer<Body, E extends Env = Env, Q extends QueueSchemas = QueueSchemas>(
  handler: QueueHandler<Body, E, Q>,
  options: IdempotentConsumerOptions<Body> = {},
): QueueHandler<Body, E, Q> {
  if (typeof handler !== "function")
    throw new TypeError("[skiff] idempotentConsumer: handler must be a function (message, ctx) => unknown");
  const { store, ttlMs, lockMs, now } = resolveStoreOptions("idempotentConsumer", options);
  const { key = (m: QueueMessage<Body>) => m.id, scope = "queue" } = options;
  if (typeof key !== "function")
    throw new TypeError("[skiff] idempotentConsumer: key must be a function (message) => string");
  if (options.key !== undefined && options.scope === undefined)
    throw new TypeError(
      '[skiff] idempotentConsumer: with key, set scope to a name unique to this consumer (e.g. scope: "orders"), so two consumers keyed by the same ids never skip each other\'s messages',
    );
  if (typeof scope !== "string" || scope.length === 0)
    throw new TypeError("[skiff] idempotentConsumer: scope must be a non-empty string");

  return async function idempotentConsumer(message, ctx) {
    const identity = key(message);
    if (typeof identity !== "string" || identity.length === 0) {
      // Thrown, so the platform retries and then dead-letters it: a message without identity cannot be deduplicated.
      throw new TypeError(
        `[skiff] idempotentConsumer: key() returned ${JSON.stringify(identity)} for message ${message.id}; return a non-empty string`,
      );
    }
    const entries = storeFor("idempotentConsumer", store, ctx);
    const id = await sha256(`queue\n${scope}\n${identity}`);
    const token = crypto.randomUUID();
    const started = now();
    const claim = await entries.claim(id, "message", token, {
      now: started,
      lockedUntil: started + lockMs,
      expiresAt: started + ttlMs,
    });
    if (!claim.claimed) {
      if (claim.entry?.state === "done") {
        ctx.log.info("duplicate message skipped", { idempotencyKey: identity });
        return;
      }
      const until = claim.entry?.state === "running" ? claim.entry.lockedUntil : started + 1000;
      message.retry({
        delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil((until - started) / 1000))),
      });
      return;
    }

    // The first ack() or retry() decides a message's fate (core contract); watch for it to know what to record.
    let decision: "ack" | "retry" | undefined;
    const watched: QueueMessage<Body> = {
      id: message.id,
      body: message.body,
      attempts: message.attempts,
      timestamp: message.timestamp,
      ack: () => {
        decision ??= "ack";
        message.ack();
      },
      retry: (retryOptions) => {
        decision ??= "retry";
        message.retry(retryOptions);
      },
    };
    let threw = true;
    try {
      await handler(watched, ctx);
      threw = false;
    } finally {
      const processed = decision === "ack" || (!threw && decision === undefined);
      try {
        if (processed) {
          const at = now();
          await entries.complete(id, token, undefined, { now: at, expiresAt: at + ttlMs });
        } else {
          await entries.release(id, token);
        }
      } catch (error) {
        // Not rethrown: the handler's own outcome stands. A stuck entry only delays a redelivery by lockSeconds.
        ctx.log.error("[skiff] idempotentConsumer: could not record the message's outcome", {
          idempotencyKey: identity,
          error,
        });
      }
    }
  };
}
