// Queue producers on SQS. Internal: created by bindings.ts for each queue the app sends to.
import type { OutgoingMessage, QueueTransport } from "../types.js";
import { SkiffError } from "../../../errors.js";
import { assertAllSucceeded, type SqsBatchResult, type SqsClient } from "./client.js";

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html: at most 10
// entries per call; https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html:
// DelaySeconds 0–900, and never per message on a FIFO queue.
const MAX_ENTRIES = 10;
const MAX_DELAY_SECONDS = 900;

/**
 * A transport that sends a batch with SendMessageBatch, 10 entries per call, in order. Every delay is checked
 * before anything is sent. A call that fails, or that SQS answers with failed entries, throws: the error says how
 * many messages were already sent, so nothing is dropped silently (a retry by the caller may repeat those; delivery
 * is at least once). FIFO queues (URL ending in `.fifo`) get one message group per app queue, so order is kept, and
 * a fresh deduplication id per message.
 *
 * @example
 * ```ts
 * const transport = sqsTransport(new SqsClient(process.env), "orders", () => process.env.SKIFF_QUEUE_URL_ORDERS ?? "");
 * await transport.send([{ body: { orderId: "o1" } }, { body: { orderId: "o2" }, delaySeconds: 60 }]);
 * ```
 */
export function sqsTransport(client: SqsClient, queue: string, queueUrl: () => string): QueueTransport {
  return {
    maxDelaySeconds: MAX_DELAY_SECONDS,
    async send(messages: readonly OutgoingMessage[]): Promise<void> {
      if (messages.length === 0) return;
      const url = queueUrl();
      const fifo = new URL(url).pathname.endsWith(".fifo");
      for (const m of messages) checkDelay(queue, m.delaySeconds ?? 0, fifo);
      for (let start = 0; start < messages.length; start += MAX_ENTRIES) {
        const chunk = messages.slice(start, start + MAX_ENTRIES);
        const entries = chunk.map((m, i) => ({
          Id: String(start + i),
          MessageBody: JSON.stringify(m.body),
          ...(m.delaySeconds ? { DelaySeconds: m.delaySeconds } : {}),
          ...(fifo ? { MessageGroupId: queue, MessageDeduplicationId: crypto.randomUUID() } : {}),
        }));
        try {
          const result = await client.call<SqsBatchResult>("SendMessageBatch", url, { Entries: entries });
          assertAllSucceeded(
            "SendMessageBatch",
            queue,
            entries.map((e) => e.Id),
            result,
          );
        } catch (error) {
          if (start === 0 || !(error instanceof Error)) throw error;
          throw new SkiffError(
            `${error.message} (the first ${start} of ${messages.length} messages had been sent)`,
            { cause: error },
          );
        }
      }
    },
  };
}

function checkDelay(queue: string, delaySeconds: number, fifo: boolean): void {
  if (delaySeconds > MAX_DELAY_SECONDS) {
    throw new SkiffError(
      `queue "${queue}": SQS delays a message by at most ${MAX_DELAY_SECONDS} seconds (15 minutes), got ${delaySeconds}; nothing was sent`,
    );
  }
  if (fifo && delaySeconds > 0) {
    throw new SkiffError(
      `queue "${queue}" is a FIFO queue, where SQS has no per-message delay (got delaySeconds ${delaySeconds}); nothing was sent`,
    );
  }
}
