import { SkiffError } from "../../errors.js";
import type { IncomingMessage } from "../../triggers/dispatch-queue.js";
import { messageBody, publishedAt, type PubSubEventParts } from "./_message.js";
import type { GcpState } from "./runtime.js";
import type { GcpCloudEvent } from "./types.js";

/**
 * @internal Delivers one Pub/Sub message (a push delivers one per request, so every batch has one message) to the
 * consumer of its queue through skiff's one contract (`runtime.deliver`). Acked, dead-lettered and dropped messages
 * resolve, which answers 2xx and acks the message; a retried one rejects, which answers 500 and has Pub/Sub deliver
 * it again after the subscription's retry backoff (retries must be enabled on the trigger: `--retry`).
 * `attempts` is the subscription's `deliveryAttempt`, present only with a dead-letter policy; without one every
 * delivery counts as the first, so `maxRetries` cannot end the retries, and this is logged once per queue.
 *
 * @example
 * ```ts
 * await deliverPubSubMessage(state, event, parts, "orders", tracker.waitUntil, warnedQueues);
 * ```
 */
export async function deliverPubSubMessage(
  state: GcpState,
  event: GcpCloudEvent,
  parts: PubSubEventParts,
  queue: string,
  waitUntil: (promise: Promise<unknown>) => void,
  warned: Set<string>,
): Promise<void> {
  const { runtime } = state;
  const { message } = parts;
  if (parts.deliveryAttempt === undefined && !warned.has(queue)) {
    warned.add(queue);
    runtime.log.warn(
      `[skiff] queue "${queue}": Pub/Sub sent no deliveryAttempt, so every delivery counts as attempt 1 and maxRetries cannot end retries; give the trigger's subscription a dead-letter policy (skiff build prints the command)`,
      { trigger: "queue", queue, subscription: parts.subscription },
    );
  }
  const incoming: IncomingMessage = {
    id: message.messageId ?? message.message_id ?? event.id,
    body: messageBody(message),
    attempts: parts.deliveryAttempt ?? 1,
    timestamp: new Date(publishedAt(message, event)),
  };
  const [result] = await runtime.deliver(queue, [incoming], waitUntil);
  if (result?.outcome === "retried") {
    // The message says only what the caller can act on; the dispatch has logged the failure in full.
    throw new SkiffError(
      `message ${incoming.id} of queue "${queue}" failed (attempt ${incoming.attempts}) and is retried by Pub/Sub`,
    );
  }
}
