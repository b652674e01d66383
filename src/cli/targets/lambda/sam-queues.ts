import type { QueueInfo } from "../../app/manifest.js";
import { queueUrlVariable } from "../../../adapters/lambda/queue-url.js";

/**
 * What the queues of an app add to a SAM template: an `AWS::SQS::Queue` resource per queue, the function's
 * `SKIFF_QUEUE_URL_<NAME>` variables, its SQS policies and one SQS event per consumed queue, plus the problems that
 * keep a queue from deploying.
 *
 * @example
 * ```ts
 * const { resources, variables, policies, events, problems } = samQueues(manifest.queues, ids, 30);
 * ```
 */
export interface SamQueues {
  resources: Record<string, unknown>;
  variables: Record<string, unknown>;
  policies: unknown[];
  events: Record<string, unknown>;
  problems: string[];
}

// SQS caps a queue's visibility timeout at 12 hours and keeps messages 4 days by default, 14 at most
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
const MAX_VISIBILITY_SECONDS = 43_200;
const RETAIN_MESSAGES = 345_600;
const RETAIN_DEAD_LETTERS = 1_209_600;
const getAtt = (name: string, attribute: string) => ({ "Fn::GetAtt": [name, attribute] });

/**
 * The queues of a SAM template (see {@link SamQueues}). Each queue is named after the stack
 * (`${AWS::StackName}-orders`, a `.fifo` name staying last and making a FIFO queue), so two stacks in one account
 * and region never collide; the function finds each by the URL in its `SKIFF_QUEUE_URL_<NAME>` variable. Every
 * queue's `VisibilityTimeout` is at least six times the function timeout, as AWS asks of queues Lambda polls
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html), or the consumer's
 * `visibilityTimeoutSeconds` when that is longer.
 *
 * @example
 * ```ts
 * samQueues(manifest.queues, logicalIds(["SkiffFunction"]), 30).resources.OrdersQueue
 * // { Type: "AWS::SQS::Queue", Properties: { QueueName: { "Fn::Sub": "${AWS::StackName}-orders" }, VisibilityTimeout: 180 } }
 * ```
 */
export function samQueues(
  queues: readonly QueueInfo[],
  id: (name: string, suffix: string) => string,
  timeout: number,
): SamQueues {
  const out: SamQueues = { resources: {}, variables: {}, policies: [], events: {}, problems: [] };
  const ids = new Map(queues.map((q) => [q.name, id(q.name, "Queue")]));
  const fifo = (name: string) => name.endsWith(".fifo");
  for (const queue of queues) {
    const logical = ids.get(queue.name) as string;
    const consumer = queue.consumer?.options;
    const problem = (message: string) => out.problems.push(`queue "${queue.name}": ${message}`);
    if (!/^[A-Za-z0-9_-]+$/.test(fifo(queue.name) ? queue.name.slice(0, -5) : queue.name))
      problem("SQS queue names are letters, digits, - and _ (and a .fifo suffix for FIFO queues); rename it");
    const visibility = Math.max(6 * timeout, consumer?.visibilityTimeoutSeconds ?? 0);
    if (visibility > MAX_VISIBILITY_SECONDS)
      problem(`a visibility timeout of ${visibility} s is over SQS's maximum of ${MAX_VISIBILITY_SECONDS} s`);
    const properties: Record<string, unknown> = {
      QueueName: { "Fn::Sub": `\${AWS::StackName}-${queue.name}` },
      ...(fifo(queue.name) ? { FifoQueue: true } : {}),
      VisibilityTimeout: visibility,
      // A message expires by its first enqueue time, also in a dead-letter queue: keep dead letters for SQS's
      // maximum, longer than the 4 days (SQS's default, explicit here) of the queues that feed them.
      MessageRetentionPeriod: queue.deadLetterFor.length ? RETAIN_DEAD_LETTERS : RETAIN_MESSAGES,
    };
    if (consumer?.deadLetter) {
      if (fifo(consumer.deadLetter) !== fifo(queue.name))
        problem(
          `its dead-letter queue "${consumer.deadLetter}" must be ${fifo(queue.name) ? "a FIFO queue (.fifo)" : "a standard queue (no .fifo)"} like it, as SQS requires`,
        );
      // SQS counts receives, skiff counts retries after the first delivery.
      properties.RedrivePolicy = {
        deadLetterTargetArn: getAtt(ids.get(consumer.deadLetter) as string, "Arn"),
        maxReceiveCount: consumer.maxRetries + 1,
      };
    }
    // The stack owns its queues: deleting it deletes them (retained ones would block a new stack of that name).
    out.resources[logical] = {
      Type: "AWS::SQS::Queue",
      DeletionPolicy: "Delete",
      UpdateReplacePolicy: "Delete",
      Properties: properties,
    };
    out.variables[queueUrlVariable(queue.name)] = { Ref: logical };
    out.policies.push({ SQSSendMessagePolicy: { QueueName: getAtt(logical, "QueueName") } });
    if (!consumer) continue;
    // The SQS event's managed policy cannot change visibility; skiff's retry delays do (ChangeMessageVisibility).
    out.policies.push({ SQSPollerPolicy: { QueueName: getAtt(logical, "QueueName") } });
    if (fifo(queue.name) && consumer.maxBatchSize > 10)
      problem(`a FIFO queue delivers at most 10 messages per batch on Lambda; set maxBatchSize: 10 or less`);
    if (!fifo(queue.name) && consumer.maxBatchSize > 10 && consumer.maxBatchTimeoutSeconds < 1)
      problem("a batch size over 10 needs maxBatchTimeoutSeconds of at least 1 on SQS");
    out.events[`${logical}Messages`] = {
      Type: "SQS",
      Properties: {
        Queue: getAtt(logical, "Arn"),
        BatchSize: consumer.maxBatchSize,
        // Lambda has no batching window for FIFO queues.
        ...(fifo(queue.name) ? {} : { MaximumBatchingWindowInSeconds: consumer.maxBatchTimeoutSeconds }),
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      },
    };
  }
  return out;
}
