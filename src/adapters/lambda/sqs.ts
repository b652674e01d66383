import type { IncomingMessage, MessageResult } from "../../triggers/dispatch-queue.js";
import { assertAllSucceeded, type SqsBatchResult } from "../../bindings/queues/sqs/client.js";
import type { SqsOptions } from "./options.js";
import type { LambdaBindings } from "./runtime.js";
import { sqsQueueNames } from "./queue-url.js";
import type { SqsBatchResponse, SqsEvent, SqsRecord } from "./types.js";

const queueMappings = new WeakMap<LambdaBindings, (sqsName: string) => string>();

// SQS caps a message's visibility at 12 hours from its first receipt
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html).
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Delivers an SQS batch through skiff's one queue contract (`runtime.deliver`) and answers with the partial batch
 * response: exactly the messages whose outcome is "retried". Acked, dead-lettered and dropped messages are left out,
 * so Lambda deletes them. A queue whose name ends in `.fifo` is dispatched in order: the first failure stops the
 * batch and it and every later message are reported, as Lambda requires to keep FIFO order
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting).
 * A body that is not JSON is passed on as its string, so it fails the schema and is dead-lettered, not retried.
 *
 * @example
 * ```ts
 * const response = await handleSqsEvent(bindings, event, tracker.waitUntil);
 * // { batchItemFailures: [{ itemIdentifier: "059f36b4-87a3-44ab-83d2-661975830a7d" }] }
 * ```
 */
export async function handleSqsEvent(
  bindings: LambdaBindings,
  event: SqsEvent,
  waitUntil: (promise: Promise<unknown>) => void,
  options: SqsOptions = {},
): Promise<SqsBatchResponse> {
  // One event source mapping reads one queue, but nothing in the event promises it: group by ARN, keep order.
  const byQueue = new Map<string, SqsRecord[]>();
  for (const record of event.Records)
    byQueue.set(record.eventSourceARN, [...(byQueue.get(record.eventSourceARN) ?? []), record]);

  // The mapping is built once per execution environment: the overrides and the queue URLs do not change.
  let appQueue = queueMappings.get(bindings);
  if (!appQueue) {
    appQueue = sqsQueueNames(bindings.runtime.registry.schemas, options.queueNames, bindings.queueUrl);
    queueMappings.set(bindings, appQueue);
  }
  const batchItemFailures: SqsBatchResponse["batchItemFailures"] = [];
  for (const [arn, records] of byQueue) {
    const sqsName = arn.slice(arn.lastIndexOf(":") + 1);
    const fifo = sqsName.endsWith(".fifo");
    const queue = appQueue(sqsName);
    const results = await bindings.runtime.deliver(queue, records.map(toIncoming), waitUntil, {
      ordered: fifo,
    });
    const retried = results.filter((r) => r.outcome === "retried");
    for (const r of retried) batchItemFailures.push({ itemIdentifier: r.id });
    if (options.retryDelay !== "ignore") await delayRetries(bindings, queue, arn, records, retried);
  }
  return { batchItemFailures };
}

function toIncoming(record: SqsRecord): IncomingMessage {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    body = record.body;
  }
  const attempts = Number.parseInt(record.attributes.ApproximateReceiveCount ?? "", 10);
  const sent = Number(record.attributes.SentTimestamp);
  return {
    id: record.messageId,
    body,
    attempts: Number.isInteger(attempts) && attempts >= 1 ? attempts : 1,
    timestamp: new Date(Number.isFinite(sent) && sent > 0 ? sent : Date.now()),
  };
}

// A failed message reappears when its visibility timeout ends; setting that timeout to the requested delay is how a
// consumer delays one SQS message. Best effort: if it fails (no sqs:ChangeMessageVisibility permission, the 12-hour
// cap) the message still comes back, after the queue's visibility timeout, and the failure is logged.
async function delayRetries(
  bindings: LambdaBindings,
  queue: string,
  arn: string,
  records: readonly SqsRecord[],
  retried: readonly MessageResult[],
): Promise<void> {
  const delayed = retried.filter((r) => (r.delaySeconds ?? 0) > 0);
  if (delayed.length === 0) return;
  const handles = new Map(records.map((r) => [r.messageId, r.receiptHandle]));
  try {
    const url = consumerQueueUrl(bindings, queue, arn);
    for (let start = 0; start < delayed.length; start += 10) {
      const entries = delayed.slice(start, start + 10).map((r, i) => ({
        Id: String(start + i),
        ReceiptHandle: handles.get(r.id) ?? "",
        VisibilityTimeout: Math.min(r.delaySeconds ?? 0, MAX_VISIBILITY_SECONDS),
      }));
      const result = await bindings.sqs.call<SqsBatchResult>("ChangeMessageVisibilityBatch", url, {
        Entries: entries,
      });
      assertAllSucceeded(
        "ChangeMessageVisibilityBatch",
        queue,
        entries.map((e) => e.Id),
        result,
      );
    }
  } catch (error) {
    bindings.runtime.log.warn(
      "could not delay retried messages; they reappear after the queue's visibility timeout",
      {
        trigger: "queue",
        queue,
        messageIds: delayed.map((r) => r.id),
        error,
      },
    );
  }
}

// The consumed queue's URL: the configured one when the app also sends to it, else built from the ARN
// (arn:<partition>:sqs:<region>:<account>:<name>).
function consumerQueueUrl(bindings: LambdaBindings, queue: string, arn: string): string {
  try {
    return bindings.queueUrl(queue);
  } catch {
    const [, partition, , region, account, name] = arn.split(":");
    return `https://sqs.${region}.amazonaws.com${partition === "aws-cn" ? ".cn" : ""}/${account}/${name}`;
  }
}
