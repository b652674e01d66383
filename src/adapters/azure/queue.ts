import { SkiffError } from "../../errors.js";
import type { SkiffRuntime } from "../../runtime.js";
import type { IncomingMessage } from "../../triggers/dispatch-queue.js";
import type { AzureContext, ServiceBusMetadata, StorageQueueMetadata } from "./types.js";

// The host hands over a JSON message already parsed, anything else as a string (or bytes): a string that is JSON
// is parsed here too, and one that is not stays a string, so it fails the schema and is dead-lettered, not retried.
function bodyOf(entry: unknown): unknown {
  if (entry instanceof Uint8Array) entry = new TextDecoder().decode(entry);
  if (typeof entry !== "string") return entry;
  try {
    return JSON.parse(entry);
  } catch {
    return entry;
  }
}

const count = (value: unknown): number => {
  const n = typeof value === "number" ? value : Number.parseInt(String(value ?? ""), 10);
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

const time = (value: unknown): Date => {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return new Date(Number.isFinite(ms) ? ms : Date.now());
};

/**
 * @internal The message a queue trigger invocation carries, in the core's shape: for Storage, `id`,
 * `dequeueCount` (the attempt, 1 on first delivery) and `insertionTime` from the trigger metadata; for Service Bus,
 * `messageId`, `deliveryCount` and `enqueuedTimeUtc`.
 *
 * @example
 * ```ts
 * incomingMessage("storage", { orderId: "o1" }, context); // { id: context.triggerMetadata.id, attempts: 1, ... }
 * ```
 */
export function incomingMessage(
  kind: "storage" | "serviceBus",
  entry: unknown,
  context: AzureContext,
): IncomingMessage {
  const body = bodyOf(entry);
  if (kind === "storage") {
    const meta = (context.triggerMetadata ?? {}) as StorageQueueMetadata;
    return {
      id: typeof meta.id === "string" ? meta.id : context.invocationId,
      body,
      attempts: count(meta.dequeueCount),
      timestamp: time(meta.insertionTime),
    };
  }
  const meta = (context.triggerMetadata ?? {}) as ServiceBusMetadata;
  return {
    id: typeof meta.messageId === "string" ? meta.messageId : context.invocationId,
    body,
    attempts: count(meta.deliveryCount),
    timestamp: time(meta.enqueuedTimeUtc),
  };
}

/**
 * @internal Delivers one queue trigger invocation through the core's contract (`runtime.deliver`) and maps the
 * outcome onto Azure's: acked, dead-lettered (sent by the core) or dropped → the handler returns, and the host
 * deletes (Storage) or completes (Service Bus) the message; retried → the handler throws, and the host makes it
 * visible again (Storage, counting `dequeueCount` up) or abandons it (Service Bus, `deliveryCount` up). Before the
 * throw, a retry with a delay is handed to `delayRetry` (Storage sets the message's visibility to the delay). The
 * poison queue and the Service Bus DLQ are reached only if skiff's own dead-letter send failed on the last attempt.
 *
 * @example
 * ```ts
 * await deliverInvocation(runtime, "orders", "storage", entry, context, tracker.waitUntil, delayRetry);
 * ```
 */
export async function deliverInvocation(
  runtime: SkiffRuntime,
  queue: string,
  kind: "storage" | "serviceBus",
  entry: unknown,
  context: AzureContext,
  waitUntil: (promise: Promise<unknown>) => void,
  delayRetry: (queue: string, context: AzureContext, delaySeconds: number) => Promise<void>,
): Promise<void> {
  const message = incomingMessage(kind, entry, context);
  const [result] = await runtime.deliver(queue, [message], waitUntil);
  if (result?.outcome !== "retried") return;
  if ((result.delaySeconds ?? 0) > 0) await delayRetry(queue, context, result.delaySeconds ?? 0);
  throw new SkiffError(
    `queue "${queue}" message ${message.id} (attempt ${message.attempts}) is retried: the host delivers it again`,
  );
}
