// How a retried message's delay is honoured on Azure. Internal: used by to-azure.ts.
import { parseStorageConnection } from "../../bindings/queues/azure/connection.js";
import { updateMessageVisibility } from "../../bindings/queues/azure/storage.js";
import type { SkiffRuntime } from "../../runtime.js";
import type { ResolvedAzureOptions } from "./options.js";
import type { AzureContext, StorageQueueMetadata } from "./types.js";

/**
 * @internal The start-up (and first-retry) notice of a Service Bus consumer: Azure has no delay for an abandon.
 *
 * @example
 * ```ts
 * log.warn(SERVICE_BUS_NO_DELAY, { queue: "orders" });
 * ```
 */
export const SERVICE_BUS_NO_DELAY =
  "retry delays are not honoured on Service Bus queues: the host abandons a failed message and Service Bus redelivers it at once";

/**
 * @internal Delays a retried message by `delaySeconds`. Storage: the message's visibility is set to the delay with
 * Update Message (the trigger metadata's `id` and `popReceipt`), before the handler throws; the host's own release
 * then finds a changed pop receipt and leaves the message as it is. Best effort, as on SQS: if the update fails the
 * message reappears after host.json's `visibilityTimeout`, and that is logged. Service Bus has no delayed abandon:
 * said once per queue.
 *
 * @example
 * ```ts
 * await retryWithDelay(runtime, resolved, "orders", context, 60, warnOnce);
 * ```
 */
export async function retryWithDelay(
  runtime: SkiffRuntime,
  options: ResolvedAzureOptions,
  queue: string,
  context: AzureContext,
  delaySeconds: number,
  warnOnce: (queue: string, message: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  const target = options.queues.get(queue) ?? {
    kind: "storage",
    azureQueue: queue,
    connection: "AzureWebJobsStorage",
  };
  if (target.kind === "serviceBus") return warnOnce(queue, SERVICE_BUS_NO_DELAY, { delaySeconds });
  const meta = (context.triggerMetadata ?? {}) as StorageQueueMetadata;
  try {
    if (typeof meta.id !== "string" || typeof meta.popReceipt !== "string")
      throw new Error("the trigger metadata has no id and popReceipt");
    const account = parseStorageConnection(options.env[target.connection] ?? "", target.connection);
    await updateMessageVisibility(account, target.azureQueue, meta.id, meta.popReceipt, delaySeconds);
  } catch (error) {
    runtime.log.warn(
      "could not delay the retried message; it reappears after host.json extensions.queues.visibilityTimeout",
      {
        queue,
        messageId: meta.id,
        delaySeconds,
        error,
      },
    );
  }
}
